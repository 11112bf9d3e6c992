"""Step 1: one run of `python3 train.py` logs one finished run to the late-orders experiment with the
hyperparameters as params, val_auc and val_accuracy as metrics (the values train.py printed), the
SHA-256 of data/orders.csv as the data_sha256 tag and feature_importances.json as an artifact."""
import json
import math

from academy_check import Check, agree_when_rounded, sha256_file, short_hash, to_number
from expectations import (
    DATA_FILE,
    DATA_TAG,
    EXPERIMENT,
    FEATURES,
    HYPERPARAMETERS,
    IMPORTANCES_ARTIFACT,
    METRICS,
)
from logged_runs import runs_logged_by
from academy_tracking import ARTIFACT_LIMIT_BYTES, TrackingServer

check = Check()
(run,) = check.require_runs(1)
server = TrackingServer(check)
check.require_success(run)

logged, _ = runs_logged_by(check, server, run, "`python3 train.py`")
if len(logged) > 1:
    check.fail(
        f"`python3 train.py` logged {len(logged)} runs to '{EXPERIMENT}' "
        f"({', '.join(r.label() for r in logged[:5])}); log everything about one training in a "
        "single run, inside one `with mlflow.start_run():` block."
    )
(tracked,) = logged
name = f"the run {tracked.label()}"
Name = name[0].upper() + name[1:]  # at the start of a sentence

check.detail(
    "run finished",
    tracked.status == "FINISHED",
    f"{Name} is {tracked.status}, not FINISHED: use `with mlflow.start_run():` so the run ends "
    "when training does (or call mlflow.end_run()).",
    pass_message=f"{Name} is FINISHED.",
)

# Params: each hyperparameter, as a number (params are stored as strings).
for key in HYPERPARAMETERS:
    value = tracked.params.get(key)
    if value is None:
        check.detail(f"param {key}", False,
                     f"{Name} has no param {key}; log every hyperparameter, e.g. mlflow.log_params(PARAMS).")
    else:
        check.detail(f"param {key}", to_number(value) is not None,
                     f"{Name} has param {key} = '{value[:40]}'; log the number train.py trains with.",
                     pass_message=f"param {key} = {value}")

# Metrics: present, between 0 and 1, and the values train.py printed.
printed = run.metrics()
for key in METRICS:
    value = tracked.metrics.get(key)
    label = f"metric {key}"
    if value is None:
        check.detail(label, False, f"{Name} has no metric {key}; log it with mlflow.log_metric or mlflow.log_metrics.")
    elif not math.isfinite(value) or not 0 <= value <= 1:
        check.detail(label, False, f"{Name} has {key} = {value}; expected the validation score, between 0 and 1.")
    elif key in printed and not agree_when_rounded(value, printed[key]):
        check.detail(label, False, f"{Name} has {key} = {value:.4f}, but train.py printed {key}: "
                     f"{printed[key]}; log the values train.py computes.")
    else:
        check.detail(label, True, "", pass_message=f"metric {key} = {value:.4f}")

# The tag: the SHA-256 of the data file this very run read.
expected_hash = sha256_file(run.path(DATA_FILE), DATA_FILE)
tagged = tracked.tags.get(DATA_TAG)
if tagged is None:
    check.detail(f"tag {DATA_TAG}", False, f"{Name} has no tag {DATA_TAG}; set it to the SHA-256 of {DATA_FILE} "
                 "with mlflow.set_tag.")
else:
    check.detail(
        f"tag {DATA_TAG}",
        tagged.strip().lower() == expected_hash,
        f"{Name} has {DATA_TAG} = '{tagged[:70]}', but the SHA-256 of {DATA_FILE} is "
        f"{short_hash(expected_hash)}; hash the file's bytes (what `sha256sum {DATA_FILE}` prints).",
        pass_message=f"tag {DATA_TAG} = {short_hash(expected_hash)}",
    )


def judge_importances(payload: bytes) -> str | None:
    """What is wrong with feature_importances.json, or None."""
    if len(payload) > ARTIFACT_LIMIT_BYTES:
        return f"{IMPORTANCES_ARTIFACT} is over 1 MiB; log one number per feature."
    try:
        importances = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return f"{IMPORTANCES_ARTIFACT} of {name} is not valid JSON; log a dict with mlflow.log_dict."
    if not isinstance(importances, dict):
        return (f"{IMPORTANCES_ARTIFACT} of {name} holds a JSON {type(importances).__name__}; log one "
                "object mapping each feature name to its importance.")
    missing = [feature for feature in FEATURES if feature not in importances]
    if missing:
        return (f"{IMPORTANCES_ARTIFACT} of {name} has no entry for {', '.join(missing)}; map every "
                "feature column to model.feature_importances_ (zip the two).")
    extra = [key for key in importances if key not in FEATURES]
    if extra:
        return (f"{IMPORTANCES_ARTIFACT} of {name} has keys that are not feature columns: "
                f"{', '.join(str(key)[:30] for key in extra[:5])}; use the column names of the features.")
    values = list(importances.values())
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and v >= 0
               for v in values):
        return f"{IMPORTANCES_ARTIFACT} of {name} has a value that is not a number of 0 or more; log float(value)."
    if abs(sum(values) - 1) > 0.01:
        return (f"The importances in {IMPORTANCES_ARTIFACT} of {name} add up to {sum(values):.3f}; "
                "the model's feature_importances_ add up to 1.")
    return None


payload = server.artifact(tracked.artifact_uri, IMPORTANCES_ARTIFACT)
if payload is None:
    at_root = [entry.get("path") for entry in server.list_artifacts(tracked.artifact_uri)]
    where = f" (its artifacts: {', '.join(at_root[:5])})" if at_root else ""
    check.detail(
        IMPORTANCES_ARTIFACT, False,
        f"{Name} has no artifact {IMPORTANCES_ARTIFACT} at the top of its artifacts{where}; log it with "
        f'mlflow.log_dict(importances, "{IMPORTANCES_ARTIFACT}").',
    )
else:
    problem = judge_importances(payload)
    check.detail(IMPORTANCES_ARTIFACT, problem is None, problem or "",
                 pass_message=f"{IMPORTANCES_ARTIFACT} maps all {len(FEATURES)} features to their importance.")

check.done(
    f"`python3 train.py` logged {name} to '{EXPERIMENT}' with its hyperparameters, "
    + ", ".join(f"{key} {tracked.metrics.get(key, math.nan):.4f}" for key in METRICS)
    + f", the data's SHA-256 ({short_hash(expected_hash)}) and {IMPORTANCES_ARTIFACT}."
)
