"""``from labkit.tracking import MlflowClient`` works as ``from mlflow.tracking import MlflowClient``."""

from labkit.client import MlflowClient
from labkit.fluent import get_tracking_uri, is_tracking_uri_set, set_tracking_uri

__all__ = ["MlflowClient", "get_tracking_uri", "is_tracking_uri_set", "set_tracking_uri"]
