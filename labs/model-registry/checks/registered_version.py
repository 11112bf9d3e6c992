"""Step 1: after `python3 train.py`, one run of `python3 register_best.py` registers exactly one new
version of delivery-eta, from the finished run with the lowest val_mae, with the model folder as its
source, and points @challenger at it."""
from academy_check import Check
from expectations import CHALLENGER, EXPERIMENT, METRIC, MODEL_NAME
from registry_state import versions_registered_during
from academy_tracking import TrackingServer

SCRIPT = "register_best.py"

check = Check()
train, register = check.require_runs(2)
server = TrackingServer(check)
check.require_success(train)
if not register.path(SCRIPT).exists() and not register.path(SCRIPT).is_symlink():
    check.fail(f"There is no {SCRIPT} in your work folder yet; create it next to train.py.")
check.require_success(register)

if server.registered_model(MODEL_NAME) is None:
    check.fail(
        f"`python3 {SCRIPT}` ran, but there is no registered model named '{MODEL_NAME}': register the "
        f"best run's model with mlflow.register_model(f\"runs:/{{run_id}}/model\", \"{MODEL_NAME}\")."
    )
new_versions = versions_registered_during(server, register)
if not new_versions:
    check.fail(f"`python3 {SCRIPT}` ran, but registered no new version of '{MODEL_NAME}'; it should "
               "register one each time it runs.")
if len(new_versions) > 1:
    numbers = ", ".join(v["version"] for v in new_versions)
    check.fail(f"`python3 {SCRIPT}` registered {len(new_versions)} versions of '{MODEL_NAME}' ({numbers}); "
               "register only the best run's model.")
(version,) = new_versions
number = version["version"]

experiment = server.experiment_by_name(EXPERIMENT)
finished = [
    tracked
    for tracked in server.search_runs([experiment["experiment_id"]] if experiment else [],
                                      "attributes.status = 'FINISHED'")
    if tracked.metrics.get(METRIC) is not None
]
if not finished:
    check.error()  # train.py just logged some; the check cannot see them
best_error = min(tracked.metrics[METRIC] for tracked in finished)
best = next(tracked for tracked in finished if tracked.metrics[METRIC] == best_error)

source_run = next((tracked for tracked in finished if tracked.run_id == version.get("run_id")), None)
if not version.get("run_id"):
    check.fail(
        f"Version {number} does not name the run it came from; register it with a runs:/<run id>/model "
        "URI, so the registry records the run."
    )
if source_run is None:
    check.fail(
        f"Version {number} was registered from run {version['run_id'][:8]}, which is not a finished run "
        f"of '{EXPERIMENT}' with {METRIC}; register the model of run {best.label()} ({METRIC} "
        f"{best_error:.3f})."
    )
check.detail(
    "best run",
    source_run.metrics[METRIC] == best_error,
    f"Version {number} was registered from run {source_run.label()}, with {METRIC} "
    f"{source_run.metrics[METRIC]:.3f}, but run {best.label()} has the lowest {METRIC}, "
    f"{best_error:.3f}; sort the runs by metrics.{METRIC} ASC and register the first.",
    pass_message=f"Version {number} comes from run {source_run.label()}, the lowest {METRIC} ({best_error:.3f}).",
)

download = server.download_uri(MODEL_NAME, number) or version.get("source", "")
files = {entry.get("path") for entry in server.list_artifacts(download)}
check.detail(
    "a model",
    "MLmodel" in files,
    f"Version {number}'s source ({version.get('source', '')[:100]}) is not a model folder (no MLmodel "
    "file); register runs:/<run id>/model, the folder train.py logged with mlflow.sklearn.log_model.",
    pass_message=f"Version {number}'s source is a model folder with an MLmodel file.",
)

alias = server.version_by_alias(MODEL_NAME, CHALLENGER)
if alias is None:
    check.detail(f"@{CHALLENGER}", False,
                 f"The alias @{CHALLENGER} is not set; point it at the new version with "
                 f"MlflowClient().set_registered_model_alias(\"{MODEL_NAME}\", \"{CHALLENGER}\", version).")
else:
    check.detail(
        f"@{CHALLENGER}",
        alias["version"] == number,
        f"@{CHALLENGER} points at version {alias['version']}, not at version {number}, the one "
        f"`python3 {SCRIPT}` just registered; set it after registering.",
        pass_message=f"@{CHALLENGER} points at version {number}.",
    )

check.done(
    f"`python3 {SCRIPT}` registered version {number} of '{MODEL_NAME}' from run {source_run.label()}, whose "
    f"{METRIC} of {best_error:.3f} is the lowest of {len(finished)} finished runs, and pointed "
    f"@{CHALLENGER} at it."
)
