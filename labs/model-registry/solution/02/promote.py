"""Promotes the challenger to champion, if it has earned it.

The registered model "delivery-eta" has two aliases: @challenger, the newest candidate (set by
register_best.py), and @champion, the version that serves customers. This script compares the
two on val_mae, the validation error of the runs that produced them (lower is better):

- if the challenger is at least as good as the champion (or there is no champion yet), it moves
  the challenger through Staging to Production, archiving the version that was in Production,
  and points @champion at it;
- otherwise it changes nothing, prints why, and exits with status 1, so a pipeline stops here.

    python3 promote.py
"""
import sys

from labkit import MlflowClient  # with real MLflow: from mlflow import MlflowClient

MODEL_NAME = "delivery-eta"
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

    # The gate: a worse model never reaches production, however it was registered.
    candidate_error = validation_error(challenger)
    if champion is not None:
        champion_error = validation_error(champion)
        if candidate_error > champion_error:
            print(
                f"Refused: version {challenger.version} has {METRIC} {candidate_error:.3f}, worse than "
                f"version {champion.version}, the champion, with {champion_error:.3f}."
            )
            sys.exit(1)

    # In a team, tests and a reviewer's approval happen while the version waits in Staging.
    client.transition_model_version_stage(MODEL_NAME, challenger.version, "Staging")
    client.transition_model_version_stage(
        MODEL_NAME, challenger.version, "Production", archive_existing_versions=True
    )
    client.set_registered_model_alias(MODEL_NAME, "champion", challenger.version)
    print(f"Promoted version {challenger.version} ({METRIC} {candidate_error:.3f}) to Production as @champion.")


if __name__ == "__main__":
    main()
