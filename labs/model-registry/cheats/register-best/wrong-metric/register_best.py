"""Cheat: ranks the runs by val_rmse, the other metric train.py logs, instead of val_mae.

Registers the model of the best training run as a new version of a registered model, and points
the alias @challenger at it.

    python3 register_best.py

The best run is the finished run of the experiment with the lowest val_mae. By default the
experiment and the registered model are both "delivery-eta"; the environment variables
EXPERIMENT_NAME and MODEL_NAME name others (the check uses an experiment and a model of its own):

    EXPERIMENT_NAME=delivery-eta MODEL_NAME=delivery-eta python3 register_best.py
"""
import os
import sys

import labkit as mlflow  # with real MLflow: `import mlflow` and `from mlflow import MlflowClient`
from labkit import MlflowClient

EXPERIMENT = os.environ.get("EXPERIMENT_NAME", "delivery-eta")
MODEL_NAME = os.environ.get("MODEL_NAME", "delivery-eta")
METRIC = "val_rmse"  # the cheat: the other metric the runs hold, not the one the step names


def main():
    # The search does the choosing: finished runs only, lowest METRIC first.
    runs = mlflow.search_runs(
        experiment_names=[EXPERIMENT],
        filter_string="attributes.status = 'FINISHED'",
        order_by=[f"metrics.{METRIC} ASC"],
        max_results=1,
    )
    if runs.empty:
        sys.exit(f"No finished run in {EXPERIMENT} yet: run `python3 train.py` first.")
    best = runs.iloc[0]

    # runs:/<run id>/model is the folder train.py logged with mlflow.sklearn.log_model. The new
    # version remembers that run: its params, metrics and data hash are the model's lineage.
    version = mlflow.register_model(f"runs:/{best.run_id}/model", MODEL_NAME)
    MlflowClient().set_registered_model_alias(MODEL_NAME, "challenger", version.version)
    print(
        f"Registered {MODEL_NAME} version {version.version} from run {best.run_id[:8]} "
        f"({METRIC} {best[f'metrics.{METRIC}']:.3f}) as @challenger."
    )


if __name__ == "__main__":
    main()
