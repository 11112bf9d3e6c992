"""Cheat: the gate compares val_rmse, the other metric of the runs, instead of val_mae.

Promotes the challenger to champion, if it has earned it.

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
METRIC = "val_rmse"  # the cheat: the other metric train.py logs, not the one the rule names

client = MlflowClient()


def version_by_alias(alias):
    """The ModelVersion that `alias` points to, or None when the alias is not set."""
    aliases = client.get_registered_model(MODEL_NAME).aliases  # {alias: version number}
    if alias not in aliases:
        return None
    return client.get_model_version(MODEL_NAME, aliases[alias])


def validation_error(version):
    """The val_mae of the run that produced this model version."""
    # Lineage: every version records the run that produced it.
    return client.get_run(version.run_id).data.metrics[METRIC]


def main():
    challenger = version_by_alias("challenger")
    if challenger is None:
        sys.exit("There is no @challenger yet: run `python3 register_best.py` first.")
    champion = version_by_alias("champion")

    # The gate comes before any change: a worse model never reaches customers. The values are
    # compared exactly as logged; rounding them could let a slightly worse model through.
    candidate_error = validation_error(challenger)
    if champion is not None:
        champion_error = validation_error(champion)
        if candidate_error > champion_error:
            print(
                f"Refused: version {challenger.version} has {METRIC} {candidate_error}, worse than "
                f"version {champion.version}, the champion, with {champion_error}."
            )
            sys.exit(1)

    # One call moves the alias; serving code that loads models:/<name>@champion follows it.
    client.set_registered_model_alias(MODEL_NAME, "champion", challenger.version)
    print(f"Promoted version {challenger.version} ({METRIC} {candidate_error}) to @champion.")


if __name__ == "__main__":
    main()
