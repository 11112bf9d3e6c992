"""Reading the registry the way the checks need it: versions registered during a run, a version's
validation error (through the run that produced it, its lineage), and putting @champion back
after step 3's test moved it."""
from academy_check import CLOCK_SLACK_MS
from expectations import CHAMPION, METRIC, MODEL_NAME, OTHER_TAG, RESTORE_TAG


def versions_registered_during(server, run) -> list[dict]:
    """Versions of MODEL_NAME created after `run` started, oldest first."""
    since = run.started_at_ms - CLOCK_SLACK_MS
    return [version for version in server.model_versions(MODEL_NAME)
            if int(version.get("creation_timestamp") or 0) >= since]


def validation_error(server, version: dict) -> float | None:
    """The METRIC of the run a version was registered from, or None."""
    run_id = version.get("run_id")
    tracked = server.get_run(run_id) if run_id else None
    return tracked.metrics.get(METRIC) if tracked is not None else None


def restore_champion(server) -> None:
    """Puts @champion back where step 3's test found it, if a cut-short run left it moved."""
    model = server.registered_model(MODEL_NAME)
    tags = {tag["key"]: tag.get("value") for tag in (model or {}).get("tags", [])}
    if tags.get(RESTORE_TAG, "").isdigit():
        server.set_alias(MODEL_NAME, CHAMPION, tags[RESTORE_TAG])
    for key in (RESTORE_TAG, OTHER_TAG):
        if key in tags:
            server.delete_model_tag(MODEL_NAME, key)
