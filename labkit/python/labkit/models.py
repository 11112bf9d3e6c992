"""The MLmodel descriptor of a logged model (``mlflow.models.Model``).

A logged model is a folder in the run's artifacts, laid out as MLflow lays it out, so a real
MLflow can load it too::

    model/
      MLmodel            this descriptor (YAML): flavors, run_id, model_uuid, ...
      model.pkl          the pickled scikit-learn estimator
      requirements.txt   the pip packages it needs
      python_env.yaml    the Python version and how to build its environment
      input_example.json (when an input_example was given)
"""

import datetime
import os
import uuid

from labkit import _yaml
from labkit.entities import ModelInfo

# The MLflow release whose formats labkit follows (also what labkit's server reports at /version).
MLFLOW_COMPATIBLE_VERSION = "2.19.0"
MLMODEL_FILE_NAME = "MLmodel"

_KNOWN_KEYS = (
    "artifact_path", "flavors", "metadata", "mlflow_version", "model_size_bytes", "model_uuid", "run_id",
    "saved_input_example_info", "signature", "utc_time_created",
)


class Model:
    """The contents of an ``MLmodel`` file: ``artifact_path``, ``run_id``, ``flavors`` (dict),
    ``model_uuid``, ``utc_time_created``, ``mlflow_version``, ``saved_input_example_info``,
    ``signature``, ``metadata``, ``model_size_bytes``."""

    def __init__(self, artifact_path=None, run_id=None, utc_time_created=None, flavors=None, signature=None,
                 saved_input_example_info=None, model_uuid=None, mlflow_version=MLFLOW_COMPATIBLE_VERSION,
                 metadata=None, model_size_bytes=None, **extra):
        self.artifact_path = artifact_path
        self.run_id = run_id
        self.utc_time_created = str(utc_time_created or datetime.datetime.utcnow())
        self.flavors = dict(flavors or {})
        self.signature = signature
        self.saved_input_example_info = saved_input_example_info
        self.model_uuid = model_uuid or uuid.uuid4().hex
        self.mlflow_version = mlflow_version
        self.metadata = metadata
        self.model_size_bytes = model_size_bytes
        self._extra = extra

    def add_flavor(self, name, **params):
        self.flavors[name] = params
        return self

    def get_input_schema(self):
        return (self.signature or {}).get("inputs") if isinstance(self.signature, dict) else None

    def to_dict(self):
        """The descriptor as a dict, keys in alphabetical order as MLflow writes them; unset keys left out."""
        data = {
            "artifact_path": self.artifact_path,
            "flavors": self.flavors,
            "metadata": self.metadata,
            "mlflow_version": self.mlflow_version,
            "model_size_bytes": self.model_size_bytes,
            "model_uuid": self.model_uuid,
            "run_id": self.run_id,
            "saved_input_example_info": self.saved_input_example_info,
            "signature": self.signature,
            "utc_time_created": self.utc_time_created,
            **self._extra,
        }
        return {k: data[k] for k in sorted(data) if data[k] is not None}

    def to_yaml(self):
        return _yaml.dump(_sorted(self.to_dict()))

    def save(self, path):
        """Writes the descriptor to ``path`` (a file name, usually ``<model dir>/MLmodel``)."""
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.to_yaml())

    @classmethod
    def from_dict(cls, data):
        data = dict(data or {})
        known = {k: data.pop(k) for k in _KNOWN_KEYS if k in data}
        return cls(**known, **data)

    @classmethod
    def load(cls, path):
        """Reads an ``MLmodel`` file (or the ``MLmodel`` inside the folder ``path``)."""
        path = os.fspath(path)
        if os.path.isdir(path):
            path = os.path.join(path, MLMODEL_FILE_NAME)
        if not os.path.isfile(path):
            from labkit.exceptions import MlflowException

            raise MlflowException(
                f"No MLmodel file at {path!r}: this folder does not hold a logged model.",
                error_code="RESOURCE_DOES_NOT_EXIST",
            )
        with open(path, encoding="utf-8") as f:
            return cls.from_dict(_yaml.load(f.read()))

    def get_model_info(self):
        return ModelInfo(
            artifact_path=self.artifact_path,
            flavors=self.flavors,
            model_uri=f"runs:/{self.run_id}/{self.artifact_path}" if self.run_id else None,
            model_uuid=self.model_uuid,
            run_id=self.run_id,
            saved_input_example_info=self.saved_input_example_info,
            signature=self.signature,
            utc_time_created=self.utc_time_created,
            mlflow_version=self.mlflow_version,
            metadata=self.metadata,
        )

    def __repr__(self):
        return f"<Model: artifact_path={self.artifact_path!r}, run_id={self.run_id!r}, flavors={sorted(self.flavors)}>"


def _sorted(value):
    if isinstance(value, dict):
        return {k: _sorted(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted(v) for v in value]
    return value


__all__ = ["MLFLOW_COMPATIBLE_VERSION", "Model"]
