"""The objects labkit returns, with MLflow's class and attribute names (``mlflow.entities``):
:class:`Experiment`, :class:`Run` (``run.info`` and ``run.data``), :class:`Metric`,
:class:`Param`, :class:`RunTag`, :class:`FileInfo`, :class:`RegisteredModel`,
:class:`ModelVersion`, :class:`ModelInfo`, plus the :class:`ViewType`, :class:`RunStatus` and
:class:`LifecycleStage` constants and :class:`PagedList`.

They are plain snapshots: a :class:`Run` fetched before you log a metric does not change
afterwards; fetch it again (``client.get_run(run_id)``) to see the new value.
"""

from labkit._rest import decode_double


def _int_or_none(value):
    return None if value is None or value == "" else int(value)


def _tags_dict(tags):
    return {t["key"]: t.get("value", "") for t in (tags or [])}


class _Entity:
    """Gives every entity MLflow's ``repr``: ``<Name: attr=value, ...>``, and equality by value."""

    _fields = ()

    def __repr__(self):
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"<{type(self).__name__}: {inner}>"

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in self._fields)

    __hash__ = None

    def __iter__(self):
        """Lets ``dict(entity)`` give its fields, as MLflow's entities do."""
        for name in self._fields:
            yield name, getattr(self, name)


class LifecycleStage:
    ACTIVE = "active"
    DELETED = "deleted"


class ViewType:
    """Which runs or experiments a search returns: ``ACTIVE_ONLY`` (1), ``DELETED_ONLY`` (2) or ``ALL`` (3)."""

    ACTIVE_ONLY, DELETED_ONLY, ALL = 1, 2, 3
    _names = {1: "ACTIVE_ONLY", 2: "DELETED_ONLY", 3: "ALL"}

    @classmethod
    def to_string(cls, view_type):
        if isinstance(view_type, str):
            view_type = cls.from_string(view_type)
        if view_type not in cls._names:
            raise ValueError(f"Invalid view type {view_type!r}; use ViewType.ACTIVE_ONLY, DELETED_ONLY or ALL.")
        return cls._names[view_type]

    @classmethod
    def from_string(cls, name):
        for number, text in cls._names.items():
            if text == str(name).upper():
                return number
        raise ValueError(f"Invalid view type {name!r}; use 'ACTIVE_ONLY', 'DELETED_ONLY' or 'ALL'.")


class RunStatus:
    """Run states: ``RUNNING``, ``SCHEDULED``, ``FINISHED``, ``FAILED``, ``KILLED``."""

    RUNNING, SCHEDULED, FINISHED, FAILED, KILLED = 1, 2, 3, 4, 5
    _names = {1: "RUNNING", 2: "SCHEDULED", 3: "FINISHED", 4: "FAILED", 5: "KILLED"}

    @classmethod
    def to_string(cls, status):
        if isinstance(status, str):
            return cls._names[cls.from_string(status)]
        return cls._names[status]

    @classmethod
    def from_string(cls, name):
        for number, text in cls._names.items():
            if text == str(name).upper():
                return number
        raise ValueError(f"Invalid run status {name!r}; use one of {', '.join(cls._names.values())}.")

    @classmethod
    def is_terminated(cls, status):
        if isinstance(status, str):
            status = cls.from_string(status)
        return status in (cls.FINISHED, cls.FAILED, cls.KILLED)

    @classmethod
    def all_status(cls):
        return list(cls._names)


class PagedList(list):
    """A list of results with ``token``: the page token for the next page, or ``None`` on the last one."""

    def __init__(self, items, token):
        super().__init__(items)
        self.token = token or None

    def to_list(self):
        return list(self)


class Metric(_Entity):
    """One logged metric value: ``key``, ``value`` (float), ``timestamp`` (ms since the epoch), ``step``."""

    _fields = ("key", "value", "timestamp", "step")

    def __init__(self, key, value, timestamp, step):
        self.key = key
        self.value = value
        self.timestamp = timestamp
        self.step = step

    @classmethod
    def from_json(cls, d):
        return cls(d["key"], decode_double(d.get("value")), _int_or_none(d.get("timestamp")), int(d.get("step") or 0))


class Param(_Entity):
    _fields = ("key", "value")

    def __init__(self, key, value):
        self.key = key
        self.value = value


class RunTag(_Entity):
    _fields = ("key", "value")

    def __init__(self, key, value):
        self.key = key
        self.value = value


class ExperimentTag(RunTag):
    pass


class FileInfo(_Entity):
    """An artifact: ``path`` (relative to the run's artifact root), ``is_dir``, ``file_size`` (bytes, ``None`` for folders)."""

    _fields = ("path", "is_dir", "file_size")

    def __init__(self, path, is_dir, file_size):
        self.path = path
        self.is_dir = is_dir
        self.file_size = file_size


class Experiment(_Entity):
    """An experiment: ``experiment_id`` (a string), ``name``, ``artifact_location``,
    ``lifecycle_stage`` (``"active"`` or ``"deleted"``), ``tags`` (dict), ``creation_time`` and
    ``last_update_time`` (ms)."""

    _fields = ("artifact_location", "creation_time", "experiment_id", "last_update_time", "lifecycle_stage", "name", "tags")

    def __init__(self, experiment_id, name, artifact_location, lifecycle_stage, tags=None, creation_time=None, last_update_time=None):
        self.experiment_id = experiment_id
        self.name = name
        self.artifact_location = artifact_location
        self.lifecycle_stage = lifecycle_stage
        self.tags = dict(tags or {})
        self.creation_time = creation_time
        self.last_update_time = last_update_time

    @classmethod
    def from_json(cls, d):
        return cls(
            experiment_id=str(d["experiment_id"]),
            name=d.get("name"),
            artifact_location=d.get("artifact_location"),
            lifecycle_stage=d.get("lifecycle_stage", LifecycleStage.ACTIVE),
            tags=_tags_dict(d.get("tags")),
            creation_time=_int_or_none(d.get("creation_time")),
            last_update_time=_int_or_none(d.get("last_update_time")),
        )


class RunInfo(_Entity):
    """A run's metadata: ``run_id``, ``run_name``, ``experiment_id``, ``user_id``, ``status``
    (``"RUNNING"``, ``"FINISHED"``, ``"FAILED"``, …), ``start_time``/``end_time`` (ms; ``end_time`` is
    ``None`` while running), ``artifact_uri`` and ``lifecycle_stage``."""

    _fields = ("artifact_uri", "end_time", "experiment_id", "lifecycle_stage", "run_id", "run_name", "start_time", "status", "user_id")

    def __init__(self, run_id, experiment_id, user_id, status, start_time, end_time, lifecycle_stage, artifact_uri=None, run_name=None):
        self.run_id = run_id
        self.experiment_id = experiment_id
        self.user_id = user_id
        self.status = status
        self.start_time = start_time
        self.end_time = end_time
        self.lifecycle_stage = lifecycle_stage
        self.artifact_uri = artifact_uri
        self.run_name = run_name

    @property
    def run_uuid(self):
        """The old name of ``run_id``."""
        return self.run_id

    @classmethod
    def from_json(cls, d):
        return cls(
            run_id=d.get("run_id") or d.get("run_uuid"),
            experiment_id=str(d.get("experiment_id")),
            user_id=d.get("user_id", ""),
            status=d.get("status", "RUNNING"),
            start_time=_int_or_none(d.get("start_time")),
            end_time=_int_or_none(d.get("end_time")),
            lifecycle_stage=d.get("lifecycle_stage", LifecycleStage.ACTIVE),
            artifact_uri=d.get("artifact_uri"),
            run_name=d.get("run_name"),
        )


class RunData(_Entity):
    """A run's logged data as dicts: ``metrics`` (key → latest value), ``params`` (key → str),
    ``tags`` (key → str)."""

    _fields = ("metrics", "params", "tags")

    def __init__(self, metrics=None, params=None, tags=None):
        self._metric_objs = list(metrics or [])
        self.metrics = {m.key: m.value for m in self._metric_objs}
        self.params = {p.key: p.value for p in (params or [])}
        self.tags = {t.key: t.value for t in (tags or [])}

    @classmethod
    def from_json(cls, d):
        d = d or {}
        return cls(
            metrics=[Metric.from_json(m) for m in d.get("metrics", [])],
            params=[Param(p["key"], p.get("value", "")) for p in d.get("params", [])],
            tags=[RunTag(t["key"], t.get("value", "")) for t in d.get("tags", [])],
        )


class RunInputs(_Entity):
    _fields = ("dataset_inputs",)

    def __init__(self, dataset_inputs=None):
        self.dataset_inputs = list(dataset_inputs or [])


class Run(_Entity):
    """A run: ``run.info`` (:class:`RunInfo`) and ``run.data`` (:class:`RunData`)."""

    _fields = ("data", "info")

    def __init__(self, run_info, run_data, run_inputs=None):
        self._info = run_info
        self._data = run_data or RunData()
        self._inputs = run_inputs or RunInputs()

    @property
    def info(self):
        return self._info

    @property
    def data(self):
        return self._data

    @property
    def inputs(self):
        return self._inputs

    @classmethod
    def from_json(cls, d):
        inputs = (d.get("inputs") or {}).get("dataset_inputs", [])
        return cls(RunInfo.from_json(d.get("info", {})), RunData.from_json(d.get("data")), RunInputs(inputs))

    def to_dictionary(self):
        return {
            "info": dict(self.info),
            "data": {"metrics": dict(self.data.metrics), "params": dict(self.data.params), "tags": dict(self.data.tags)},
        }


class ModelVersion(_Entity):
    """A registered model's version: ``name``, ``version`` (a string such as ``"1"``),
    ``current_stage`` (``"None"``, ``"Staging"``, ``"Production"``, ``"Archived"``), ``source``,
    ``run_id``, ``status`` (``"READY"``), ``aliases`` (list), ``tags`` (dict), ``description``,
    ``creation_timestamp``/``last_updated_timestamp`` (ms), ``run_link``, ``user_id``."""

    _fields = (
        "aliases", "creation_timestamp", "current_stage", "description", "last_updated_timestamp",
        "name", "run_id", "run_link", "source", "status", "status_message", "tags", "user_id", "version",
    )

    def __init__(self, name, version, creation_timestamp=None, last_updated_timestamp=None, description=None,
                 user_id=None, current_stage=None, source=None, run_id=None, status="READY", status_message=None,
                 tags=None, run_link=None, aliases=None):
        self.name = name
        self.version = str(version)
        self.creation_timestamp = creation_timestamp
        self.last_updated_timestamp = last_updated_timestamp
        self.description = description
        self.user_id = user_id
        self.current_stage = current_stage
        self.source = source
        self.run_id = run_id
        self.status = status
        self.status_message = status_message
        self.tags = dict(tags or {})
        self.run_link = run_link
        self.aliases = list(aliases or [])

    @classmethod
    def from_json(cls, d):
        return cls(
            name=d.get("name"),
            version=d.get("version"),
            creation_timestamp=_int_or_none(d.get("creation_timestamp")),
            last_updated_timestamp=_int_or_none(d.get("last_updated_timestamp")),
            description=d.get("description"),
            user_id=d.get("user_id"),
            current_stage=d.get("current_stage"),
            source=d.get("source"),
            run_id=d.get("run_id") or None,
            status=d.get("status", "READY"),
            status_message=d.get("status_message"),
            tags=_tags_dict(d.get("tags")),
            run_link=d.get("run_link"),
            aliases=d.get("aliases", []),
        )


class RegisteredModel(_Entity):
    """A registered model: ``name``, ``description``, ``latest_versions`` (the newest
    :class:`ModelVersion` per stage), ``aliases`` (dict alias → version), ``tags`` (dict),
    ``creation_timestamp``/``last_updated_timestamp`` (ms)."""

    _fields = ("aliases", "creation_timestamp", "description", "last_updated_timestamp", "latest_versions", "name", "tags")

    def __init__(self, name, creation_timestamp=None, last_updated_timestamp=None, description=None,
                 latest_versions=None, tags=None, aliases=None):
        self.name = name
        self.creation_timestamp = creation_timestamp
        self.last_updated_timestamp = last_updated_timestamp
        self.description = description
        self.latest_versions = list(latest_versions or [])
        self.tags = dict(tags or {})
        self.aliases = dict(aliases or {})

    @classmethod
    def from_json(cls, d):
        return cls(
            name=d.get("name"),
            creation_timestamp=_int_or_none(d.get("creation_timestamp")),
            last_updated_timestamp=_int_or_none(d.get("last_updated_timestamp")),
            description=d.get("description"),
            latest_versions=[ModelVersion.from_json(v) for v in d.get("latest_versions", [])],
            tags=_tags_dict(d.get("tags")),
            aliases={a["alias"]: str(a["version"]) for a in d.get("aliases", [])},
        )


class ModelInfo(_Entity):
    """What ``labkit.sklearn.log_model`` returns: ``model_uri`` (``runs:/<run_id>/<artifact_path>``),
    ``artifact_path``, ``run_id``, ``flavors``, ``model_uuid``, ``utc_time_created``,
    ``mlflow_version``, ``saved_input_example_info``, ``signature``, ``metadata`` and
    ``registered_model_version`` (when ``registered_model_name`` was given)."""

    _fields = ("artifact_path", "flavors", "model_uri", "model_uuid", "run_id", "utc_time_created", "registered_model_version")

    def __init__(self, artifact_path, flavors, model_uri, model_uuid, run_id, saved_input_example_info=None,
                 signature=None, utc_time_created=None, mlflow_version=None, metadata=None, registered_model_version=None):
        self.artifact_path = artifact_path
        self.flavors = flavors
        self.model_uri = model_uri
        self.model_uuid = model_uuid
        self.run_id = run_id
        self.saved_input_example_info = saved_input_example_info
        self.signature = signature
        self.utc_time_created = utc_time_created
        self.mlflow_version = mlflow_version
        self.metadata = metadata
        self.registered_model_version = registered_model_version


__all__ = [
    "Experiment", "ExperimentTag", "FileInfo", "LifecycleStage", "Metric", "ModelInfo", "ModelVersion",
    "PagedList", "Param", "RegisteredModel", "Run", "RunData", "RunInfo", "RunInputs", "RunStatus",
    "RunTag", "ViewType",
]
