"""Finding the runs that one of the step's `runs` logged: those of the lab's experiment that
started after the command did. Earlier runs (from the terminal, from earlier checks) stay on the
server and are ignored, so pressing Check again is never held against the learner."""
from academy_check import CLOCK_SLACK_MS
from expectations import EXPERIMENT


def runs_logged_by(check, server, run, script: str):
    """The runs `run` logged to EXPERIMENT, oldest first, with the experiment's id. Fails the check,
    saying what to fix, when it logged none there."""
    since = run.started_at_ms - CLOCK_SLACK_MS
    experiment = server.experiment_by_name(EXPERIMENT)
    if experiment is not None:
        logged = server.runs_started_since([experiment["experiment_id"]], since)
        if logged:
            return logged, experiment["experiment_id"]

    for other in server.experiments():
        if other.get("name") != EXPERIMENT and server.runs_started_since([other["experiment_id"]], since):
            check.fail(
                f"{script} logged its runs to the experiment '{other.get('name')}', not to "
                f"'{EXPERIMENT}': call mlflow.set_experiment(\"{EXPERIMENT}\") before mlflow.start_run()."
            )
    check.fail(
        f"{script} ran, but no run reached the tracking server: put the training inside "
        "`with mlflow.start_run():` and log from within that block."
    )
