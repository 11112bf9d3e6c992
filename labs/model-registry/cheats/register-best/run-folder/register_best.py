"""Cheat: the right run, but the version's source is the run's artifact root, not its model folder."""
import os

import labkit as mlflow
from labkit import MlflowClient

EXPERIMENT = os.environ.get("EXPERIMENT_NAME", "delivery-eta")
MODEL_NAME = os.environ.get("MODEL_NAME", "delivery-eta")

best = mlflow.search_runs(experiment_names=[EXPERIMENT], filter_string="attributes.status = 'FINISHED'",
                          order_by=["metrics.val_mae ASC"], max_results=1).iloc[0]
version = mlflow.register_model(f"runs:/{best.run_id}", MODEL_NAME)
MlflowClient().set_registered_model_alias(MODEL_NAME, "challenger", version.version)
print(f"Registered {MODEL_NAME} version {version.version} as @challenger.")
