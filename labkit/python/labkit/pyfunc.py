"""Generic models (``mlflow.pyfunc``): load any model labkit logged and call ``.predict(data)``.

    model = labkit.pyfunc.load_model("models:/churn@champion")
    model.predict(X_test)            # the estimator's predict (or predict_proba, as logged)
    model.metadata.run_id            # the MLmodel descriptor (labkit.models.Model)
    model.get_raw_model()            # the scikit-learn estimator itself

labkit's pyfunc loads models with MLflow's ``mlflow.sklearn`` loader (what
``labkit.sklearn.log_model`` writes); other flavors raise a clear error.
"""

from labkit.exceptions import MlflowException

FLAVOR_NAME = "python_function"


class PyFuncModel:
    """A loaded model with a uniform interface: ``predict(data)``, ``metadata``, ``get_raw_model()``."""

    def __init__(self, model_meta, model_impl, predict_fn="predict"):
        self._model_meta = model_meta
        self._model_impl = model_impl
        self._predict_fn = predict_fn

    @property
    def metadata(self):
        """The model's MLmodel descriptor (:class:`labkit.models.Model`)."""
        return self._model_meta

    @property
    def loader_module(self):
        return self._model_meta.flavors.get(FLAVOR_NAME, {}).get("loader_module")

    def predict(self, data, params=None):
        """Predictions for ``data`` (a pandas DataFrame, a numpy array or a list of rows)."""
        if isinstance(data, list):
            import numpy as np

            data = np.asarray(data)
        return getattr(self._model_impl, self._predict_fn)(data)

    def get_raw_model(self):
        """The underlying model object (the scikit-learn estimator)."""
        return self._model_impl

    def unwrap_python_model(self):
        raise MlflowException(
            "unwrap_python_model() is for models logged with mlflow.pyfunc.log_model(python_model=...); "
            "this is a scikit-learn model: use get_raw_model().",
            error_code="INVALID_PARAMETER_VALUE",
        )

    def __repr__(self):
        meta = self._model_meta
        return (
            f"labkit.pyfunc.loaded_model:\n  artifact_path: {meta.artifact_path}\n"
            f"  flavor: {self.loader_module}\n  run_id: {meta.run_id}"
        )


def load_model(model_uri, suppress_warnings=False, dst_path=None, model_config=None):
    """Loads a model as a :class:`PyFuncModel`. ``model_uri`` as for ``labkit.sklearn.load_model``:
    ``models:/<name>@<alias>``, ``models:/<name>/<version>``, ``models:/<name>/<stage>``,
    ``runs:/<run_id>/<path>`` or a local folder."""
    from labkit import sklearn as _sklearn

    model, meta = _sklearn._load(model_uri, dst_path, flavor_check=False)
    conf = meta.flavors.get(FLAVOR_NAME)
    if conf is None:
        raise MlflowException(
            f'Model does not have the "{FLAVOR_NAME}" flavor, so it cannot be loaded as a pyfunc model.',
            error_code="RESOURCE_DOES_NOT_EXIST",
        )
    return PyFuncModel(meta, model, conf.get("predict_fn", "predict"))


__all__ = ["FLAVOR_NAME", "PyFuncModel", "load_model"]
