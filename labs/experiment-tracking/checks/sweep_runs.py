"""Step 3: `python3 sweep.py`, run on fresh orders the grader made for this grading, logs a grid of
at least four finished runs to late-orders (every combination of the values tried, each once),
each with the three hyperparameters and the val_auc of a real training with them.

Runs (lab.yaml): fresh_orders.py as the grader, then the learner command, which copies the orders
over data/orders.csv in its copy of the workspace and runs sweep.py. The check finds the runs the
command logged during this grading (logged_runs.py) and retrains each run's model with its logged
params on the same orders (retrain.py; at most MAX_RETRAINED_RUNS of them, picked at random when
there are more) to compare val_auc."""
import itertools
import math
import random

from academy_check import Check, random_seed, state_dir, to_number
from expectations import (
    EXPERIMENT,
    HYPERPARAMETERS,
    MAX_RETRAINED_RUNS,
    METRIC_TOLERANCE,
    MIN_SWEEP_RUNS,
    PRIMARY_METRIC,
    STATE_ORDERS,
)
from logged_runs import LabServer, runs_logged_by

SCRIPT = "`python3 sweep.py`"
LOGGED = "runs logged by sweep.py"
COMPLETE = "each run complete"
COUNT = "at least 4 runs"
DISTINCT = "different hyperparameters"
GRID = "grid complete"
MATCH = "val_auc matches retraining"

check = Check()
challenge, run = check.require_runs(2)
server = LabServer(check)  # first: a server that is down has its own message
if challenge.as_user != "grader" or challenge.exit_code != 0:
    print(f"sweep_runs: the challenge was not made: {challenge.stderr[-2000:]}")
    check.error()
if not run.path("sweep.py").exists() and not run.path("sweep.py").is_symlink():
    check.detail(LOGGED, False, "There is no sweep.py in your work folder yet.")
    check.fail("There is no sweep.py in your work folder yet; create it next to train.py.")
check.require_success(run, SCRIPT)

logged, _ = runs_logged_by(check, server, run, SCRIPT, LOGGED)
# A parent run that only groups the trials (MLflow's nested runs) is fine without metrics.
parents = {tracked.tags.get("mlflow.parentRunId") for tracked in logged}
trials = [tracked for tracked in logged if tracked.run_id not in parents]
check.detail(LOGGED, True, "", pass_message=f"{SCRIPT} logged {len(trials)} runs while the check ran it.")

problems = []
for tracked in trials:
    missing = [key for key in HYPERPARAMETERS if key not in tracked.params]
    value = tracked.metrics.get(PRIMARY_METRIC)
    if not tracked.params and not tracked.metrics:
        problems.append(
            f"the run {tracked.label()} has no params and no metrics: every run of the sweep should be one "
            "training (a run that only groups the others must be their parent, with the trials nested in it)"
        )
    elif tracked.status != "FINISHED":
        problems.append(f"the run {tracked.label()} is {tracked.status}, not FINISHED: each trial's run "
                        "should end when its training does")
    elif missing:
        problems.append(f"the run {tracked.label()} has no param {', '.join(missing)}")
    elif any(to_number(tracked.params[key]) is None for key in HYPERPARAMETERS):
        problems.append(f"the run {tracked.label()} has a hyperparameter that is not a number")
    elif value is None or not math.isfinite(value):
        problems.append(f"the run {tracked.label()} has no {PRIMARY_METRIC}")
if problems:
    message = (f"{problems[0][0].upper()}{problems[0][1:]}. Every run of the sweep should be a finished "
               f"training with its hyperparameters ({', '.join(HYPERPARAMETERS)}) and {PRIMARY_METRIC}.")
    check.detail(COMPLETE, False, message)
    check.fail(message)
check.detail(COMPLETE, True, "", pass_message=f"each run has {', '.join(HYPERPARAMETERS)} and {PRIMARY_METRIC}")


def setting(tracked):
    """The hyperparameters of a run, as numbers ("0.10" = "0.1")."""
    return tuple(to_number(tracked.params[key]) for key in HYPERPARAMETERS)


def describe(values):
    return ", ".join(f"{key}={value:g}" for key, value in zip(HYPERPARAMETERS, values))


seen, twins = {}, None
for tracked in trials:
    key = setting(tracked)
    if key in seen and twins is None:
        twins = (seen[key], tracked)
    seen.setdefault(key, tracked)
check.detail(
    DISTINCT,
    twins is None,
    f"The runs {twins[0].label()} and {twins[1].label()} both used {describe(setting(twins[1]))}; each "
    "run of a grid tries a different combination." if twins else "",
    pass_message=f"{len(seen)} different combinations",
)
check.detail(
    COUNT,
    len(seen) >= MIN_SWEEP_RUNS,
    f"{SCRIPT} logged {len(seen)} different combination{'s' if len(seen) != 1 else ''} of "
    f"hyperparameters to '{EXPERIMENT}'; a sweep here needs at least {MIN_SWEEP_RUNS}.",
    pass_message=f"{len(seen)} runs",
)

# A grid: every combination of the values tried appears.
values = [sorted({combination[i] for combination in seen}) for i in range(len(HYPERPARAMETERS))]
absent = [combination for combination in itertools.product(*values) if combination not in seen]
check.detail(
    GRID,
    not absent,
    f"The sweep tried {' x '.join(str(len(v)) for v in values)} values of {', '.join(HYPERPARAMETERS)} but "
    f"only {len(seen)} of their {len(seen) + len(absent)} combinations; a grid tries every combination "
    f"(none with {describe(absent[0])}, for example)." if absent else "",
    pass_message=" x ".join(f"{len(v)} {key}" for key, v in zip(HYPERPARAMETERS, values)),
)
if check.failed:
    check.done("")

# Each run's val_auc against the grader's retraining with its logged params.
from retrain import estimator_params, load_orders, retrain  # numpy and scikit-learn: slow imports

orders = load_orders(state_dir() / STATE_ORDERS)
retrained = sorted(seen.values(), key=lambda tracked: tracked.run_id)
if len(retrained) > MAX_RETRAINED_RUNS:
    retrained = random.Random(random_seed()).sample(retrained, MAX_RETRAINED_RUNS)
wrong = []
for tracked in retrained:
    settings, problem = estimator_params(tracked.params)
    if problem is None:
        try:
            truth = retrain(orders, settings).auc
        except (ValueError, TypeError) as refused:
            problem = f"GradientBoostingClassifier refuses them ({str(refused)[:120]})"
    if problem is not None:
        wrong.append(f"{tracked.label()} cannot be retrained from its params: {problem}")
        continue
    value = tracked.metrics[PRIMARY_METRIC]
    if abs(value - truth) > METRIC_TOLERANCE:
        wrong.append(f"{tracked.label()} ({describe(setting(tracked))}) has {PRIMARY_METRIC} {value:.4f}, "
                     f"retraining gives {truth:.4f}")
check.detail(
    MATCH,
    not wrong,
    f"The check retrained the runs of the sweep with the params each one logged, on the orders sweep.py "
    f"read in this check, and {len(wrong)} of {len(retrained)} disagree: {wrong[0] if wrong else ''}. "
    f"Each run should log the {PRIMARY_METRIC} of its own model, trained with exactly the params it logs.",
    pass_message=f"the {PRIMARY_METRIC} of {len(retrained)} runs agrees with a retraining",
)
scores = sorted(tracked.metrics[PRIMARY_METRIC] for tracked in seen.values())
varied = [key for key, v in zip(HYPERPARAMETERS, values) if len(v) > 1]
check.done(
    f"{SCRIPT} logged a grid of {len(seen)} finished runs to '{EXPERIMENT}' over "
    f"{', '.join(varied) or 'no hyperparameter'}, and retraining each on this check's fresh orders gives "
    f"the {PRIMARY_METRIC} it logged ({scores[0]:.4f} to {scores[-1]:.4f})."
)
