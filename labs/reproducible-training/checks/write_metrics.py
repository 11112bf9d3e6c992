"""Step 3: one run of train.py on orders made for this grading (make_challenge.py, run_train.py)
writes metrics.json: mae, rmse and r2 of the saved model on the check's validation orders, and the
SHA-256 of the model.joblib the same run saved. The check does not believe the numbers: it
recomputes each metric from the predictions the saved model makes for the validation orders, with
the true delivery times it kept, and hashes model.joblib itself.
"""
import json

from academy_check import Check, read_json, sha256_file, short_hash
from challenge import is_number, metrics, model_predictions, require_challenge, truth
from expectations import HASH_KEY, METRIC_TOLERANCE, METRICS, METRICS_FILE, MODEL_FILE, VALIDATION_DATA

check = Check()
grader_run, run = check.require_runs(2)
state = require_challenge(check, grader_run)
check.require_success(run, "`python3 train.py`")

for name, detail in ((MODEL_FILE, "model saved"), (METRICS_FILE, "metrics.json written by the run")):
    path = run.path(name)
    if not path.exists() and not path.is_symlink():
        problem = f"train.py did not write {name} in the folder it ran in."
    elif not run.written_during_run(name):
        problem = (f"{name} was not written by this run of train.py (the file is older than the run); make "
                   "train.py write it every time it trains, because a file written by hand or left over "
                   "from an earlier run does not count.")
    else:
        continue
    check.detail(detail, False, problem)
    check.fail(problem)
check.detail("metrics.json written by the run", True, "", pass_message=f"This run of train.py wrote {METRICS_FILE}.")

record = read_json(run.path(METRICS_FILE), METRICS_FILE)
if not isinstance(record, dict):
    problem = (f"{METRICS_FILE} holds a JSON {type(record).__name__}; it must be one object with the keys "
               f"{', '.join(METRICS)} and {HASH_KEY}.")
    check.detail("metrics.json is an object", False, problem)
    check.fail(problem)

# The metrics, against what the saved model does with the check's validation orders.
model = model_predictions(check, run, state)
count = len(state["validation"])
recomputed = metrics(truth(state), model["predictions"])
for name in METRICS:
    value, label = record.get(name), f"{name} in {METRICS_FILE}"
    if name not in record:
        check.detail(label, False, f'{METRICS_FILE} has no "{name}" key; add the {name} train.py computes.')
    elif not is_number(value):
        check.detail(
            label,
            False,
            f'{METRICS_FILE} has "{name}": {json.dumps(value)[:60]}, which is not a finite number; write the '
            "number itself (a float, not a string).",
        )
    else:
        check.detail(
            label,
            abs(value - recomputed[name]) <= METRIC_TOLERANCE + 1e-9,
            f'{METRICS_FILE} has "{name}": {value}, but the {MODEL_FILE} this run saved predicts the check\'s '
            f"{count} validation orders (its {VALIDATION_DATA}) with {name} {recomputed[name]:.3f}; write the "
            f"{name} of the saved model on the validation orders.",
            pass_message=f'{METRICS_FILE} has "{name}": {value}, the {name} of the saved model on the check\'s '
            f"{count} validation orders.",
        )

# The hash, against the model file the same run saved.
actual = sha256_file(run.path(MODEL_FILE), MODEL_FILE)
recorded = record.get(HASH_KEY)
label = f"{HASH_KEY} matches {MODEL_FILE}"
if HASH_KEY not in record:
    check.detail(
        label,
        False,
        f'{METRICS_FILE} has no "{HASH_KEY}" key; add the SHA-256 of {MODEL_FILE} as 64 hex characters '
        "(what `sha256sum model.joblib` prints).",
    )
elif not isinstance(recorded, str) or len(recorded.strip()) != 64 or any(
    c not in "0123456789abcdefABCDEF" for c in recorded.strip()
):
    check.detail(
        label,
        False,
        f'{METRICS_FILE} has "{HASH_KEY}": {json.dumps(recorded)[:80]}, which is not a SHA-256 hex digest '
        "(64 characters, 0-9 and a-f).",
    )
else:
    check.detail(
        label,
        recorded.strip().lower() == actual,
        f'{METRICS_FILE} records {HASH_KEY} {short_hash(recorded.strip())}, but the {MODEL_FILE} saved by the '
        f"same run has sha256 {short_hash(actual)}; hash the file after saving it.",
        pass_message=f"{HASH_KEY} matches the {MODEL_FILE} this run saved ({short_hash(actual)}).",
    )

check.done(
    f"train.py wrote {METRICS_FILE} with the metrics of the model it saved on the check's {count} validation "
    "orders (" + ", ".join(f"{name} {recomputed[name]:.3f}" for name in METRICS)
    + f") and the SHA-256 of that {MODEL_FILE} ({short_hash(actual)})."
)
