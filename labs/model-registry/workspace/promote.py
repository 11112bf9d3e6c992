"""Promotes the challenger to champion, if it has earned it.

A registered model has two aliases: @challenger, the newest candidate (set by register_best.py),
and @champion, the version that serves customers. This script compares the two on val_mae, the
validation error of the runs that produced them (lower is better):

- if there is no champion yet, or the challenger is at least as good as the champion (its val_mae
  is lower or equal), it points @champion at the challenger's version and exits with status 0;
- otherwise it changes nothing, prints why, and exits with status 1, so a pipeline stops here.

    python3 promote.py

The registered model is "delivery-eta" unless the environment variable MODEL_NAME names another
(the check runs this script on registered models of its own).
"""
import os
import sys

from labkit import MlflowClient  # with real MLflow: from mlflow import MlflowClient

MODEL_NAME = os.environ.get("MODEL_NAME", "delivery-eta")
METRIC = "val_mae"  # lower is better

client = MlflowClient()


def version_by_alias(alias):
    """The ModelVersion that `alias` points to, or None when the alias is not set."""
    aliases = client.get_registered_model(MODEL_NAME).aliases  # {alias: version number}
    if alias not in aliases:
        return None
    return client.get_model_version(MODEL_NAME, aliases[alias])


def validation_error(version):
    """The val_mae of the run that produced this model version."""
    # TODO (step 2): a model version records the run that produced it. Look that run up and
    # return its METRIC.
    raise NotImplementedError("validation_error() is not written yet")


def main():
    challenger = version_by_alias("challenger")
    if challenger is None:
        sys.exit("There is no @challenger yet: run `python3 register_best.py` first.")
    champion = version_by_alias("champion")

    # TODO (step 2): the gate. If there is a champion and the challenger's validation error is
    # higher than the champion's, print why and exit with status 1, changing nothing.

    # TODO (step 2): the promotion. Point the "champion" alias at the challenger's version.
    raise NotImplementedError("main() does not promote yet")


if __name__ == "__main__":
    main()
