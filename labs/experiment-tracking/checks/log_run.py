"""Step 1: `python3 train.py`, run on fresh orders the grader made for this grading, logs one
finished run to late-orders whose numbers are those of a real training on those orders.

Runs (lab.yaml): fresh_orders.py as the grader (the orders, the grader's copy, a snapshot of the
runs already on the server), then the learner command, which copies the orders over
data/orders.csv in its copy of the workspace and runs train.py. The check finds the one run the
command logged during this grading (logged_runs.py), then challenges what it says: it retrains the
same estimator with the run's logged params on the same orders (retrain.py) and compares the
metrics and the feature importances; the data_sha256 tag must be the hash of this grading's
orders. Nothing the learner's code printed is believed."""
import hashlib
import json
import math

from academy_check import Check, LearnerFileError, sha256_file, short_hash, state_dir
from academy_tracking import ARTIFACT_LIMIT_BYTES
from expectations import (
    DATA_FILE,
    DATA_TAG,
    EXPERIMENT,
    FEATURES,
    HYPERPARAMETERS,
    IMPORTANCE_TOLERANCE,
    IMPORTANCES_ARTIFACT,
    METRIC_TOLERANCE,
    METRICS,
    STATE_ORDERS,
)
from logged_runs import LabServer, runs_logged_by

SCRIPT = "`python3 train.py`"
LOGGED = "run logged by train.py"
FINISHED = "run finished"
PARAMS = "hyperparameters logged"
MATCH = "metrics match retraining"
HASH = "data hash tag"
IMPORTANCES = "feature importances match retraining"

check = Check()
challenge, run = check.require_runs(2)
server = LabServer(check)  # first: a server that is down has its own message
if challenge.as_user != "grader" or challenge.exit_code != 0:
    print(f"log_run: the challenge was not made: {challenge.stderr[-2000:]}")
    check.error()
check.require_success(run, SCRIPT)

logged, _ = runs_logged_by(check, server, run, SCRIPT, LOGGED)
if len(logged) > 1:
    message = (
        f"{SCRIPT} logged {len(logged)} runs to '{EXPERIMENT}' "
        f"({', '.join(tracked.label() for tracked in logged[:5])}); one training should be one run, "
        "with everything about it logged inside that run."
    )
    check.detail(LOGGED, False, message)
    check.fail(message)
(tracked,) = logged
name = f"the run {tracked.label()}"
Name = name[0].upper() + name[1:]  # at the start of a sentence
check.detail(LOGGED, True, "", pass_message=f"{SCRIPT} logged {name} to '{EXPERIMENT}' while the check ran it.")

check.detail(
    FINISHED,
    tracked.status == "FINISHED",
    f"{Name} is {tracked.status}, not FINISHED: the run should end when training does (a run that "
    "raised an error ends as FAILED; one that was never ended stays RUNNING).",
    pass_message=f"{Name} is FINISHED.",
)

# Params: each hyperparameter, as a number, and values the grader can train with.
problems = []
for key in HYPERPARAMETERS:
    value = tracked.params.get(key)
    if value is None:
        problems.append(f"it has no param {key}")
    else:
        try:
            float(value)
        except ValueError:
            problems.append(f"its param {key} is '{value[:40]}', not a number")
params_ok = not problems
reference = None
if params_ok:
    from retrain import estimator_params, load_orders, retrain  # numpy and scikit-learn: slow imports

    settings, problem = estimator_params(tracked.params)
    if problem is None:
        try:
            reference = retrain(load_orders(state_dir() / STATE_ORDERS), settings)
        except (ValueError, TypeError) as refused:
            problem = f"GradientBoostingClassifier refuses them ({str(refused)[:160]})"
    if problem is not None:
        params_ok = False
        problems.append(problem)
check.detail(
    PARAMS,
    params_ok,
    f"{Name} cannot be retrained from its params: {'; '.join(problems)}. Log the hyperparameters "
    f"train.py trains with ({', '.join(HYPERPARAMETERS)}), as numbers.",
    pass_message="params " + ", ".join(f"{key} = {tracked.params.get(key)}" for key in HYPERPARAMETERS),
)

retrained = (
    "The check retrained GradientBoostingClassifier with the params your run logged, on the orders "
    "train.py read in this check"
)
if reference is not None:
    expected = {"val_auc": reference.auc, "val_accuracy": reference.accuracy}
    wrong = []
    for key in METRICS:
        value = tracked.metrics.get(key)
        if value is None:
            wrong.append(f"{key} is missing (retraining gives {expected[key]:.4f})")
        elif not math.isfinite(value) or abs(value - expected[key]) > METRIC_TOLERANCE:
            wrong.append(f"{key} is {value:.4f}, retraining gives {expected[key]:.4f}")
    check.detail(
        MATCH,
        not wrong,
        f"{retrained}, and {name} does not agree: {'; '.join(wrong)}. Log the metrics evaluate() "
        "computes for the model this run trained, on the validation orders, and log every setting "
        "the model trains with.",
        pass_message=f"{', '.join(f'{key} {expected[key]:.4f}' for key in METRICS)}, as a retraining gives.",
    )


def workspace_data_hash() -> str | None:
    """The SHA-256 of data/orders.csv in the learner's work folder, to recognise a kept hash."""
    try:
        return sha256_file(check.workspace / DATA_FILE, DATA_FILE)
    except LearnerFileError:
        return None


# The tag: the SHA-256 of the orders this very run read (the grader's fresh orders).
orders_bytes = (state_dir() / STATE_ORDERS).read_bytes()
expected_hash = hashlib.sha256(orders_bytes).hexdigest()
tagged = (tracked.tags.get(DATA_TAG) or "").strip().lower()
if not tagged:
    hash_message = f"{Name} has no tag {DATA_TAG}; it should hold the SHA-256 of {DATA_FILE}."
elif tagged == workspace_data_hash():
    hash_message = (
        f"{Name} has {DATA_TAG} = {short_hash(tagged)}, the hash of {DATA_FILE} in your work folder, "
        f"but in this check train.py read other orders, whose SHA-256 is {short_hash(expected_hash)}: "
        "hash the file each time train.py runs, rather than keep a hash computed earlier."
    )
else:
    hash_message = (
        f"{Name} has {DATA_TAG} = '{tagged[:70]}', but the SHA-256 of the {DATA_FILE} train.py read "
        f"in this check is {short_hash(expected_hash)}; hash the bytes of the file train.py reads "
        f"(what `sha256sum {DATA_FILE}` prints)."
    )
check.detail(HASH, tagged == expected_hash, hash_message,
             pass_message=f"tag {DATA_TAG} = {short_hash(expected_hash)}, the hash of this check's orders")


def judge_importances(payload: bytes) -> str | None:
    """What is wrong with feature_importances.json, or None."""
    if len(payload) > ARTIFACT_LIMIT_BYTES:
        return f"{IMPORTANCES_ARTIFACT} of {name} is over 1 MiB; it should hold one number per feature."
    try:
        importances = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return f"{IMPORTANCES_ARTIFACT} of {name} is not valid JSON."
    if not isinstance(importances, dict):
        return (f"{IMPORTANCES_ARTIFACT} of {name} holds a JSON {type(importances).__name__}; it should "
                "be one object mapping each feature name to its importance.")
    missing = [feature for feature in FEATURES if feature not in importances]
    if missing:
        return f"{IMPORTANCES_ARTIFACT} of {name} has no entry for {', '.join(missing)}."
    extra = [key for key in importances if key not in FEATURES]
    if extra:
        return (f"{IMPORTANCES_ARTIFACT} of {name} has keys that are not feature columns: "
                f"{', '.join(str(key)[:30] for key in extra[:5])}.")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
               for v in importances.values()):
        return f"{IMPORTANCES_ARTIFACT} of {name} has a value that is not a number."
    if reference is None:
        return None
    expected = reference.importances()
    off = [feature for feature in FEATURES if abs(importances[feature] - expected[feature]) > IMPORTANCE_TOLERANCE]
    if off:
        feature = off[0]
        return (
            f"{retrained}, and {len(off)} of the importances in {IMPORTANCES_ARTIFACT} of {name} differ "
            f"from its model's: {feature} is {importances[feature]:.4f}, the retrained model's is "
            f"{expected[feature]:.4f}. Log the feature_importances_ of the model this run trained, "
            "paired with the feature columns in order."
        )
    return None


payload = server.artifact(tracked.artifact_uri, IMPORTANCES_ARTIFACT)
if payload is None:
    at_root = [entry.get("path") for entry in server.list_artifacts(tracked.artifact_uri)]
    where = f" (its artifacts: {', '.join(at_root[:5])})" if at_root else ""
    check.detail(IMPORTANCES, False,
                 f"{Name} has no artifact {IMPORTANCES_ARTIFACT} at the top of its artifacts{where}.")
else:
    problem = judge_importances(payload)
    check.detail(IMPORTANCES, problem is None, problem or "",
                 pass_message=f"{IMPORTANCES_ARTIFACT} holds the importances of the retrained model.")

rows = orders_bytes.count(b"\n") - 1
check.done(
    f"{SCRIPT} logged {name} to '{EXPERIMENT}' while the check ran it on {rows} fresh orders, and a "
    "retraining with its params agrees: "
    + ", ".join(f"{key} {tracked.metrics.get(key, math.nan):.4f}" for key in METRICS)
    + f", the same feature importances, and the orders' SHA-256 ({short_hash(expected_hash)}) as {DATA_TAG}."
)
