"""``MlflowClient``: the lower-level API, one method per tracking-server operation, with the names
and arguments of ``mlflow.client.MlflowClient``.

Where the fluent API (``labkit.start_run``, ``labkit.log_metric``, …) works on "the active run",
the client takes ids explicitly::

    from labkit import MlflowClient

    client = MlflowClient()                         # uses MLFLOW_TRACKING_URI, else http://127.0.0.1:5000
    exp_id = client.create_experiment("churn")
    run = client.create_run(exp_id, run_name="baseline")
    client.log_param(run.info.run_id, "C", 1.0)
    client.log_metric(run.info.run_id, "auc", 0.91, step=0)
    client.set_terminated(run.info.run_id)
    client.get_run(run.info.run_id).data.metrics    # {'auc': 0.91}

Every failure the server reports raises :class:`labkit.exceptions.MlflowException` with its
``error_code``.
"""

import json
import os
import posixpath
import re
import tempfile
import time
import urllib.parse

from labkit import _rest
from labkit.entities import (
    Experiment,
    FileInfo,
    Metric,
    ModelVersion,
    PagedList,
    RegisteredModel,
    Run,
    RunStatus,
    ViewType,
)
from labkit.exceptions import MlflowException, RestException

# MLflow's per-request limits of runs/log-batch.
MAX_METRICS_PER_BATCH = 1000
MAX_PARAMS_TAGS_PER_BATCH = 100
MAX_ENTITIES_PER_BATCH = 1000

_DIGITS = re.compile(r"^\d+$")


def _now_ms():
    return int(time.time() * 1000)


def _tag_list(tags):
    if not tags:
        return []
    if isinstance(tags, dict):
        return [{"key": str(k), "value": str(v)} for k, v in tags.items()]
    return [{"key": t.key, "value": str(t.value)} for t in tags]


def _view_type(value):
    return ViewType.to_string(value)


def _check_metric_value(key, value, timestamp=None):
    """MLflow refuses anything that is not a number (bools count as numbers, as in Python)."""
    try:
        import numbers

        if isinstance(value, numbers.Number) or hasattr(value, "__float__") and not isinstance(value, (str, bytes)):
            return float(value)
    except (TypeError, ValueError):
        pass
    raise MlflowException(
        f"Got invalid value {value!r} for metric '{key}' (timestamp={timestamp}). Please specify value "
        f"as a valid double (64-bit floating point)",
        error_code="INVALID_PARAMETER_VALUE",
    )


def _metric_json(key, value, timestamp, step):
    return {"key": key, "value": _rest.encode_double(value), "timestamp": int(timestamp), "step": int(step or 0)}


def _under(root, relative):
    """``root/relative`` for an artifact path given relative to a run's root (a leading ``/`` does
    not make it absolute: artifacts never leave the run)."""
    relative = str(relative).replace("\\", "/").lstrip("/")
    return posixpath.join(root, relative) if relative else root


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class MlflowClient:
    """A client of one tracking server and model registry.

    Args:
        tracking_uri: the server, e.g. ``"http://127.0.0.1:5000"``. Default: the fluent API's
            current tracking URI (``labkit.get_tracking_uri()``: ``labkit.set_tracking_uri`` if
            called, else ``$MLFLOW_TRACKING_URI``, else ``http://127.0.0.1:5000``).
        registry_uri: accepted for compatibility with MLflow; the registry is the same server.
    """

    def __init__(self, tracking_uri=None, registry_uri=None):
        if tracking_uri is None:
            from labkit.fluent import get_tracking_uri

            tracking_uri = get_tracking_uri()
        self._tracking_uri = _rest.check_tracking_uri(tracking_uri)
        self._registry_uri = registry_uri or self._tracking_uri
        self._rest = _rest.RestClient(self._tracking_uri)

    @property
    def tracking_uri(self):
        return self._tracking_uri

    def __repr__(self):
        return f"MlflowClient(tracking_uri={self._tracking_uri!r})"

    def _call(self, method, endpoint, fields=None):
        return self._rest.call(method, endpoint, fields)

    # ── experiments ──────────────────────────────────────────────────────────────────────────

    def create_experiment(self, name, artifact_location=None, tags=None):
        """Creates an experiment and returns its id (a string). A taken name raises
        ``RESOURCE_ALREADY_EXISTS``."""
        if not isinstance(name, str) or not name:
            raise MlflowException("Invalid experiment name: must be a non-empty string.", error_code="INVALID_PARAMETER_VALUE")
        answer = self._call(
            "POST",
            "experiments/create",
            {"name": name, "artifact_location": artifact_location, "tags": _tag_list(tags)},
        )
        return str(answer["experiment_id"])

    def get_experiment(self, experiment_id):
        """The :class:`~labkit.entities.Experiment` with this id (``RESOURCE_DOES_NOT_EXIST`` if none)."""
        answer = self._call("GET", "experiments/get", {"experiment_id": str(experiment_id)})
        return Experiment.from_json(answer["experiment"])

    def get_experiment_by_name(self, name):
        """The experiment called ``name``, or ``None`` if there is none."""
        try:
            answer = self._call("GET", "experiments/get-by-name", {"experiment_name": name})
        except RestException as error:
            if error.error_code == "RESOURCE_DOES_NOT_EXIST":
                return None
            raise
        return Experiment.from_json(answer["experiment"])

    def search_experiments(self, view_type=ViewType.ACTIVE_ONLY, max_results=1000, filter_string=None, order_by=None, page_token=None):
        """One page of experiments (a list with ``.token`` for the next page).

        ``filter_string`` such as ``"name LIKE 'churn%'"`` or ``"tags.team = 'ml'"``; ``order_by``
        such as ``["name ASC"]``."""
        answer = self._call(
            "POST",
            "experiments/search",
            {
                "view_type": _view_type(view_type),
                "max_results": max_results,
                "filter": filter_string or None,
                "order_by": list(order_by or []),
                "page_token": page_token,
            },
        )
        return PagedList([Experiment.from_json(e) for e in answer.get("experiments", [])], answer.get("next_page_token"))

    def delete_experiment(self, experiment_id):
        """Marks the experiment (and its runs) deleted; ``restore_experiment`` undoes it."""
        self._call("POST", "experiments/delete", {"experiment_id": str(experiment_id)})

    def restore_experiment(self, experiment_id):
        self._call("POST", "experiments/restore", {"experiment_id": str(experiment_id)})

    def rename_experiment(self, experiment_id, new_name):
        self._call("POST", "experiments/update", {"experiment_id": str(experiment_id), "new_name": new_name})

    def set_experiment_tag(self, experiment_id, key, value):
        self._call("POST", "experiments/set-experiment-tag", {"experiment_id": str(experiment_id), "key": key, "value": str(value)})

    # ── runs ─────────────────────────────────────────────────────────────────────────────────

    def create_run(self, experiment_id, start_time=None, tags=None, run_name=None):
        """Creates a RUNNING run in the experiment and returns it (:class:`~labkit.entities.Run`).

        ``tags`` is a dict; ``run_name`` defaults to a random name chosen by the server."""
        tag_list = _tag_list(tags)
        user = next((t["value"] for t in tag_list if t["key"] == "mlflow.user"), None)
        answer = self._call(
            "POST",
            "runs/create",
            {
                "experiment_id": str(experiment_id),
                "start_time": int(start_time) if start_time is not None else _now_ms(),
                "tags": tag_list,
                "run_name": run_name,
                "user_id": user,
            },
        )
        return Run.from_json(answer["run"])

    def get_run(self, run_id):
        """The run with its latest metrics, params and tags (``RESOURCE_DOES_NOT_EXIST`` if unknown)."""
        answer = self._call("GET", "runs/get", {"run_id": run_id, "run_uuid": run_id})
        return Run.from_json(answer["run"])

    def get_parent_run(self, run_id):
        """The run named by this run's ``mlflow.parentRunId`` tag, or ``None``."""
        parent_id = self.get_run(run_id).data.tags.get("mlflow.parentRunId")
        return self.get_run(parent_id) if parent_id else None

    def update_run(self, run_id, status=None, name=None):
        """Changes a run's status and/or name."""
        self._call(
            "POST",
            "runs/update",
            {
                "run_id": run_id,
                "run_uuid": run_id,
                "status": RunStatus.to_string(status) if status is not None else None,
                "run_name": name,
            },
        )

    def set_terminated(self, run_id, status=None, end_time=None):
        """Ends a run: ``status`` ``"FINISHED"`` (default), ``"FAILED"`` or ``"KILLED"``."""
        self._call(
            "POST",
            "runs/update",
            {
                "run_id": run_id,
                "run_uuid": run_id,
                "status": RunStatus.to_string(status or "FINISHED"),
                "end_time": int(end_time) if end_time is not None else _now_ms(),
            },
        )

    def delete_run(self, run_id):
        """Marks a run deleted (searches skip it unless asked for deleted runs)."""
        self._call("POST", "runs/delete", {"run_id": run_id})

    def restore_run(self, run_id):
        self._call("POST", "runs/restore", {"run_id": run_id})

    def log_param(self, run_id, key, value):
        """Logs a parameter (stored as a string). Params are write-once: logging a different value
        for the same key raises ``INVALID_PARAMETER_VALUE``. Returns the value."""
        self._call("POST", "runs/log-parameter", {"run_id": run_id, "run_uuid": run_id, "key": key, "value": str(value)})
        return value

    def log_metric(self, run_id, key, value, timestamp=None, step=None):
        """Appends a value to a metric's history. ``timestamp`` in ms (default: now), ``step``
        (default 0). NaN and ±inf are allowed."""
        timestamp = int(timestamp) if timestamp is not None else _now_ms()
        value = _check_metric_value(key, value, timestamp)
        body = _metric_json(key, value, timestamp, step)
        self._call("POST", "runs/log-metric", {"run_id": run_id, "run_uuid": run_id, **body})

    def set_tag(self, run_id, key, value):
        """Sets (or overwrites) a tag on a run."""
        self._call("POST", "runs/set-tag", {"run_id": run_id, "run_uuid": run_id, "key": key, "value": str(value)})

    def delete_tag(self, run_id, key):
        """Removes a tag (``RESOURCE_DOES_NOT_EXIST`` if the run has no such tag)."""
        self._call("POST", "runs/delete-tag", {"run_id": run_id, "key": key})

    def log_batch(self, run_id, metrics=(), params=(), tags=(), synchronous=True):
        """Logs many values in few requests. ``metrics`` is a list of :class:`~labkit.entities.Metric`,
        ``params`` of :class:`~labkit.entities.Param`, ``tags`` of :class:`~labkit.entities.RunTag`.
        Split into requests within the server's limits (1000 metrics, 100 params, 100 tags)."""
        metric_bodies = []
        for m in metrics:
            value = _check_metric_value(m.key, m.value, m.timestamp)
            metric_bodies.append(_metric_json(m.key, value, m.timestamp if m.timestamp is not None else _now_ms(), m.step))
        param_bodies = [{"key": p.key, "value": str(p.value)} for p in params]
        tag_bodies = [{"key": t.key, "value": str(t.value)} for t in tags]
        # Params and tags first, as MLflow does, then metrics.
        for chunk in _chunks(param_bodies, MAX_PARAMS_TAGS_PER_BATCH):
            self._call("POST", "runs/log-batch", {"run_id": run_id, "params": chunk})
        for chunk in _chunks(tag_bodies, MAX_PARAMS_TAGS_PER_BATCH):
            self._call("POST", "runs/log-batch", {"run_id": run_id, "tags": chunk})
        for chunk in _chunks(metric_bodies, MAX_METRICS_PER_BATCH):
            self._call("POST", "runs/log-batch", {"run_id": run_id, "metrics": chunk})

    def get_metric_history(self, run_id, key):
        """Every value logged for a metric, as :class:`~labkit.entities.Metric` objects."""
        metrics, token = [], None
        while True:
            answer = self._call("GET", "metrics/get-history", {"run_id": run_id, "run_uuid": run_id, "metric_key": key, "page_token": token})
            metrics.extend(Metric.from_json(m) for m in answer.get("metrics", []))
            token = answer.get("next_page_token")
            if not token:
                return metrics

    def search_runs(self, experiment_ids, filter_string="", run_view_type=ViewType.ACTIVE_ONLY, max_results=1000, order_by=None, page_token=None):
        """One page of runs of the given experiments (a list with ``.token`` for the next page).

        ``filter_string`` such as ``"metrics.rmse < 0.5 and params.model = 'ridge'"``; ``order_by``
        such as ``["metrics.rmse ASC"]`` (default: newest first)."""
        if isinstance(experiment_ids, (str, int)):
            experiment_ids = [experiment_ids]
        answer = self._call(
            "POST",
            "runs/search",
            {
                "experiment_ids": [str(e) for e in experiment_ids],
                "filter": filter_string or "",
                "run_view_type": _view_type(run_view_type),
                "max_results": max_results,
                "order_by": list(order_by or []),
                "page_token": page_token,
            },
        )
        return PagedList([Run.from_json(r) for r in answer.get("runs", [])], answer.get("next_page_token"))

    # ── artifacts ────────────────────────────────────────────────────────────────────────────

    def _artifact_root(self, run_id):
        return self.get_run(run_id).info.artifact_uri

    def _repo(self, artifact_uri):
        """The REST client and proxy path of an ``mlflow-artifacts:`` URI."""
        host, path = _rest.artifact_repo_path(artifact_uri or "")
        if path is None:
            raise MlflowException(
                f"labkit stores artifacts through the tracking server's mlflow-artifacts proxy, but this "
                f"location is {artifact_uri!r}. Create the run on a labkit or `mlflow server` tracking server.",
                error_code="INVALID_PARAMETER_VALUE",
            )
        if host:
            scheme = urllib.parse.urlparse(self._tracking_uri).scheme
            return _rest.RestClient(f"{scheme}://{host}"), path
        return self._rest, path

    def _upload_file(self, artifact_uri, local_file, artifact_file):
        rest, root = self._repo(artifact_uri)
        rest.put_artifact(_under(root, artifact_file), local_file=local_file)

    def _upload_bytes(self, artifact_uri, data, artifact_file):
        rest, root = self._repo(artifact_uri)
        rest.put_artifact(_under(root, artifact_file), data=data)

    def _upload_dir(self, artifact_uri, local_dir, artifact_path=None):
        local_dir = os.path.abspath(local_dir)
        for folder, _dirs, files in os.walk(local_dir):
            rel = os.path.relpath(folder, local_dir)
            for name in sorted(files):
                parts = [p for p in (artifact_path, "" if rel == "." else rel.replace(os.sep, "/"), name) if p]
                self._upload_file(artifact_uri, os.path.join(folder, name), posixpath.join(*parts))

    def log_artifact(self, run_id, local_path, artifact_path=None):
        """Uploads a local file (or a folder, under its own name) into the run's artifacts, under
        ``artifact_path`` if given."""
        local_path = os.fspath(local_path)
        uri = self._artifact_root(run_id)
        if os.path.isdir(local_path):
            name = os.path.basename(os.path.normpath(local_path))
            self._upload_dir(uri, local_path, posixpath.join(artifact_path, name) if artifact_path else name)
        elif os.path.isfile(local_path):
            name = os.path.basename(local_path)
            self._upload_file(uri, local_path, posixpath.join(artifact_path, name) if artifact_path else name)
        else:
            raise MlflowException(f"No such file or folder to log as an artifact: {local_path!r}", error_code="INVALID_PARAMETER_VALUE")

    def log_artifacts(self, run_id, local_dir, artifact_path=None):
        """Uploads the files of a local folder (recursively) into the run's artifacts."""
        local_dir = os.fspath(local_dir)
        if not os.path.isdir(local_dir):
            raise MlflowException(f"Not a folder: {local_dir!r} (use log_artifact for a single file).", error_code="INVALID_PARAMETER_VALUE")
        self._upload_dir(self._artifact_root(run_id), local_dir, artifact_path)

    def log_text(self, run_id, text, artifact_file):
        """Saves ``text`` as the artifact ``artifact_file`` (e.g. ``"notes/summary.txt"``)."""
        self._upload_bytes(self._artifact_root(run_id), str(text).encode("utf-8"), artifact_file)

    def log_dict(self, run_id, dictionary, artifact_file):
        """Saves a dict as JSON, or as YAML when ``artifact_file`` ends in ``.yaml``/``.yml``."""
        extension = os.path.splitext(artifact_file)[1].lower()
        if extension in (".yaml", ".yml"):
            from labkit import _yaml

            text = _yaml.dump(dictionary)
        else:
            text = json.dumps(dictionary, indent=2)
        self.log_text(run_id, text, artifact_file)

    def _list(self, artifact_uri, path=None):
        rest, root = self._repo(artifact_uri)
        path = (path or "").strip("/")
        files = rest.list_artifacts(posixpath.join(root, path) if path else root)
        infos = []
        for f in files:
            name = str(f.get("path", "")).strip("/")
            if name in ("", ".", "..") or "/" in name:
                continue  # the proxy answers base names; anything else is not ours to follow
            size = f.get("file_size")
            infos.append(FileInfo(posixpath.join(path, name) if path else name, bool(f.get("is_dir")), int(size) if size is not None else None))
        return sorted(infos, key=lambda info: info.path)

    def list_artifacts(self, run_id, path=None):
        """The files and folders directly inside ``path`` (the run's artifact root by default), as
        :class:`~labkit.entities.FileInfo` with paths relative to the root."""
        return self._list(self._artifact_root(run_id), path)

    def _download(self, artifact_uri, path, dst_path):
        """Downloads the file or folder ``path`` under ``artifact_uri`` into ``dst_path`` (keeping
        its relative path) and returns the local path."""
        rest, root = self._repo(artifact_uri)
        path = (path or "").strip("/")
        if dst_path is None:
            dst_path = tempfile.mkdtemp(prefix="labkit-artifacts-")
        dst_path = os.path.abspath(os.fspath(dst_path))
        os.makedirs(dst_path, exist_ok=True)
        local = os.path.join(dst_path, *path.split("/")) if path else dst_path
        listing = self._list(artifact_uri, path)
        if not listing and path:  # not a folder: a file (or nothing, which the GET reports)
            os.makedirs(os.path.dirname(local), exist_ok=True)
            try:
                rest.download_artifact(posixpath.join(root, path), local)
            except BaseException:
                if os.path.exists(local):
                    os.remove(local)
                raise
            return local
        pending = listing
        os.makedirs(local, exist_ok=True)
        while pending:
            info = pending.pop(0)
            target = os.path.join(dst_path, *info.path.split("/"))
            if info.is_dir:
                os.makedirs(target, exist_ok=True)
                pending.extend(self._list(artifact_uri, info.path))
            else:
                os.makedirs(os.path.dirname(target), exist_ok=True)
                rest.download_artifact(posixpath.join(root, info.path), target)
        return local

    def download_artifacts(self, run_id, path, dst_path=None):
        """Downloads an artifact file or folder of the run into ``dst_path`` (a new temporary folder
        by default) and returns its local path."""
        return self._download(self._artifact_root(run_id), path, dst_path)

    def _read_text(self, run_id, artifact_file):
        rest, root = self._repo(self._artifact_root(run_id))
        return rest.read_artifact(_under(root, artifact_file)).decode("utf-8")

    # ── the model registry ───────────────────────────────────────────────────────────────────

    def create_registered_model(self, name, tags=None, description=None):
        """Creates an empty registered model (``RESOURCE_ALREADY_EXISTS`` if the name is taken)."""
        answer = self._call("POST", "registered-models/create", {"name": name, "tags": _tag_list(tags), "description": description})
        return RegisteredModel.from_json(answer["registered_model"])

    def get_registered_model(self, name):
        answer = self._call("GET", "registered-models/get", {"name": name})
        return RegisteredModel.from_json(answer["registered_model"])

    def search_registered_models(self, filter_string=None, max_results=100, order_by=None, page_token=None):
        """One page of registered models; ``filter_string`` such as ``"name LIKE 'churn%'"``."""
        answer = self._call(
            "GET",
            "registered-models/search",
            {"filter": filter_string or None, "max_results": max_results, "order_by": list(order_by or []), "page_token": page_token},
        )
        return PagedList([RegisteredModel.from_json(m) for m in answer.get("registered_models", [])], answer.get("next_page_token"))

    def rename_registered_model(self, name, new_name):
        answer = self._call("POST", "registered-models/rename", {"name": name, "new_name": new_name})
        return RegisteredModel.from_json(answer["registered_model"])

    def update_registered_model(self, name, description=None):
        answer = self._call("PATCH", "registered-models/update", {"name": name, "description": description})
        return RegisteredModel.from_json(answer["registered_model"])

    def delete_registered_model(self, name):
        """Deletes the model and all its versions."""
        self._call("DELETE", "registered-models/delete", {"name": name})

    def set_registered_model_tag(self, name, key, value):
        self._call("POST", "registered-models/set-tag", {"name": name, "key": key, "value": str(value)})

    def delete_registered_model_tag(self, name, key):
        self._call("DELETE", "registered-models/delete-tag", {"name": name, "key": key})

    def create_model_version(self, name, source, run_id=None, tags=None, run_link=None, description=None, await_creation_for=300):
        """Adds a version to a registered model. ``source`` is where the model's files are, e.g.
        ``mlflow-artifacts:/1/<run_id>/artifacts/model``. Waits (up to ``await_creation_for``
        seconds) until the version is ``READY``."""
        answer = self._call(
            "POST",
            "model-versions/create",
            {"name": name, "source": source, "run_id": run_id, "tags": _tag_list(tags), "run_link": run_link, "description": description},
        )
        version = ModelVersion.from_json(answer["model_version"])
        deadline = time.time() + (await_creation_for or 0)
        while version.status == "PENDING_REGISTRATION" and time.time() < deadline:
            time.sleep(0.2)
            version = self.get_model_version(name, version.version)
        return version

    def get_model_version(self, name, version):
        answer = self._call("GET", "model-versions/get", {"name": name, "version": str(version)})
        return ModelVersion.from_json(answer["model_version"])

    def update_model_version(self, name, version, description=None):
        answer = self._call("PATCH", "model-versions/update", {"name": name, "version": str(version), "description": description})
        return ModelVersion.from_json(answer["model_version"])

    def delete_model_version(self, name, version):
        self._call("DELETE", "model-versions/delete", {"name": name, "version": str(version)})

    def search_model_versions(self, filter_string=None, max_results=10000, order_by=None, page_token=None):
        """Model versions matching e.g. ``"name = 'churn'"`` or ``"run_id = '<id>'"`` (a list with ``.token``)."""
        answer = self._call(
            "GET",
            "model-versions/search",
            {"filter": filter_string or None, "max_results": max_results, "order_by": list(order_by or []), "page_token": page_token},
        )
        return PagedList([ModelVersion.from_json(v) for v in answer.get("model_versions", [])], answer.get("next_page_token"))

    def get_latest_versions(self, name, stages=None):
        """The newest version in each of ``stages`` (all stages when ``None``)."""
        answer = self._call("POST", "registered-models/get-latest-versions", {"name": name, "stages": list(stages or [])})
        return [ModelVersion.from_json(v) for v in answer.get("model_versions", [])]

    def transition_model_version_stage(self, name, version, stage, archive_existing_versions=False):
        """Moves a version to ``"Staging"``, ``"Production"``, ``"Archived"`` or ``"None"``. With
        ``archive_existing_versions=True``, the model's other versions in that stage become Archived."""
        answer = self._call(
            "POST",
            "model-versions/transition-stage",
            {"name": name, "version": str(version), "stage": stage, "archive_existing_versions": bool(archive_existing_versions)},
        )
        return ModelVersion.from_json(answer["model_version"])

    def set_registered_model_alias(self, name, alias, version):
        """Points ``alias`` (e.g. ``"champion"``) at a version; ``models:/<name>@<alias>`` then loads it."""
        self._call("POST", "registered-models/alias", {"name": name, "alias": alias, "version": str(version)})

    def delete_registered_model_alias(self, name, alias):
        self._call("DELETE", "registered-models/alias", {"name": name, "alias": alias})

    def get_model_version_by_alias(self, name, alias):
        answer = self._call("GET", "registered-models/alias", {"name": name, "alias": alias})
        return ModelVersion.from_json(answer["model_version"])

    def set_model_version_tag(self, name, version=None, key=None, value=None, stage=None):
        """Sets a tag on a version (or on the latest version in ``stage``)."""
        version = self._version_or_stage(name, version, stage)
        self._call("POST", "model-versions/set-tag", {"name": name, "version": str(version), "key": key, "value": str(value)})

    def delete_model_version_tag(self, name, version=None, key=None, stage=None):
        version = self._version_or_stage(name, version, stage)
        self._call("DELETE", "model-versions/delete-tag", {"name": name, "version": str(version), "key": key})

    def _version_or_stage(self, name, version, stage):
        if (version is None) == (stage is None):
            raise MlflowException("Specify exactly one of `version` and `stage`.", error_code="INVALID_PARAMETER_VALUE")
        if version is not None:
            return version
        latest = self.get_latest_versions(name, [stage])
        if not latest:
            raise MlflowException(f"Could not find any model version for stage {stage}", error_code="RESOURCE_DOES_NOT_EXIST")
        return latest[0].version

    def get_model_version_download_uri(self, name, version):
        """Where a version's files are (its ``source``)."""
        answer = self._call("GET", "model-versions/get-download-uri", {"name": name, "version": str(version)})
        return answer["artifact_uri"]

    # ── model URIs ───────────────────────────────────────────────────────────────────────────

    def _resolve_model_uri(self, model_uri):
        """The artifact location (an ``mlflow-artifacts:`` URI or a local folder) of
        ``models:/<name>/<version>``, ``models:/<name>/<stage>``, ``models:/<name>/latest``,
        ``models:/<name>@<alias>``, ``runs:/<run_id>/<path>``, ``mlflow-artifacts:/…`` or a path."""
        model_uri = os.fspath(model_uri)
        parsed = urllib.parse.urlparse(model_uri)
        if parsed.scheme == "runs":
            path = (parsed.netloc + parsed.path).strip("/")
            run_id, _, sub = path.partition("/")
            if not run_id:
                raise MlflowException(
                    f"Not a valid runs URI: {model_uri!r}. Expected runs:/<run_id>/<artifact path>.",
                    error_code="INVALID_PARAMETER_VALUE",
                )
            root = self._artifact_root(run_id)
            return posixpath.join(root, sub) if sub else root
        if parsed.scheme == "models":
            return self.get_model_version_download_uri(*self._model_version_of_uri(model_uri))
        if parsed.scheme in ("mlflow-artifacts",):
            return model_uri
        if parsed.scheme == "file":
            return urllib.parse.unquote(parsed.path)
        if parsed.scheme == "" or len(parsed.scheme) == 1:  # a local path (or a Windows drive letter)
            return model_uri
        raise MlflowException(
            f"Cannot load from {model_uri!r}: labkit understands models:/, runs:/, mlflow-artifacts:/ URIs "
            f"and local paths.",
            error_code="INVALID_PARAMETER_VALUE",
        )

    def _model_version_of_uri(self, model_uri):
        """``(name, version)`` of a ``models:/`` URI."""
        path = model_uri[len("models:") :].lstrip("/")
        usage = (
            f"Not a valid models URI: {model_uri!r}. Use models:/<name>/<version>, models:/<name>/<stage>, "
            f"models:/<name>/latest or models:/<name>@<alias>."
        )
        if "/" not in path and "@" in path:
            name, _, alias = path.rpartition("@")
            if not name or not alias:
                raise MlflowException(usage, error_code="INVALID_PARAMETER_VALUE")
            return name, self.get_model_version_by_alias(name, alias).version
        name, _, suffix = path.rpartition("/")
        if not name or not suffix:
            raise MlflowException(usage, error_code="INVALID_PARAMETER_VALUE")
        if _DIGITS.match(suffix):
            return name, suffix
        if suffix.lower() == "latest":
            versions = self.get_latest_versions(name)
            if not versions:
                raise MlflowException(f"No versions of model with name '{name}' found", error_code="RESOURCE_DOES_NOT_EXIST")
            return name, max(versions, key=lambda v: int(v.version)).version
        versions = self.get_latest_versions(name, [suffix])
        if not versions:
            raise MlflowException(
                f"No versions of model with name '{name}' and stage '{suffix}' found",
                error_code="RESOURCE_DOES_NOT_EXIST",
            )
        return name, versions[0].version

    def _download_model(self, model_uri, dst_path):
        """Downloads a model folder to ``dst_path`` (or finds it locally) and returns its local path."""
        location = self._resolve_model_uri(model_uri)
        if urllib.parse.urlparse(location).scheme == "mlflow-artifacts":
            return self._download(location, "", dst_path)
        if os.path.isdir(location):
            return location
        raise MlflowException(f"No model folder at {location!r} (from {model_uri!r}).", error_code="RESOURCE_DOES_NOT_EXIST")

    def _record_logged_model(self, run_id, model_dict):
        """Adds a logged model to the run's ``mlflow.log-model.history`` tag (what MLflow 2.x does)."""
        self._call("POST", "runs/log-model", {"run_id": run_id, "model_json": json.dumps(model_dict)})


__all__ = ["MlflowClient"]
