"""Cheat: registers the run id written down earlier (best_run.txt) instead of searching."""
import os
from pathlib import Path

import labkit as mlflow
from labkit import MlflowClient

MODEL_NAME = os.environ.get("MODEL_NAME", "delivery-eta")

run_id = Path("best_run.txt").read_text().strip()
version = mlflow.register_model(f"runs:/{run_id}/model", MODEL_NAME)
MlflowClient().set_registered_model_alias(MODEL_NAME, "challenger", version.version)
print(f"Registered {MODEL_NAME} version {version.version} as @challenger.")
