"""Cheat: refuses the right challengers, but exits with status 0."""
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
    # Lineage: every version records the run that produced it.
    return client.get_run(version.run_id).data.metrics[METRIC]


def main():
    challenger = version_by_alias("challenger")
    if challenger is None:
        sys.exit("There is no @challenger yet: run `python3 register_best.py` first.")
    champion = version_by_alias("champion")

    candidate_error = validation_error(challenger)
    if champion is not None:
        champion_error = validation_error(champion)
        if candidate_error > champion_error:
            print(
                f"Refused: version {challenger.version} has {METRIC} {candidate_error}, worse than "
                f"version {champion.version}, the champion, with {champion_error}."
            )
            sys.exit(0)

    # One call moves the alias; serving code that loads models:/<name>@champion follows it.
    client.set_registered_model_alias(MODEL_NAME, "champion", challenger.version)
    print(f"Promoted version {challenger.version} ({METRIC} {candidate_error}) to @champion.")


if __name__ == "__main__":
    main()
