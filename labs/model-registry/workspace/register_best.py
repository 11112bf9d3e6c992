"""Registers the model of the best training run as a new version of a registered model, and points
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
METRIC = "val_mae"  # lower is better


def main():
    # TODO (step 1): find, with a search, the finished run of EXPERIMENT with the lowest METRIC.
    # (If there is none, sys.exit() with a message saying to run train.py first.)

    # TODO (step 1): register that run's model, runs:/<run id>/model, as a new version of
    # MODEL_NAME, point the alias "challenger" at the new version, and print its number.
    raise NotImplementedError("register_best.py does not register anything yet")


if __name__ == "__main__":
    main()
