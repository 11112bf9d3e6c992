"""Step 3: one run of `python3 sweep.py` logs at least four finished runs to late-orders, each with
the three hyperparameters and val_auc, no two with the same hyperparameters."""
import math

from academy_check import Check, to_number
from expectations import EXPERIMENT, HYPERPARAMETERS, MIN_SWEEP_RUNS, PRIMARY_METRIC
from logged_runs import runs_logged_by
from academy_tracking import TrackingServer

check = Check()
(run,) = check.require_runs(1)
server = TrackingServer(check)
if not run.path("sweep.py").exists() and not run.path("sweep.py").is_symlink():
    check.fail("There is no sweep.py in your work folder yet; create it next to train.py.")
check.require_success(run)

logged, _ = runs_logged_by(check, server, run, "`python3 sweep.py`")

# A parent run that only groups the trials (MLflow's nested runs) is fine without metrics.
parents = {tracked.tags.get("mlflow.parentRunId") for tracked in logged}
trials = [tracked for tracked in logged if tracked.run_id not in parents]

for tracked in trials:
    if not tracked.params and not tracked.metrics:
        check.fail(
            f"The run {tracked.label()} has no params and no metrics: every run of the sweep should be one "
            "training. Log nothing outside the trials, or make that run a parent by opening each trial "
            "inside it with mlflow.start_run(nested=True)."
        )
    if tracked.status != "FINISHED":
        check.fail(
            f"The run {tracked.label()} is {tracked.status}, not FINISHED; give every trial its own "
            "`with mlflow.start_run():` block so it ends when its training does."
        )
    missing = [key for key in HYPERPARAMETERS if key not in tracked.params]
    if missing:
        check.fail(
            f"The run {tracked.label()} has no param {', '.join(missing)}; log all three "
            f"hyperparameters ({', '.join(HYPERPARAMETERS)}) in every run of the sweep."
        )
    value = tracked.metrics.get(PRIMARY_METRIC)
    if value is None or not math.isfinite(value):
        check.fail(
            f"The run {tracked.label()} has no {PRIMARY_METRIC}; every run of the sweep must log its "
            "validation metrics, so the runs can be compared."
        )


def setting(tracked):
    """The hyperparameters of a run, compared as numbers when they are numbers ("0.10" = "0.1")."""
    values = []
    for key in HYPERPARAMETERS:
        text = tracked.params[key].strip()
        number = to_number(text)
        values.append(number if number is not None else text)
    return tuple(values)


seen = {}
for tracked in trials:
    key = setting(tracked)
    if key in seen:
        same = ", ".join(f"{name}={tracked.params[name]}" for name in HYPERPARAMETERS)
        check.fail(
            f"The runs {seen[key].label()} and {tracked.label()} both used {same}; give each run of "
            "the sweep a different combination of hyperparameters."
        )
    seen[key] = tracked

if len(trials) < MIN_SWEEP_RUNS:
    check.fail(
        f"`python3 sweep.py` logged {len(trials)} run{'s' if len(trials) != 1 else ''} to "
        f"'{EXPERIMENT}'; a sweep needs at least {MIN_SWEEP_RUNS} runs with different hyperparameters."
    )

varied = [key for key in HYPERPARAMETERS if len({setting(t)[HYPERPARAMETERS.index(key)] for t in trials}) > 1]
scores = sorted(tracked.metrics[PRIMARY_METRIC] for tracked in trials)
check.done(
    f"`python3 sweep.py` logged {len(trials)} finished runs to '{EXPERIMENT}' with different values of "
    f"{', '.join(varied)}; {PRIMARY_METRIC} ranges from {scores[0]:.4f} to {scores[-1]:.4f}."
)
