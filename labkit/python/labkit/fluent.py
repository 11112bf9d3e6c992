"""The fluent API: module-level functions that work on "the active run", as ``mlflow``'s do.

    import labkit as mlflow

    mlflow.set_experiment("churn")
    with mlflow.start_run(run_name="baseline"):
        mlflow.log_param("C", 1.0)
        mlflow.log_metric("auc", 0.91)

Logging without an active run starts one (in the active experiment), as MLflow does; end it
with ``end_run()``, or use ``with start_run():`` so it ends by itself (FINISHED, or FAILED when
the block raises).
"""

import getpass
import os
import sys
import time

from labkit import _rest
from labkit.client import MAX_METRICS_PER_BATCH, MlflowClient
from labkit.entities import LifecycleStage, Metric, Param, Run, RunStatus, RunTag, ViewType
from labkit.exceptions import MlflowException, RestException

DEFAULT_EXPERIMENT_ID = "0"
# How many runs one runs/search request asks for when search_runs collects several pages.
SEARCH_PAGE_SIZE = 10000
SEARCH_MAX_RESULTS_DEFAULT = 100000

_tracking_uri = None
_active_experiment_id = None
_active_run_stack = []
_last_active_run_id = None


# ── where the server is ──────────────────────────────────────────────────────────────────────


def set_tracking_uri(uri):
    """Points labkit at a tracking server, e.g. ``"http://127.0.0.1:5000"``. Overrides
    ``$MLFLOW_TRACKING_URI`` for this process."""
    global _tracking_uri
    _tracking_uri = _rest.check_tracking_uri(os.fspath(uri))


def get_tracking_uri():
    """The tracking server in use: what ``set_tracking_uri`` set, else ``$MLFLOW_TRACKING_URI``,
    else ``http://127.0.0.1:5000`` (the lab sandbox's tracking server)."""
    if _tracking_uri is not None:
        return _tracking_uri
    return os.environ.get("MLFLOW_TRACKING_URI") or _rest.DEFAULT_TRACKING_URI


def is_tracking_uri_set():
    return _tracking_uri is not None or bool(os.environ.get("MLFLOW_TRACKING_URI"))


def set_registry_uri(uri):
    """Accepted for compatibility: labkit's registry is always the tracking server."""


def get_registry_uri():
    return get_tracking_uri()


def _client():
    return MlflowClient(get_tracking_uri())


# ── experiments ──────────────────────────────────────────────────────────────────────────────


def set_experiment(experiment_name=None, experiment_id=None, *, name=None):
    """Makes an experiment the active one (new runs go there) and returns it.

    Give exactly one of ``experiment_name`` (created if it does not exist yet) and
    ``experiment_id`` (must exist). ``name=`` is accepted as another spelling of ``experiment_name``.
    """
    global _active_experiment_id
    if name is not None:
        if experiment_name is not None:
            raise MlflowException("Give the experiment's name once (experiment_name or name).", error_code="INVALID_PARAMETER_VALUE")
        experiment_name = name
    if (experiment_name is None) == (experiment_id is None):
        raise MlflowException("Must specify exactly one of: `experiment_id` or `experiment_name`.", error_code="INVALID_PARAMETER_VALUE")
    client = _client()
    if experiment_id is None:
        experiment = client.get_experiment_by_name(experiment_name)
        if experiment is None:
            try:
                experiment_id = client.create_experiment(experiment_name)
            except RestException as error:  # created by someone else in between
                if error.error_code != "RESOURCE_ALREADY_EXISTS":
                    raise
                experiment = client.get_experiment_by_name(experiment_name)
            if experiment is None:
                experiment = client.get_experiment(experiment_id)
    else:
        experiment = client.get_experiment(experiment_id)
    if experiment.lifecycle_stage != LifecycleStage.ACTIVE:
        raise MlflowException(
            f"Cannot set a deleted experiment '{experiment.name}' as the active experiment. You can restore "
            f"the experiment (MlflowClient().restore_experiment('{experiment.experiment_id}')), or use another name.",
            error_code="INVALID_PARAMETER_VALUE",
        )
    _active_experiment_id = experiment.experiment_id
    return experiment


def get_experiment(experiment_id):
    return _client().get_experiment(experiment_id)


def get_experiment_by_name(name):
    """The experiment called ``name``, or ``None``."""
    return _client().get_experiment_by_name(name)


def create_experiment(name, artifact_location=None, tags=None):
    """Creates an experiment and returns its id."""
    return _client().create_experiment(name, artifact_location, tags)


def delete_experiment(experiment_id):
    _client().delete_experiment(experiment_id)


def search_experiments(view_type=ViewType.ACTIVE_ONLY, max_results=None, filter_string=None, order_by=None):
    """All experiments matching ``filter_string`` (every page), as a list."""
    client, experiments, token = _client(), [], None
    while True:
        page = client.search_experiments(view_type, 1000 if max_results is None else min(1000, max_results - len(experiments)), filter_string, order_by, token)
        experiments.extend(page)
        token = page.token
        if not token or (max_results is not None and len(experiments) >= max_results):
            return experiments


def set_experiment_tag(key, value):
    _client().set_experiment_tag(_get_experiment_id(), key, value)


def set_experiment_tags(tags):
    for key, value in tags.items():
        set_experiment_tag(key, value)


def _get_experiment_id():
    """The active experiment: ``set_experiment``'s, else ``$MLFLOW_EXPERIMENT_ID``, else the one
    named ``$MLFLOW_EXPERIMENT_NAME`` (created if missing), else the Default experiment ``"0"``."""
    if _active_experiment_id is not None:
        return _active_experiment_id
    if os.environ.get("MLFLOW_EXPERIMENT_ID"):
        return os.environ["MLFLOW_EXPERIMENT_ID"]
    if os.environ.get("MLFLOW_EXPERIMENT_NAME"):
        return set_experiment(os.environ["MLFLOW_EXPERIMENT_NAME"]).experiment_id
    return DEFAULT_EXPERIMENT_ID


# ── runs ─────────────────────────────────────────────────────────────────────────────────────


class ActiveRun(Run):
    """What ``start_run`` returns: the run (``.info``, ``.data`` as when it started) that also
    works as a context manager, ending the run when the ``with`` block ends: FINISHED, or FAILED
    if the block raised."""

    def __init__(self, run):
        super().__init__(run.info, run.data, run.inputs)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        status = "FINISHED" if exc_type is None else "FAILED"
        _end_run_by_id(self.info.run_id, status)
        return False


# What `labkit pipeline repro` exports to each stage's command, and the run tags they become: the
# stage that logged the run and the run-cache key of its inputs (command, dependency hashes and
# parameter values), so a run can be traced to the exact pipeline state that produced it.
PIPELINE_TAGS = {
    "LABKIT_PIPELINE_STAGE": "labkit.pipeline.stage",
    "LABKIT_PIPELINE_LOCK_HASH": "labkit.pipeline.lock_hash",
}


def _default_tags():
    tags = {"mlflow.source.type": "LOCAL"}
    try:
        tags["mlflow.user"] = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name is fine
        pass
    source = sys.argv[0] if sys.argv and sys.argv[0] else ""
    if source and source not in ("-c", "-"):
        tags["mlflow.source.name"] = source
    for variable, tag in PIPELINE_TAGS.items():
        value = os.environ.get(variable)
        if value:
            tags[tag] = value
    return tags


def start_run(run_id=None, experiment_id=None, run_name=None, nested=False, tags=None, description=None, parent_run_id=None, log_system_metrics=None):
    """Starts a run (or resumes ``run_id``) and makes it the active run.

    Args:
        run_id: resume this existing run instead of creating one (it becomes RUNNING again).
        experiment_id: where to create the run (default: the active experiment, see
            ``set_experiment``; else the Default experiment ``"0"``).
        run_name: a name for the run (default: a random one such as ``"bright-owl-123"``).
        nested: start a child of the active run (it gets the tag ``mlflow.parentRunId``). Without
            ``nested=True``, starting a run while another is active raises an error.
        tags: a dict of tags to set on the run.
        description: the run's note (the ``mlflow.note.content`` tag).

    A new run started by a stage of ``labkit pipeline repro`` is tagged ``labkit.pipeline.stage``
    and ``labkit.pipeline.lock_hash`` (from ``$LABKIT_PIPELINE_STAGE`` and
    ``$LABKIT_PIPELINE_LOCK_HASH``, which repro sets for each stage's command).

    Use it as ``with labkit.start_run(): ...`` so the run ends by itself.
    """
    global _active_run_stack
    if _active_run_stack and not nested:
        raise MlflowException(
            f"Run with UUID {_active_run_stack[0].info.run_id} is already active. To start a new run, "
            f"first end the current run with labkit.end_run() (or leave its `with` block). To start a "
            f"nested run, call start_run with nested=True",
            error_code="BAD_REQUEST",
        )
    client = _client()
    run_id = run_id or os.environ.get("MLFLOW_RUN_ID")
    if run_id:
        if any(r.info.run_id == run_id for r in _active_run_stack):
            raise MlflowException(f"Run {run_id} is already active.", error_code="BAD_REQUEST")
        existing = client.get_run(run_id)
        if existing.info.lifecycle_stage == LifecycleStage.DELETED:
            raise MlflowException(f"Cannot start run with ID {run_id} because it is in the deleted state.", error_code="INVALID_PARAMETER_VALUE")
        if experiment_id is not None and str(experiment_id) != existing.info.experiment_id:
            raise MlflowException(
                f"Run {run_id} belongs to experiment {existing.info.experiment_id}, not {experiment_id}.",
                error_code="INVALID_PARAMETER_VALUE",
            )
        client.update_run(run_id, status="RUNNING", name=run_name)
        extra = dict(tags or {})
        if description:
            extra["mlflow.note.content"] = description
        if extra:
            client.log_batch(run_id, tags=[RunTag(k, str(v)) for k, v in extra.items()])
        run = client.get_run(run_id)
    else:
        if parent_run_id is None and _active_run_stack:
            parent_run_id = _active_run_stack[-1].info.run_id
        all_tags = _default_tags()
        all_tags.update({k: str(v) for k, v in (tags or {}).items()})
        if description:
            all_tags["mlflow.note.content"] = description
        if parent_run_id is not None:
            all_tags["mlflow.parentRunId"] = parent_run_id
        if run_name:
            all_tags["mlflow.runName"] = run_name
        exp_id = str(experiment_id) if experiment_id is not None else _get_experiment_id()
        run = client.create_run(exp_id, tags=all_tags, run_name=run_name)
    active = ActiveRun(run)
    _active_run_stack.append(active)
    return active


def _end_run_by_id(run_id, status):
    global _last_active_run_id
    position = next((i for i, r in enumerate(_active_run_stack) if r.info.run_id == run_id), None)
    if position is None:
        return  # already ended (end_run() inside the with block, for instance)
    # Nested runs still open inside this one end with it.
    for run in reversed(_active_run_stack[position:]):
        _active_run_stack.remove(run)
        _last_active_run_id = run.info.run_id
        _client().set_terminated(run.info.run_id, status)


def end_run(status="FINISHED"):
    """Ends the active run (the innermost one when runs are nested). ``status``: ``"FINISHED"``,
    ``"FAILED"`` or ``"KILLED"``. Does nothing when no run is active."""
    if _active_run_stack:
        os.environ.pop("MLFLOW_RUN_ID", None)
        _end_run_by_id(_active_run_stack[-1].info.run_id, RunStatus.to_string(status))


def active_run():
    """The active run (as it was when started), or ``None``."""
    return _active_run_stack[-1] if _active_run_stack else None


def last_active_run():
    """The active run, else the run that ended last, freshly fetched from the server; ``None`` if
    there was none. Handy right after a ``with start_run():`` block to read what was logged."""
    run_id = _active_run_stack[-1].info.run_id if _active_run_stack else _last_active_run_id
    return None if run_id is None else _client().get_run(run_id)


def get_run(run_id):
    return _client().get_run(run_id)


def get_parent_run(run_id):
    return _client().get_parent_run(run_id)


def delete_run(run_id):
    _client().delete_run(run_id)


def _get_or_start_run():
    return _active_run_stack[-1] if _active_run_stack else start_run()


def _run_id():
    return _get_or_start_run().info.run_id


# ── logging ──────────────────────────────────────────────────────────────────────────────────


def log_param(key, value):
    """Logs a parameter on the active run (as a string) and returns ``value``. A parameter can be
    logged once per run: logging another value for the same key raises ``INVALID_PARAMETER_VALUE``."""
    return _client().log_param(_run_id(), key, value)


def log_params(params):
    """Logs a dict of parameters in one request."""
    _client().log_batch(_run_id(), params=[Param(str(k), str(v)) for k, v in params.items()])


def log_metric(key, value, step=None, timestamp=None):
    """Logs a metric value on the active run. Call it again with increasing ``step`` to record a
    history (``MlflowClient().get_metric_history(run_id, key)`` reads it back)."""
    _client().log_metric(_run_id(), key, value, timestamp=timestamp, step=step)


def log_metrics(metrics, step=None, timestamp=None):
    """Logs a dict of metrics in one request (runs/log-batch), all at the same step."""
    timestamp = int(timestamp) if timestamp is not None else int(time.time() * 1000)
    items = [Metric(str(k), v, timestamp, step or 0) for k, v in metrics.items()]
    client, run_id = _client(), _run_id()
    for start in range(0, len(items), MAX_METRICS_PER_BATCH):
        client.log_batch(run_id, metrics=items[start : start + MAX_METRICS_PER_BATCH])


def set_tag(key, value):
    """Sets a tag on the active run (tags, unlike params, can be overwritten)."""
    _client().set_tag(_run_id(), key, value)


def set_tags(tags):
    """Sets a dict of tags in one request."""
    _client().log_batch(_run_id(), tags=[RunTag(str(k), str(v)) for k, v in tags.items()])


def delete_tag(key):
    _client().delete_tag(_run_id(), key)


def log_artifact(local_path, artifact_path=None):
    """Uploads a local file into the active run's artifacts (under ``artifact_path`` if given)."""
    _client().log_artifact(_run_id(), local_path, artifact_path)


def log_artifacts(local_dir, artifact_path=None):
    """Uploads every file of a local folder into the active run's artifacts."""
    _client().log_artifacts(_run_id(), local_dir, artifact_path)


def log_dict(dictionary, artifact_file):
    """Saves a dict as an artifact: JSON, or YAML if ``artifact_file`` ends in ``.yaml``/``.yml``."""
    _client().log_dict(_run_id(), dictionary, artifact_file)


def log_text(text, artifact_file):
    """Saves a string as an artifact file, e.g. ``log_text(report, "reports/summary.md")``."""
    _client().log_text(_run_id(), text, artifact_file)


def get_artifact_uri(artifact_path=None):
    """The artifact URI of the active run (or of a path inside it)."""
    uri = _get_or_start_run().info.artifact_uri
    return f"{uri.rstrip('/')}/{artifact_path.lstrip('/')}" if artifact_path else uri


# ── search ───────────────────────────────────────────────────────────────────────────────────


def _runs_dataframe(runs):
    """MLflow's search_runs DataFrame: run_id, experiment_id, status, artifact_uri, start_time,
    end_time (UTC datetimes), then metrics.<key> (float, NaN when missing), params.<key> and
    tags.<key> (None when missing)."""
    import numpy as np
    import pandas as pd

    info = {name: [] for name in ("run_id", "experiment_id", "status", "artifact_uri", "start_time", "end_time")}
    metrics, params, tags = {}, {}, {}
    for i, run in enumerate(runs):
        info["run_id"].append(run.info.run_id)
        info["experiment_id"].append(run.info.experiment_id)
        info["status"].append(run.info.status)
        info["artifact_uri"].append(run.info.artifact_uri)
        info["start_time"].append(pd.to_datetime(run.info.start_time, unit="ms", utc=True))
        info["end_time"].append(pd.to_datetime(run.info.end_time, unit="ms", utc=True))
        for values, columns, null in ((run.data.metrics, metrics, np.nan), (run.data.params, params, None), (run.data.tags, tags, None)):
            for key in columns:
                columns[key].append(values.get(key, null))
            for key in values:
                if key not in columns:
                    columns[key] = [null] * i + [values[key]]
    data = dict(info)
    data.update({f"metrics.{k}": v for k, v in metrics.items()})
    data.update({f"params.{k}": v for k, v in params.items()})
    data.update({f"tags.{k}": v for k, v in tags.items()})
    return pd.DataFrame(data)


def search_runs(experiment_ids=None, filter_string="", run_view_type=ViewType.ACTIVE_ONLY, max_results=SEARCH_MAX_RESULTS_DEFAULT,
                order_by=None, output_format="pandas", search_all_experiments=False, experiment_names=None):
    """Runs matching ``filter_string``, collected over every page (up to ``max_results``).

    Args:
        experiment_ids: which experiments (default: the active one).
        filter_string: e.g. ``"metrics.rmse < 0.8 and params.alpha = '0.5'"``,
            ``"tags.mlflow.runName LIKE 'ridge%'"``, ``"attributes.status = 'FINISHED'"``.
        order_by: e.g. ``["metrics.rmse ASC"]`` (default: newest first).
        output_format: ``"pandas"`` (a DataFrame with columns ``run_id``, ``experiment_id``,
            ``status``, ``artifact_uri``, ``start_time``, ``end_time``, ``metrics.<key>``,
            ``params.<key>``, ``tags.<key>``) or ``"list"`` (a list of Run).
        experiment_names: experiments by name instead of id (unknown names are skipped).
        search_all_experiments: search every experiment when none is named.
    """
    if output_format not in ("pandas", "list"):
        raise MlflowException(f"Unsupported output format {output_format!r}; use 'pandas' or 'list'.", error_code="INVALID_PARAMETER_VALUE")
    client = _client()
    if experiment_ids is not None and experiment_names is not None:
        raise MlflowException("Only experiment_ids or experiment_names can be used, but not both", error_code="INVALID_PARAMETER_VALUE")
    if experiment_names is not None:
        found = [client.get_experiment_by_name(n) for n in experiment_names if n]
        experiment_ids = [e.experiment_id for e in found if e is not None]
    elif experiment_ids is None:
        if search_all_experiments:
            experiment_ids = [e.experiment_id for e in search_experiments(view_type=ViewType.ACTIVE_ONLY)]
        else:
            experiment_ids = [_get_experiment_id()]
    elif isinstance(experiment_ids, (str, int)):
        experiment_ids = [experiment_ids]
    runs = []
    if experiment_ids:
        token = None
        while len(runs) < max_results:
            page = client.search_runs(experiment_ids, filter_string, run_view_type, min(SEARCH_PAGE_SIZE, max_results - len(runs)), order_by, token)
            runs.extend(page)
            token = page.token
            if not token:
                break
    if output_format == "list":
        return runs
    return _runs_dataframe(runs)


# ── the model registry ───────────────────────────────────────────────────────────────────────


def register_model(model_uri, name, tags=None, await_registration_for=300):
    """Registers the model at ``model_uri`` (e.g. ``"runs:/<run_id>/model"``, as returned in
    ``log_model(...).model_uri``) as a new version of the registered model ``name`` (created if
    needed) and returns the :class:`~labkit.entities.ModelVersion`."""
    client = _client()
    try:
        client.create_registered_model(name)
        print(f"Successfully registered model '{name}'.", file=sys.stderr)
    except RestException as error:
        if error.error_code != "RESOURCE_ALREADY_EXISTS":
            raise
        print(f"Registered model '{name}' already exists. Creating a new version of this model...", file=sys.stderr)
    model_uri = os.fspath(model_uri)
    run_id = None
    if model_uri.startswith("runs:"):
        run_id = model_uri[len("runs:") :].lstrip("/").split("/", 1)[0]
        source = client._resolve_model_uri(model_uri)
    elif model_uri.startswith("models:"):
        source = client._resolve_model_uri(model_uri)
    else:
        source = model_uri
    version = client.create_model_version(name, source, run_id=run_id, tags=tags, await_creation_for=await_registration_for)
    print(f"Created version '{version.version}' of model '{version.name}'.", file=sys.stderr)
    return version


def search_registered_models(filter_string=None, max_results=None, order_by=None):
    """Every registered model matching ``filter_string`` (all pages)."""
    client, models, token = _client(), [], None
    while True:
        page = client.search_registered_models(filter_string, 100, order_by, token)
        models.extend(page)
        token = page.token
        if not token or (max_results is not None and len(models) >= max_results):
            return models[:max_results] if max_results is not None else models


def search_model_versions(filter_string=None, max_results=None, order_by=None):
    """Every model version matching ``filter_string`` such as ``"name = 'churn'"``."""
    client, versions, token = _client(), [], None
    while True:
        page = client.search_model_versions(filter_string, 10000, order_by, token)
        versions.extend(page)
        token = page.token
        if not token or (max_results is not None and len(versions) >= max_results):
            return versions[:max_results] if max_results is not None else versions


def load_model(model_uri, dst_path=None):
    """Loads a model logged with ``labkit.sklearn.log_model`` and returns the scikit-learn object.

    ``model_uri``: ``"models:/<name>@<alias>"``, ``"models:/<name>/<version>"``,
    ``"models:/<name>/<stage>"`` (the newest version in that stage, e.g. ``Production``),
    ``"models:/<name>/latest"``, ``"runs:/<run_id>/<artifact_path>"`` or a local folder.
    (In MLflow itself, call ``mlflow.sklearn.load_model`` or ``mlflow.pyfunc.load_model``.)
    """
    from labkit import sklearn as _sklearn

    return _sklearn.load_model(model_uri, dst_path=dst_path)


def _reset_state():
    """Forgets the active experiment, run stack and tracking URI (for tests)."""
    global _tracking_uri, _active_experiment_id, _active_run_stack, _last_active_run_id
    _tracking_uri = None
    _active_experiment_id = None
    _active_run_stack = []
    _last_active_run_id = None
