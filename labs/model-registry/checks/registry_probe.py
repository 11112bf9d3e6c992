"""The grader's own experiments, runs and registered models on the lab's tracking server, over its
REST API with the standard library: what the grader runs of this lab create for a challenge, and
what the checks delete once they have read the result.

Everything made here has a name from probe_name() (new at every grading), so no learner code can
know it before the grading starts. Each run the grader logs holds metrics the grader chose and a
real model it trained (lab_data.py), in MLflow's layout (model/MLmodel and model/model.pkl), so
labkit's and MLflow's loaders read it as they read a model train.py logged.

A grader run that cannot reach the server raises, and exits non-zero: the check sees it and
reports an error (checks never use this module to read; they use academy_tracking).
"""
import json
import os
import platform
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

URI = os.environ.get("MLFLOW_TRACKING_URI", "http://127.0.0.1:5000").rstrip("/")
API = URI + "/api/2.0/mlflow/"
ARTIFACTS = URI + "/api/2.0/mlflow-artifacts/artifacts/"
ARTIFACTS_SCHEME = "mlflow-artifacts:/"
TIMEOUT_SECONDS = 10
MODEL_FOLDER = "model"  # as train.py logs it: runs:/<run id>/model


class ServerSaidNo(Exception):
    """An error answer of the tracking server (its status and MLflow error body)."""

    def __init__(self, status: int, body: str):
        super().__init__(f"{status}: {body[:300]}")
        self.status = status


def call(method: str, path: str, body: dict | None = None, query: dict | None = None):
    """One call of MLflow's REST API; the parsed JSON answer."""
    url = API + path + ("?" + urllib.parse.urlencode(query) if query else "")
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as problem:
        raise ServerSaidNo(problem.code, problem.read(2000).decode("utf-8", "replace")) from None


def _artifact_url(artifact_uri: str, path: str) -> str:
    where = artifact_uri[len(ARTIFACTS_SCHEME):].strip("/") + "/" + path
    return ARTIFACTS + urllib.parse.quote(where, safe="/")


def put_artifact(artifact_uri: str, path: str, data: bytes) -> None:
    request = urllib.request.Request(_artifact_url(artifact_uri, path), data=data, method="PUT",
                                     headers={"Content-Type": "application/octet-stream"})
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS):
        pass


def delete_artifacts(experiment_id: str) -> None:
    """Deletes the files of every run of an experiment: mlflow-artifacts:/<experiment id>/…"""
    request = urllib.request.Request(ARTIFACTS + urllib.parse.quote(str(experiment_id)), method="DELETE")
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS):
        pass


def mlmodel(run_id: str, sklearn_version: str) -> bytes:
    """The MLmodel descriptor of a scikit-learn model in model/model.pkl, as log_model writes it."""
    return f"""artifact_path: {MODEL_FOLDER}
flavors:
  python_function:
    env:
      virtualenv: python_env.yaml
    loader_module: mlflow.sklearn
    model_path: model.pkl
    predict_fn: predict
    python_version: {platform.python_version()}
  sklearn:
    code: null
    pickled_model: model.pkl
    serialization_format: pickle
    sklearn_version: {sklearn_version}
mlflow_version: 2.19.0
model_uuid: {uuid.uuid4().hex}
run_id: {run_id}
utc_time_created: '{time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())}.000000'
""".encode()


def create_experiment(name: str) -> str:
    return call("POST", "experiments/create", {"name": name})["experiment_id"]


def log_run(experiment_id: str, name: str, start_ms: int, params: dict, metrics: dict,
            model_pkl: bytes | None, sklearn_version: str, status: str = "FINISHED") -> dict:
    """A run as train.py logs one: params, metrics and the model folder; `status` as it ended.
    Returns {"run_id", "artifact_uri"}."""
    info = call("POST", "runs/create", {"experiment_id": experiment_id, "run_name": name,
                                        "start_time": start_ms})["run"]["info"]
    run_id, artifact_uri = info["run_id"], info["artifact_uri"]
    call("POST", "runs/log-batch", {
        "run_id": run_id,
        "params": [{"key": key, "value": str(value)} for key, value in params.items()],
        "metrics": [{"key": key, "value": value, "timestamp": start_ms + 500, "step": 0}
                    for key, value in metrics.items()],
    })
    if model_pkl is not None:
        put_artifact(artifact_uri, f"{MODEL_FOLDER}/model.pkl", model_pkl)
        put_artifact(artifact_uri, f"{MODEL_FOLDER}/MLmodel", mlmodel(run_id, sklearn_version))
    call("POST", "runs/update", {"run_id": run_id, "status": status, "end_time": start_ms + 1000})
    return {"run_id": run_id, "artifact_uri": artifact_uri}


def register(model_name: str, run: dict) -> str:
    """A new version of `model_name` from the run's model folder, as register_model makes it; its
    number."""
    body = {"name": model_name, "source": f"{run['artifact_uri']}/{MODEL_FOLDER}", "run_id": run["run_id"]}
    return call("POST", "model-versions/create", body)["model_version"]["version"]


def create_model(name: str) -> None:
    call("POST", "registered-models/create", {"name": name})


def set_alias(model_name: str, alias: str, version: str) -> None:
    call("POST", "registered-models/alias", {"name": model_name, "alias": alias, "version": str(version)})


def set_stage(model_name: str, version: str, stage: str) -> None:
    call("POST", "model-versions/transition-stage",
         {"name": model_name, "version": str(version), "stage": stage, "archive_existing_versions": False})


def clean_up(experiment_ids=(), model_names=()) -> None:
    """Removes what a grading made: its registered models, its runs' files and its experiments
    (deleted, as MLflow deletes them). Best effort: what is already gone is skipped."""
    for name in model_names:
        try:
            call("DELETE", "registered-models/delete", {"name": name})
        except (ServerSaidNo, OSError):
            pass
    for experiment_id in experiment_ids:
        # Each on its own: files already gone must not keep the experiment from being deleted.
        try:
            delete_artifacts(experiment_id)
        except OSError:  # urllib's errors, an HTTP error answer included
            pass
        try:
            call("POST", "experiments/delete", {"experiment_id": experiment_id})
        except (ServerSaidNo, OSError):
            pass
