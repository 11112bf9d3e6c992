"""labkit: the lab sandbox's MLflow-compatible tracking client.

Write ``import labkit as mlflow`` and use MLflow's fluent API; the same code runs against a real
MLflow server once you change the import to ``import mlflow``::

    import labkit as mlflow

    mlflow.set_experiment("churn")                      # created if missing
    with mlflow.start_run(run_name="baseline") as run:  # FINISHED at the end, FAILED on an error
        mlflow.log_params({"C": 1.0, "penalty": "l2"})
        for epoch, loss in enumerate(losses):
            mlflow.log_metric("loss", loss, step=epoch)
        mlflow.sklearn.log_model(model, "model", registered_model_name="churn")

    runs = mlflow.search_runs(filter_string="metrics.loss < 0.3", order_by=["metrics.loss ASC"])
    model = mlflow.pyfunc.load_model("models:/churn@champion")

The tracking server is ``$MLFLOW_TRACKING_URI`` (set in lab sandboxes to http://127.0.0.1:5000)
or what ``set_tracking_uri`` sets. In a lab sandbox the platform runs it; elsewhere, start one
with ``labkit services up tracking``.

Modules: ``labkit.sklearn`` (log/load scikit-learn models), ``labkit.pyfunc`` (load as a generic
model), ``labkit.tracking`` / ``labkit.client`` (``MlflowClient``), ``labkit.entities``,
``labkit.exceptions`` (``MlflowException``), ``labkit.artifacts``, ``labkit.models``.
"""

from labkit import entities, exceptions
from labkit.client import MlflowClient
from labkit.entities import ViewType
from labkit.exceptions import MlflowException
from labkit.fluent import (
    ActiveRun,
    active_run,
    create_experiment,
    delete_experiment,
    delete_run,
    delete_tag,
    end_run,
    get_artifact_uri,
    get_experiment,
    get_experiment_by_name,
    get_parent_run,
    get_registry_uri,
    get_run,
    get_tracking_uri,
    is_tracking_uri_set,
    last_active_run,
    load_model,
    log_artifact,
    log_artifacts,
    log_dict,
    log_metric,
    log_metrics,
    log_param,
    log_params,
    log_text,
    register_model,
    search_experiments,
    search_model_versions,
    search_registered_models,
    search_runs,
    set_experiment,
    set_experiment_tag,
    set_experiment_tags,
    set_registry_uri,
    set_tag,
    set_tags,
    set_tracking_uri,
    start_run,
)
from labkit.models import MLFLOW_COMPATIBLE_VERSION

__version__ = "0.1.0"

# Submodules MLflow users reach as attributes (mlflow.sklearn.log_model, mlflow.pyfunc.load_model, ...).
from labkit import artifacts, client, models, pyfunc, sklearn, tracking  # noqa: E402


def autolog(*args, **kwargs):
    """Not available in labkit: log params, metrics and models explicitly."""
    sklearn.autolog()


__all__ = [
    "ActiveRun", "MLFLOW_COMPATIBLE_VERSION", "MlflowClient", "MlflowException", "ViewType", "active_run",
    "artifacts", "autolog", "client", "create_experiment", "delete_experiment", "delete_run", "delete_tag",
    "end_run", "entities", "exceptions", "get_artifact_uri", "get_experiment", "get_experiment_by_name",
    "get_parent_run", "get_registry_uri", "get_run", "get_tracking_uri", "is_tracking_uri_set",
    "last_active_run", "load_model", "log_artifact", "log_artifacts", "log_dict", "log_metric", "log_metrics",
    "log_param", "log_params", "log_text", "models", "pyfunc", "register_model", "search_experiments",
    "search_model_versions", "search_registered_models", "search_runs", "set_experiment", "set_experiment_tag",
    "set_experiment_tags", "set_registry_uri", "set_tag", "set_tags", "set_tracking_uri", "sklearn",
    "start_run", "tracking",
]
