"""Step 3: one run of `python3 train.py` writes metrics.json (the printed metrics as numbers and
the SHA-256 of model.joblib under "model_sha256"), and the recorded hash is that of the model
file the same run saved."""
import json
import math
import re

from academy_check import Check, agree_when_rounded, read_json, sha256_file, short_hash
from expectations import HASH_KEY, METRICS, METRICS_FILE, MODEL_FILE

check = Check()
(run,) = check.require_runs(1)
check.require_success(run)

for name in (METRICS_FILE, MODEL_FILE):
    if not run.path(name).exists() and not run.path(name).is_symlink():
        check.fail(f"train.py did not write {name} in the folder it ran in.")
    if not run.written_during_run(name):
        check.fail(
            f"{name} was not written by this run of train.py (the file is older than the run); make "
            "train.py write it every time it trains, because a file written by hand or left over from "
            "an earlier run does not count."
        )

record = read_json(run.path(METRICS_FILE), METRICS_FILE)
if not isinstance(record, dict):
    check.fail(
        f"{METRICS_FILE} holds a JSON {type(record).__name__}; it must be one object with the keys "
        f"{', '.join(METRICS)} and {HASH_KEY}."
    )

printed = run.metrics()
for name in METRICS:
    value = record.get(name)
    label = f"{name} in {METRICS_FILE}"
    if name not in record:
        check.detail(label, False, f'{METRICS_FILE} has no "{name}" key; add the {name} train.py computes.')
    elif isinstance(value, bool) or not isinstance(value, (int, float)):
        check.detail(
            label,
            False,
            f'{METRICS_FILE} has "{name}": {json.dumps(value)[:60]}, which is not a number; write the '
            "number itself (a float, not a string).",
        )
    elif not math.isfinite(value):
        check.detail(label, False, f'{METRICS_FILE} has "{name}": {value}; expected a finite number.')
    elif name in printed and not agree_when_rounded(value, printed[name]):
        check.detail(
            label,
            False,
            f'{METRICS_FILE} has "{name}": {value}, but the same run printed {name}: {printed[name]}; '
            "write the values train.py computed.",
        )
    else:
        check.detail(label, True, "", pass_message=f'{METRICS_FILE} has "{name}": {value}.')

actual = sha256_file(run.path(MODEL_FILE), MODEL_FILE)
recorded = record.get(HASH_KEY)
if HASH_KEY not in record:
    check.detail(
        HASH_KEY,
        False,
        f'{METRICS_FILE} has no "{HASH_KEY}" key; add the SHA-256 of {MODEL_FILE} as 64 hex characters '
        "(what `sha256sum model.joblib` prints).",
    )
elif not isinstance(recorded, str) or not re.fullmatch(r"[0-9a-fA-F]{64}", recorded.strip()):
    check.detail(
        HASH_KEY,
        False,
        f'{METRICS_FILE} has "{HASH_KEY}": {json.dumps(recorded)[:80]}, which is not a SHA-256 hex '
        "digest (64 characters, 0-9 and a-f).",
    )
else:
    check.detail(
        HASH_KEY,
        recorded.strip().lower() == actual,
        f'{METRICS_FILE} records {HASH_KEY} {short_hash(recorded.strip())}, but the {MODEL_FILE} saved by '
        f"the same run has sha256 {short_hash(actual)}; hash the file after saving it.",
        pass_message=f"{HASH_KEY} matches {MODEL_FILE} ({short_hash(actual)}).",
    )

check.done(
    f"train.py wrote {METRICS_FILE} with "
    + ", ".join(f"{name} {printed.get(name, record.get(name))}" for name in METRICS)
    + f" and the SHA-256 of the {MODEL_FILE} it saved ({short_hash(actual)})."
)
