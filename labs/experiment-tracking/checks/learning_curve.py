"""Step 2: `python3 train.py`, run on fresh orders the grader made for this grading, logs in its one
run val_log_loss after every boosting round (steps 1 to n_estimators) and best_round, the round
where val_log_loss is lowest, and the curve is the one the run's model really traced.

Runs (lab.yaml): fresh_orders.py as the grader, then the learner command, which copies the orders
over data/orders.csv in its copy of the workspace and runs train.py. The check finds the one run
the command logged during this grading (logged_runs.py), reads the curve's whole history and
compares it, round by round, with the grader's own staged curve: the same estimator retrained with
the run's logged params on the same orders (retrain.py)."""
import math

from academy_check import Check, state_dir, to_number
from expectations import (
    BEST_ROUND_METRIC,
    CURVE_METRIC,
    EXPERIMENT,
    HYPERPARAMETERS,
    METRIC_TOLERANCE,
    STATE_ORDERS,
)
from logged_runs import LabServer, runs_logged_by

SCRIPT = "`python3 train.py`"
LOGGED = "run logged by train.py"
PARAMS = "hyperparameters logged"
STEPS = "one value per round"
IMPROVES = "curve improves"
MATCH = "curve matches retraining"
BEST = "best_round"

check = Check()
challenge, run = check.require_runs(2)
server = LabServer(check)  # first: a server that is down has its own message
if challenge.as_user != "grader" or challenge.exit_code != 0:
    print(f"learning_curve: the challenge was not made: {challenge.stderr[-2000:]}")
    check.error()
check.require_success(run, SCRIPT)

logged, _ = runs_logged_by(check, server, run, SCRIPT, LOGGED)
if len(logged) > 1:
    message = (
        f"{SCRIPT} logged {len(logged)} runs to '{EXPERIMENT}'; keep one run per training, with its "
        "learning curve inside that run."
    )
    check.detail(LOGGED, False, message)
    check.fail(message)
(tracked,) = logged
name = f"the run {tracked.label()}"
Name = name[0].upper() + name[1:]  # at the start of a sentence
check.detail(LOGGED, True, "", pass_message=f"{SCRIPT} logged {name} while the check ran it.")

# The number of rounds, and settings the grader can retrain with.
rounds_text = tracked.params.get("n_estimators")
rounds = to_number(rounds_text) if rounds_text is not None else None
missing = [key for key in HYPERPARAMETERS if key not in tracked.params]
if missing or rounds is None or rounds != int(rounds) or rounds < 1:
    found = f"no param {', '.join(missing)}" if missing else f"n_estimators = {rounds_text!r}"
    message = (
        f"{Name} has {found}: keep logging the hyperparameters as in step 1, so the check knows how "
        "many rounds to expect and can retrain the model."
    )
    check.detail(PARAMS, False, message)
    check.fail(message)
rounds = int(rounds)

curve = server.metric_history(tracked.run_id, CURVE_METRIC)
if not curve:
    message = f"{Name} has no metric {CURVE_METRIC}; the curve should hold one value after every boosting round."
    check.detail(STEPS, False, message)
    check.fail(message)

# The shape: one value at each step from 1 to n_estimators, positive.
steps = [step for step, _ in curve]
shape = None
if len(set(steps)) == 1 and len(steps) > 1:
    shape = (f"{Name} logged {len(steps)} values of {CURVE_METRIC}, all at step {steps[0]}; each value "
             "needs the number of its round as its step.")
elif len(set(steps)) != len(steps):
    repeated = sorted({step for step in steps if steps.count(step) > 1})
    shape = (f"{Name} has more than one {CURVE_METRIC} value at step {repeated[0]}; the curve should have "
             f"exactly one value per round (steps 1 to {rounds}), and no final value on top of it.")
elif sorted(steps) == list(range(0, rounds)):
    shape = (f"{Name} logged {CURVE_METRIC} at steps 0 to {rounds - 1}; the rounds are numbered from 1, "
             f"so the curve should run from step 1 to step {rounds}.")
elif sorted(steps) != list(range(1, rounds + 1)):
    shape = (f"{Name} logged {len(steps)} values of {CURVE_METRIC} at steps {min(steps)} to {max(steps)}, "
             f"but the model has {rounds} rounds (n_estimators={rounds}); the curve should have one value "
             f"after every round, steps 1 to {rounds}.")
else:
    bad = [(step, value) for step, value in curve if not math.isfinite(value) or value <= 0]
    if bad:
        shape = f"{Name} has {CURVE_METRIC} = {bad[0][1]} at step {bad[0][0]}; a log loss is a positive number."
check.detail(STEPS, shape is None, shape or "", pass_message=f"{CURVE_METRIC} at each step from 1 to {rounds}")
if shape is not None:
    check.fail(shape)

by_step = [value for _, value in sorted(curve)]
lowest = min(by_step)
lowest_round = by_step.index(lowest) + 1

# A model that learns gets better than it started; a value repeated at every round does not.
check.detail(
    IMPROVES,
    lowest < by_step[0] - METRIC_TOLERANCE,
    f"In {name}, {CURVE_METRIC} never drops below its value after round 1 ({by_step[0]:.4f}): a boosting "
    "model's validation loss falls as rounds are added, so each value should be the loss of the "
    "predictions after that round.",
    pass_message=f"{CURVE_METRIC} falls from {by_step[0]:.4f} to {lowest:.4f}",
)

# The curve against the grader's own staged curve for the logged params, on the same orders.
from retrain import estimator_params, load_orders, retrain  # numpy and scikit-learn: slow imports

settings, problem = estimator_params(tracked.params)
reference = None
if problem is None:
    try:
        reference = retrain(load_orders(state_dir() / STATE_ORDERS), settings)
    except (ValueError, TypeError) as refused:
        problem = f"GradientBoostingClassifier refuses them ({str(refused)[:160]})"
if reference is None:
    message = f"{Name} cannot be retrained from its params: {problem}."
    check.detail(PARAMS, False, message)
    check.fail(message)
expected = reference.curve()
if len(expected) != rounds:  # early stopping (n_iter_no_change) stops before n_estimators
    message = (f"{Name} logged the params of a model that stops after {len(expected)} of its {rounds} "
               "rounds; the check expects every round to be trained.")
    check.detail(PARAMS, False, message)
    check.fail(message)
off = [(step, value, truth) for step, (value, truth) in enumerate(zip(by_step, expected), start=1)
       if abs(value - truth) > METRIC_TOLERANCE]
if off:
    step, value, truth = off[0]
    match_message = (
        f"The check retrained the model with the params {name} logged, on the orders train.py read in "
        f"this check, and scored its predictions after every round: {len(off)} of the {rounds} values "
        f"of {CURVE_METRIC} differ, first at round {step} ({value:.4f} logged, {truth:.4f} retrained). "
        "Each value should be the log loss, on the validation orders, of the predictions of this run's "
        "model after that round."
    )
else:
    match_message = ""
check.detail(MATCH, not off, match_message,
             pass_message=f"all {rounds} values agree with the retrained model's staged predictions")

expected_best = expected.index(min(expected)) + 1
best_round = tracked.metrics.get(BEST_ROUND_METRIC)
if best_round is None:
    best_message = f"{Name} has no metric {BEST_ROUND_METRIC}, the round where {CURVE_METRIC} was lowest."
else:
    best_message = (
        f"{Name} has {BEST_ROUND_METRIC} = {best_round:g}, but {CURVE_METRIC} was lowest at round "
        f"{lowest_round} ({lowest:.4f}); {BEST_ROUND_METRIC} is the round (the step) of the smallest value."
    )
check.detail(
    BEST,
    best_round is not None and best_round in (lowest_round, expected_best),
    best_message,
    pass_message=f"{BEST_ROUND_METRIC} = {lowest_round}",
)
check.done(
    f"{Name} logged {CURVE_METRIC} after each of its {rounds} rounds, as the check's retraining on "
    f"fresh orders traces it: lowest at round {lowest_round} ({lowest:.4f}), {by_step[-1]:.4f} after "
    f"the last one; {BEST_ROUND_METRIC} = {lowest_round}."
)
