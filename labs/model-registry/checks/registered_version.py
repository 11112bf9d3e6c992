"""Step 1: register_best.py registers the model of the finished run with the lowest val_mae as one new
version, and points @challenger at it.

The step's runs (lab.yaml): 1 (make_runs_to_rank.py, as the grader) logs runs with models and
metrics of its own into an experiment of this grading; 2 runs `python3 register_best.py` with
EXPERIMENT_NAME naming that experiment and MODEL_NAME a registered model name of this grading.
The check reads the registry and compares with the best run the grader planted (plan.json), then
deletes the grading's model, runs and experiment.
"""
import json

import registry_probe as registry
from academy_check import Check, state_dir
from academy_tracking import TrackingServer
from expectations import (CHALLENGER, EXPERIMENT_VARIABLE, METRIC, MODEL_FOLDER, MODEL_VARIABLE, PLAN_FILE,
                          REGISTER_SCRIPT)

LABEL = f"`python3 {REGISTER_SCRIPT}`"

check = Check()
setup, register = check.require_runs(2)
if setup.as_user != "grader" or setup.exit_code != 0:
    print(f"registered_version: the runs were not made: {setup.problem()}\n{setup.stderr[-3000:]}")
    check.error()
plan = json.loads((state_dir() / PLAN_FILE).read_text())
model_name, experiment = plan["model_name"], plan["experiment"]
runs = {run["run_id"]: run for run in plan["runs"]}
best = runs[plan["best"]]
finished = [run for run in plan["runs"] if run["status"] == "FINISHED"]


def described(run: dict) -> str:
    return f"run '{run['name']}' ({run['run_id'][:8]}, {METRIC} {run[METRIC]:.4f})"


def model_files(server, version: dict) -> tuple[str, set]:
    """Where the version's source points (a runs:/ URI resolved through its run) and the names there."""
    source = (version.get("source") or "").rstrip("/")
    where = source
    if source.startswith("runs:/"):
        run_id, _, path = source[len("runs:/"):].partition("/")
        tracked = server.get_run(run_id)
        where = f"{tracked.artifact_uri}/{path}" if tracked else ""
    return source, {entry.get("path") for entry in server.list_artifacts(where)} if where else set()


try:
    check.require_success(register, LABEL)
    server = TrackingServer(check)
    versions = server.model_versions(model_name) if server.registered_model(model_name) else []
    where = (f"the check's registered model {model_name} (the name ${MODEL_VARIABLE} held while "
             f"{REGISTER_SCRIPT} ran)")
    if not versions:
        problem = (f"{LABEL} ran, but registered no version of {where}; register into the model ${MODEL_VARIABLE} "
                   "names, which the script reads from the environment.")
    elif len(versions) > 1:
        problem = (f"{LABEL} registered {len(versions)} versions of {where} "
                   f"({', '.join(v['version'] for v in versions)}); register only the best run's model, once.")
    else:
        problem = None
    check.detail("one new version", problem is None, problem or "",
                 pass_message=f"{LABEL} registered one version of {where}.")
    if problem:
        check.fail(problem)
    (version,) = versions
    number = version["version"]

    source_run = runs.get(version.get("run_id") or "")
    if not version.get("run_id"):
        problem = (f"Version {number} does not name the run it came from; register the run's model through a "
                   "runs:/ URI, so that the registry records the run (its lineage).")
    elif source_run is None:
        problem = (f"Version {number} came from run {version['run_id'][:8]}, which is not one of the runs of the "
                   f"experiment ${EXPERIMENT_VARIABLE} named ({experiment}); search that experiment's runs.")
    elif source_run["status"] != "FINISHED":
        problem = (f"Version {number} came from {described(source_run)}, which ended {source_run['status']}: its "
                   f"{METRIC} is the lowest, but only finished runs count. {described(best)} is the best "
                   "finished one.")
    elif source_run["run_id"] != best["run_id"]:
        problem = (f"Version {number} came from {described(source_run)}, but {described(best)} has the lowest "
                   f"{METRIC} of the {len(finished)} finished runs of {experiment}; rank the runs by {METRIC}, "
                   "lowest first.")
    else:
        problem = None
    check.detail("best run", problem is None, problem or "",
                 pass_message=f"Version {number} came from {described(best)}, the best of {len(finished)} "
                              "finished runs.")

    source, files = model_files(server, version)
    check.detail(
        "model folder",
        "MLmodel" in files,
        f"Version {number}'s source ({source[:120] or 'empty'}) is not a model folder: it holds no MLmodel file. "
        f"Register the run's {MODEL_FOLDER} folder, where train.py logged the model.",
        pass_message=f"Version {number}'s source is a model folder with an MLmodel file.",
    )

    alias = server.version_by_alias(model_name, CHALLENGER)
    check.detail(
        f"@{CHALLENGER}",
        alias is not None and alias["version"] == number,
        f"@{CHALLENGER} of {model_name} points at version {alias['version']}, not at version {number}, the one "
        f"{LABEL} registered; move it after registering." if alias is not None else
        f"{LABEL} registered version {number} of {model_name} but did not set @{CHALLENGER}; point the alias "
        "at the new version.",
        pass_message=f"@{CHALLENGER} points at version {number}.",
    )
    check.done(
        f"{LABEL} registered version {number} from {described(best)}, the best of the {len(finished)} finished "
        f"runs the check logged, and pointed @{CHALLENGER} at it."
    )
finally:
    registry.clean_up([plan["experiment_id"]], [model_name])
