"""Step 2: one run of `python3 train.py` logs val_log_loss once per boosting round (steps 1 to
n_estimators) and best_round, the round where val_log_loss is lowest."""
import math

from academy_check import Check, to_number
from expectations import BEST_ROUND_METRIC, CURVE_METRIC, EXPERIMENT
from logged_runs import runs_logged_by
from academy_tracking import TrackingServer

check = Check()
(run,) = check.require_runs(1)
server = TrackingServer(check)
check.require_success(run)

logged, _ = runs_logged_by(check, server, run, "`python3 train.py`")
if len(logged) > 1:
    check.fail(
        f"`python3 train.py` logged {len(logged)} runs to '{EXPERIMENT}'; keep one run per training "
        "and log the curve inside it."
    )
(tracked,) = logged
name = f"the run {tracked.label()}"
Name = name[0].upper() + name[1:]  # at the start of a sentence

rounds_text = tracked.params.get("n_estimators")
rounds = to_number(rounds_text) if rounds_text is not None else None
if rounds is None or rounds != int(rounds) or rounds < 1:
    check.fail(
        f"{Name} has no usable param n_estimators (found {rounds_text!r}); keep logging the "
        "hyperparameters as in step 1, so the check knows how many rounds to expect."
    )
rounds = int(rounds)

curve = server.metric_history(tracked.run_id, CURVE_METRIC)
if not curve:
    check.fail(
        f"{Name} has no metric {CURVE_METRIC}; log it after every boosting round with "
        f"mlflow.log_metric(\"{CURVE_METRIC}\", loss, step=round_number)."
    )

steps = [step for step, _ in curve]
if len(set(steps)) == 1 and len(steps) > 1:
    check.fail(
        f"{Name} logged {len(steps)} values of {CURVE_METRIC}, all at step {steps[0]}; pass "
        "step=round_number to mlflow.log_metric so each value has its own round."
    )
if len(set(steps)) != len(steps):
    repeated = sorted({step for step in steps if steps.count(step) > 1})
    check.fail(
        f"{Name} has more than one {CURVE_METRIC} value at step {repeated[0]}; log exactly one value "
        f"per round (steps 1 to {rounds}), and not a final value on top of the curve."
    )
if sorted(steps) == list(range(0, rounds)):
    check.fail(
        f"{Name} logged {CURVE_METRIC} at steps 0 to {rounds - 1}; number the rounds from 1, for "
        "example with enumerate(model.staged_predict_proba(...), start=1)."
    )
if sorted(steps) != list(range(1, rounds + 1)):
    check.fail(
        f"{Name} logged {len(steps)} values of {CURVE_METRIC} at steps {min(steps)} to {max(steps)}, "
        f"but the model has {rounds} rounds (n_estimators={rounds}); log one value after every round, "
        f"steps 1 to {rounds}."
    )

bad = [(step, value) for step, value in curve if not math.isfinite(value) or value <= 0]
if bad:
    step, value = bad[0]
    check.fail(f"{Name} has {CURVE_METRIC} = {value} at step {step}; a log loss is a positive number.")

by_step = sorted(curve)
lowest_step, lowest = min(by_step, key=lambda point: (point[1], point[0]))
best_round = tracked.metrics.get(BEST_ROUND_METRIC)
if best_round is None:
    check.fail(
        f"{Name} has no metric {BEST_ROUND_METRIC}; log the round where {CURVE_METRIC} was lowest "
        f"(mlflow.log_metric(\"{BEST_ROUND_METRIC}\", round_number))."
    )
check.detail(
    BEST_ROUND_METRIC,
    best_round == lowest_step,
    f"{Name} has {BEST_ROUND_METRIC} = {best_round:g}, but {CURVE_METRIC} was lowest at round "
    f"{lowest_step} ({lowest:.4f}); log the round (the step) of the smallest value.",
    pass_message=f"{BEST_ROUND_METRIC} = {lowest_step}",
)
last_step, last = by_step[-1]
check.done(
    f"{Name} logged {CURVE_METRIC} after each of its {rounds} rounds: lowest at round {lowest_step} "
    f"({lowest:.4f}), {last:.4f} after the last one; {BEST_ROUND_METRIC} = {lowest_step}."
)
