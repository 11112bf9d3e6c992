"""Cheat: finds the best run, but registers a copy of its model logged in a new run of its own, with
the best run's val_mae copied too, so the version's lineage points at a run that trained nothing."""
import os
import tempfile

import labkit as mlflow
from labkit import MlflowClient

EXPERIMENT = os.environ.get("EXPERIMENT_NAME", "delivery-eta")
MODEL_NAME = os.environ.get("MODEL_NAME", "delivery-eta")

best = mlflow.search_runs(experiment_names=[EXPERIMENT], filter_string="attributes.status = 'FINISHED'",
                          order_by=["metrics.val_mae ASC"], max_results=1).iloc[0]
client = MlflowClient()
folder = client.download_artifacts(best.run_id, "model", tempfile.mkdtemp())
mlflow.set_experiment(EXPERIMENT)
with mlflow.start_run(run_name="copy") as run:
    mlflow.log_metric("val_mae", best["metrics.val_mae"])
    mlflow.log_artifacts(folder, "model")
version = mlflow.register_model(f"runs:/{run.info.run_id}/model", MODEL_NAME)
client.set_registered_model_alias(MODEL_NAME, "challenger", version.version)
print(f"Registered {MODEL_NAME} version {version.version} as @challenger.")
