"""scikit-learn models, logged and loaded the way ``mlflow.sklearn`` does it.

    import labkit as mlflow
    import labkit.sklearn

    with mlflow.start_run():
        model = LogisticRegression().fit(X, y)
        info = mlflow.sklearn.log_model(model, "model", registered_model_name="churn")

    same = mlflow.sklearn.load_model(info.model_uri)          # runs:/<run_id>/model
    champion = mlflow.sklearn.load_model("models:/churn@champion")

The model folder (``model.pkl``, ``MLmodel``, ``requirements.txt``, ``python_env.yaml``) follows
MLflow's layout, so ``mlflow.sklearn.load_model`` can read it too. Models are stored with
``pickle``: load only models you trust, as with any pickle.
"""

import json
import os
import pickle
import platform
import shutil
import tempfile
import urllib.parse

from labkit.exceptions import MlflowException
from labkit.models import MLFLOW_COMPATIBLE_VERSION, Model

FLAVOR_NAME = "sklearn"
SERIALIZATION_FORMAT_PICKLE = "pickle"
SERIALIZATION_FORMAT_CLOUDPICKLE = "cloudpickle"
SUPPORTED_SERIALIZATION_FORMATS = [SERIALIZATION_FORMAT_PICKLE, SERIALIZATION_FORMAT_CLOUDPICKLE]
_MODEL_FILE = "model.pkl"


def _package_version(name):
    try:
        from importlib.metadata import PackageNotFoundError, version
    except ImportError:  # Python < 3.8
        return None
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def _sklearn_version():
    import sklearn

    return sklearn.__version__


def _default_requirements(serialization_format):
    requirements = [f"mlflow=={MLFLOW_COMPATIBLE_VERSION}"]
    if serialization_format == SERIALIZATION_FORMAT_CLOUDPICKLE and _package_version("cloudpickle"):
        requirements.append(f"cloudpickle=={_package_version('cloudpickle')}")
    for package in ("numpy", "scikit-learn"):
        version = _package_version(package)
        requirements.append(f"{package}=={version}" if version else package)
    return requirements


def _python_env_yaml():
    build = []
    for package in ("pip", "setuptools", "wheel"):
        version = _package_version(package)
        build.append(f"{package}=={version}" if version else package)
    lines = [f"python: {platform.python_version()}", "build_dependencies:"]
    lines += [f"- {b}" for b in build]
    lines += ["dependencies:", "- -r requirements.txt"]
    return "\n".join(lines) + "\n"


def _save_input_example(input_example, path):
    """Writes input_example.json as MLflow does; returns the MLmodel's saved_input_example_info."""
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is in the lab image
        pd = None
    if pd is not None and isinstance(input_example, pd.DataFrame):
        data = json.loads(input_example.to_json(orient="split", index=False))
        info = {"artifact_path": "input_example.json", "pandas_orient": "split", "type": "dataframe"}
    elif isinstance(input_example, dict) and pd is not None:
        frame = pd.DataFrame([input_example]) if all(not isinstance(v, (list, tuple)) for v in input_example.values()) else pd.DataFrame(input_example)
        data = json.loads(frame.to_json(orient="split", index=False))
        info = {"artifact_path": "input_example.json", "pandas_orient": "split", "type": "dataframe"}
    else:
        import numpy as np

        data = {"inputs": np.asarray(input_example).tolist()}
        info = {"artifact_path": "input_example.json", "format": "tf-serving", "type": "ndarray"}
    with open(os.path.join(path, "input_example.json"), "w", encoding="utf-8") as f:
        json.dump(data, f)
    return info


def _folder_size(path):
    return sum(os.path.getsize(os.path.join(folder, name)) for folder, _d, files in os.walk(path) for name in files)


def save_model(sk_model, path, conda_env=None, code_paths=None, mlflow_model=None, serialization_format=SERIALIZATION_FORMAT_PICKLE,
               signature=None, input_example=None, pip_requirements=None, extra_pip_requirements=None, pyfunc_predict_fn="predict",
               metadata=None):
    """Saves a scikit-learn model to the local folder ``path`` in MLflow's layout (``MLmodel``,
    ``model.pkl``, ``requirements.txt``, ``python_env.yaml``). ``path`` must not exist yet (or be empty)."""
    path = os.path.abspath(os.fspath(path))
    if serialization_format not in SUPPORTED_SERIALIZATION_FORMATS:
        raise MlflowException(
            f"Unrecognized serialization format: {serialization_format}. Please specify one of the following "
            f"supported formats: {SUPPORTED_SERIALIZATION_FORMATS}.",
            error_code="INVALID_PARAMETER_VALUE",
        )
    if os.path.exists(path) and os.listdir(path):
        raise MlflowException(f"Path '{path}' already exists and is not empty", error_code="RESOURCE_ALREADY_EXISTS")
    if pyfunc_predict_fn not in ("predict", "predict_proba", "predict_log_proba", "predict_joint_log_proba", "score"):
        raise MlflowException(
            f"Invalid pyfunc_predict_fn {pyfunc_predict_fn!r}: use 'predict', 'predict_proba', 'predict_log_proba' "
            f"or 'predict_joint_log_proba'.",
            error_code="INVALID_PARAMETER_VALUE",
        )
    if not hasattr(sk_model, pyfunc_predict_fn):
        raise MlflowException(
            f"The model has no {pyfunc_predict_fn}() method, so it cannot be served as a pyfunc model. "
            f"Is it a fitted scikit-learn estimator?",
            error_code="INVALID_PARAMETER_VALUE",
        )
    os.makedirs(path, exist_ok=True)
    mlflow_model = mlflow_model or Model()
    with open(os.path.join(path, _MODEL_FILE), "wb") as f:
        if serialization_format == SERIALIZATION_FORMAT_CLOUDPICKLE:
            try:
                import cloudpickle
            except ImportError:
                raise MlflowException(
                    "serialization_format='cloudpickle' needs the cloudpickle package, which is not installed; "
                    "use serialization_format='pickle'.",
                    error_code="INVALID_PARAMETER_VALUE",
                ) from None
            cloudpickle.dump(sk_model, f)
        else:
            pickle.dump(sk_model, f, protocol=pickle.DEFAULT_PROTOCOL)
    if input_example is not None:
        mlflow_model.saved_input_example_info = _save_input_example(input_example, path)
    if signature is not None:
        mlflow_model.signature = signature.to_dict() if hasattr(signature, "to_dict") else dict(signature)
    if metadata is not None:
        mlflow_model.metadata = metadata
    requirements = list(pip_requirements) if pip_requirements else _default_requirements(serialization_format)
    requirements += list(extra_pip_requirements or [])
    with open(os.path.join(path, "requirements.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(requirements) + "\n")
    with open(os.path.join(path, "python_env.yaml"), "w", encoding="utf-8") as f:
        f.write(_python_env_yaml())
    mlflow_model.add_flavor(
        "python_function",
        loader_module="mlflow.sklearn",
        model_path=_MODEL_FILE,
        predict_fn=pyfunc_predict_fn,
        python_version=platform.python_version(),
        env={"virtualenv": "python_env.yaml"},
    )
    mlflow_model.add_flavor(
        FLAVOR_NAME,
        pickled_model=_MODEL_FILE,
        sklearn_version=_sklearn_version(),
        serialization_format=serialization_format,
        code=None,
    )
    mlflow_model.model_size_bytes = _folder_size(path)
    mlflow_model.save(os.path.join(path, "MLmodel"))
    return mlflow_model


def log_model(sk_model, artifact_path="model", conda_env=None, code_paths=None, serialization_format=SERIALIZATION_FORMAT_PICKLE,
              registered_model_name=None, signature=None, input_example=None, await_registration_for=300,
              pip_requirements=None, extra_pip_requirements=None, pyfunc_predict_fn="predict", metadata=None, name=None):
    """Logs a scikit-learn model as an artifact folder of the active run (started if none is
    active) and returns a :class:`~labkit.entities.ModelInfo` whose ``model_uri``
    (``runs:/<run_id>/<artifact_path>``) loads it back.

    Args:
        sk_model: a fitted estimator or pipeline.
        artifact_path: the folder name in the run's artifacts (default ``"model"``; ``name=`` is
            accepted too, as MLflow 3 calls it).
        registered_model_name: also register it as a new version of this registered model.
        input_example: a few rows of input (DataFrame or array), saved as ``input_example.json``.
        pyfunc_predict_fn: which method ``labkit.pyfunc`` models call (``"predict"`` or ``"predict_proba"``).
    """
    from labkit import fluent

    if name is not None:
        artifact_path = name
    artifact_path = (artifact_path or "model").strip("/")
    run_id = fluent._get_or_start_run().info.run_id
    client = fluent._client()
    local_root = tempfile.mkdtemp(prefix="labkit-model-")
    try:
        local = os.path.join(local_root, "model")
        mlflow_model = save_model(
            sk_model,
            local,
            mlflow_model=Model(artifact_path=artifact_path, run_id=run_id),
            serialization_format=serialization_format,
            signature=signature,
            input_example=input_example,
            pip_requirements=pip_requirements,
            extra_pip_requirements=extra_pip_requirements,
            pyfunc_predict_fn=pyfunc_predict_fn,
            metadata=metadata,
        )
        client.log_artifacts(run_id, local, artifact_path)
    finally:
        shutil.rmtree(local_root, ignore_errors=True)
    client._record_logged_model(run_id, mlflow_model.to_dict())
    info = mlflow_model.get_model_info()
    if registered_model_name is not None:
        version = fluent.register_model(info.model_uri, registered_model_name, await_registration_for=await_registration_for)
        info.registered_model_version = version.version
    return info


def _load_from_local(path, flavor_check=True):
    meta = Model.load(path)
    conf = meta.flavors.get(FLAVOR_NAME)
    if conf is None:
        pyfunc = meta.flavors.get("python_function", {})
        if flavor_check or pyfunc.get("loader_module") != "mlflow.sklearn":
            raise MlflowException(
                f'Model does not have the "{FLAVOR_NAME}" flavor (it has: {", ".join(sorted(meta.flavors)) or "none"}); '
                f"labkit loads scikit-learn models only.",
                error_code="RESOURCE_DOES_NOT_EXIST",
            )
        conf = {"pickled_model": pyfunc.get("model_path", _MODEL_FILE), "serialization_format": SERIALIZATION_FORMAT_PICKLE}
    model_file = os.path.join(path, conf.get("pickled_model", _MODEL_FILE))
    fmt = conf.get("serialization_format", SERIALIZATION_FORMAT_PICKLE)
    with open(model_file, "rb") as f:
        if fmt == SERIALIZATION_FORMAT_CLOUDPICKLE:
            try:
                import cloudpickle as loader
            except ImportError:
                loader = pickle  # cloudpickle output of plain estimators is ordinary pickle data
        else:
            loader = pickle
        return loader.load(f), meta


def _local_path(model_uri):
    """The folder of a local model (a path or ``file://`` URI), else ``None``."""
    text = os.fspath(model_uri)
    parsed = urllib.parse.urlparse(text)
    if parsed.scheme == "file":
        return urllib.parse.unquote(parsed.path)
    if parsed.scheme == "" and os.path.isdir(text):
        return text
    return None


def _load(model_uri, dst_path, flavor_check=True):
    """(model, Model metadata) of ``model_uri``, downloading it first unless it is local."""
    from labkit import fluent

    local = _local_path(model_uri)
    if local is not None:
        return _load_from_local(local, flavor_check)
    client = fluent._client()
    if dst_path is not None:
        return _load_from_local(client._download_model(model_uri, dst_path), flavor_check)
    scratch = tempfile.mkdtemp(prefix="labkit-model-")
    try:
        return _load_from_local(client._download_model(model_uri, scratch), flavor_check)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def load_model(model_uri, dst_path=None):
    """Loads a scikit-learn model and returns the estimator.

    ``model_uri``: ``"runs:/<run_id>/model"``, ``"models:/<name>/<version>"``,
    ``"models:/<name>/<stage>"`` (e.g. ``Production``: its newest version in that stage),
    ``"models:/<name>/latest"``, ``"models:/<name>@<alias>"``, or a local model folder.
    ``dst_path``: keep the downloaded files there (default: a temporary folder, removed afterwards).
    """
    model, _meta = _load(model_uri, dst_path)
    return model


def autolog(*args, **kwargs):
    """Not available in labkit: log params, metrics and the model explicitly."""
    raise MlflowException(
        "labkit does not implement autolog(). Log what you need explicitly: labkit.log_params(...), "
        "labkit.log_metric(...), labkit.sklearn.log_model(model, 'model').",
        error_code="NOT_IMPLEMENTED",
    )


__all__ = ["FLAVOR_NAME", "autolog", "load_model", "log_model", "save_model"]
