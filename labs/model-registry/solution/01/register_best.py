"""Registers the model of the best run in the "delivery-eta" experiment (the lowest val_mae) as a
new version of the registered model "delivery-eta", and points the alias @challenger at it.

    python3 register_best.py
"""
import sys

import labkit as mlflow  # with real MLflow: `import mlflow` and `from mlflow import MlflowClient`
from labkit import MlflowClient

EXPERIMENT = "delivery-eta"
MODEL_NAME = "delivery-eta"
METRIC = "val_mae"  # lower is better


def main():
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
