"""Artifact helpers (``mlflow.artifacts``)."""

import json

from labkit.exceptions import MlflowException


def download_artifacts(artifact_uri=None, run_id=None, artifact_path=None, dst_path=None, tracking_uri=None):
    """Downloads artifacts and returns their local path. Either ``run_id`` (with an optional
    ``artifact_path`` inside the run), or ``artifact_uri`` such as ``"runs:/<run_id>/model"``,
    ``"models:/<name>/<version>"`` or ``"mlflow-artifacts:/…"``."""
    from labkit.client import MlflowClient

    client = MlflowClient(tracking_uri)
    if (artifact_uri is None) == (run_id is None):
        raise MlflowException("Give either artifact_uri, or run_id (with artifact_path).", error_code="INVALID_PARAMETER_VALUE")
    if run_id is not None:
        return client.download_artifacts(run_id, artifact_path or "", dst_path)
    if artifact_path is not None:
        raise MlflowException("artifact_path goes with run_id, not with artifact_uri.", error_code="INVALID_PARAMETER_VALUE")
    location = client._resolve_model_uri(artifact_uri)
    if not location.startswith("mlflow-artifacts:"):
        return location  # a local path
    return client._download(location, "", dst_path)


def load_text(artifact_uri):
    """The text of one artifact file, e.g. ``load_text("runs:/<run_id>/notes.txt")``."""
    import os
    import shutil
    import tempfile

    scratch = tempfile.mkdtemp(prefix="labkit-artifact-")
    try:
        from labkit.client import MlflowClient

        client = MlflowClient()
        location = client._resolve_model_uri(artifact_uri)
        if not location.startswith("mlflow-artifacts:"):
            with open(location, encoding="utf-8") as f:
                return f.read()
        parent, _, name = location.rstrip("/").rpartition("/")
        local = client._download(parent, name, scratch)
        if os.path.isdir(local):
            raise MlflowException(f"{artifact_uri} is a folder, not a file.", error_code="INVALID_PARAMETER_VALUE")
        with open(local, encoding="utf-8") as f:
            return f.read()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def load_dict(artifact_uri):
    """A dict saved with ``log_dict`` (JSON or YAML by extension)."""
    text = load_text(artifact_uri)
    if artifact_uri.lower().endswith((".yaml", ".yml")):
        from labkit import _yaml

        return _yaml.load(text)
    return json.loads(text)


__all__ = ["download_artifacts", "load_dict", "load_text"]
