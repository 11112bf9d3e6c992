"""Cheat: rewrites the metrics instead of reading them: the newest finished run gets a val_mae lower
than any other (a later value of the metric), and the honest search then picks it."""
import os

import labkit as mlflow
from labkit import MlflowClient

EXPERIMENT = os.environ.get("EXPERIMENT_NAME", "delivery-eta")
MODEL_NAME = os.environ.get("MODEL_NAME", "delivery-eta")
FINISHED = "attributes.status = 'FINISHED'"

client = MlflowClient()
newest = mlflow.search_runs(experiment_names=[EXPERIMENT], filter_string=FINISHED,
                            order_by=["attributes.start_time DESC"], max_results=1).iloc[0]
client.log_metric(newest.run_id, "val_mae", 0.01, step=1)
best = mlflow.search_runs(experiment_names=[EXPERIMENT], filter_string=FINISHED,
                          order_by=["metrics.val_mae ASC"], max_results=1).iloc[0]
version = mlflow.register_model(f"runs:/{best.run_id}/model", MODEL_NAME)
client.set_registered_model_alias(MODEL_NAME, "challenger", version.version)
print(f"Registered {MODEL_NAME} version {version.version} as @challenger.")
