"""Models: log_model's folder layout, the registry (versions, stages, aliases, tags, search) and
load_model by alias, stage, version and run URI."""

import json
import os
import platform

import pytest

import labkit as mlflow
import labkit.pyfunc
import labkit.sklearn
from labkit import _yaml
from labkit.entities import ModelInfo, ModelVersion, RegisteredModel
from labkit.exceptions import MlflowException


@pytest.fixture(scope="module")
def data():
    from sklearn.datasets import make_classification

    return make_classification(n_samples=200, n_features=6, random_state=0)


def _fit(data, C):
    from sklearn.linear_model import LogisticRegression

    X, y = data
    return LogisticRegression(C=C, max_iter=500).fit(X, y)


def _log(data, C, registered_model_name=None, **kwargs):
    model = _fit(data, C)
    with mlflow.start_run(run_name=f"C={C}") as run:
        mlflow.log_param("C", C)
        info = mlflow.sklearn.log_model(model, "model", registered_model_name=registered_model_name, **kwargs)
    return model, info, run.info.run_id


def test_log_model_writes_mlflows_model_folder(experiment, client, data, tmp_path):
    import pandas as pd
    import sklearn

    X, _y = data
    example = pd.DataFrame(X[:3], columns=[f"f{i}" for i in range(6)])
    model, info, run_id = _log(data, 1.0, input_example=example)

    assert isinstance(info, ModelInfo)
    assert info.model_uri == f"runs:/{run_id}/model"
    assert (info.artifact_path, info.run_id) == ("model", run_id)
    assert info.registered_model_version is None
    files = {f.path: f for f in client.list_artifacts(run_id, "model")}
    assert set(files) == {"model/MLmodel", "model/model.pkl", "model/requirements.txt", "model/python_env.yaml", "model/input_example.json"}

    local = client.download_artifacts(run_id, "model", str(tmp_path))
    with open(os.path.join(local, "MLmodel")) as f:
        mlmodel = _yaml.load(f.read())
    assert mlmodel["artifact_path"] == "model"
    assert mlmodel["run_id"] == run_id
    assert mlmodel["model_uuid"] == info.model_uuid and len(info.model_uuid) == 32
    assert mlmodel["mlflow_version"] == mlflow.MLFLOW_COMPATIBLE_VERSION
    assert isinstance(mlmodel["utc_time_created"], str)
    assert mlmodel["flavors"]["python_function"] == {
        "env": {"virtualenv": "python_env.yaml"},
        "loader_module": "mlflow.sklearn",
        "model_path": "model.pkl",
        "predict_fn": "predict",
        "python_version": platform.python_version(),
    }
    assert mlmodel["flavors"]["sklearn"] == {
        "code": None,
        "pickled_model": "model.pkl",
        "serialization_format": "pickle",
        "sklearn_version": sklearn.__version__,
    }
    assert mlmodel["saved_input_example_info"]["type"] == "dataframe"
    with open(os.path.join(local, "requirements.txt")) as f:
        requirements = f.read().split()
    assert f"scikit-learn=={sklearn.__version__}" in requirements
    with open(os.path.join(local, "python_env.yaml")) as f:
        env = _yaml.load(f.read())
    assert str(env["python"]) == platform.python_version() and env["dependencies"] == ["-r requirements.txt"]
    with open(os.path.join(local, "input_example.json")) as f:
        assert json.load(f)["columns"] == list(example.columns)
    # The run records the logged model, as MLflow 2.x does.
    history = json.loads(client.get_run(run_id).data.tags["mlflow.log-model.history"])
    assert history[0]["artifact_path"] == "model" and "sklearn" in history[0]["flavors"]

    loaded = mlflow.sklearn.load_model(info.model_uri)
    assert (loaded.predict(X) == model.predict(X)).all()
    assert (mlflow.sklearn.load_model(local).predict(X) == model.predict(X)).all()


def test_the_registry_flow_stages_aliases_and_loading(experiment, client, data):
    X, _y = data
    name = "churn-classifier"
    model1, info1, run1 = _log(data, 0.01, registered_model_name=name)
    assert info1.registered_model_version == "1"
    model2, info2, run2 = _log(data, 100.0)
    assert (model1.predict(X) != model2.predict(X)).any(), "the two models should differ"

    version2 = mlflow.register_model(info2.model_uri, name, tags={"candidate": "yes"})
    assert isinstance(version2, ModelVersion)
    assert (version2.name, version2.version, version2.status, version2.current_stage) == (name, "2", "READY", "None")
    assert version2.run_id == run2
    assert version2.source == client.get_run(run2).info.artifact_uri + "/model"
    assert version2.tags == {"candidate": "yes"}

    # Stages: version 1 to Production, then version 2 replaces it and archives it.
    v1 = client.transition_model_version_stage(name, 1, "Production")
    assert v1.current_stage == "Production"
    v2 = client.transition_model_version_stage(name, "2", "production", archive_existing_versions=True)
    assert v2.current_stage == "Production"
    assert client.get_model_version(name, "1").current_stage == "Archived"
    assert [v.version for v in client.get_latest_versions(name, ["Production"])] == ["2"]
    assert {v.current_stage: v.version for v in client.get_latest_versions(name)} == {"Archived": "1", "Production": "2"}
    client.transition_model_version_stage(name, "1", "Staging")

    # Aliases.
    client.set_registered_model_alias(name, "champion", "1")
    client.set_registered_model_alias(name, "challenger", 2)
    assert client.get_model_version_by_alias(name, "champion").version == "1"
    registered = client.get_registered_model(name)
    assert isinstance(registered, RegisteredModel)
    assert registered.aliases == {"champion": "1", "challenger": "2"}
    assert client.get_model_version(name, "2").aliases == ["challenger"]

    # Loading: by alias, stage, version, latest and run URI; predictions match the originals.
    def predicts_like(uri, original):
        return (mlflow.sklearn.load_model(uri).predict(X) == original.predict(X)).all()

    assert predicts_like(f"models:/{name}@champion", model1)
    assert predicts_like(f"models:/{name}@challenger", model2)
    assert predicts_like(f"models:/{name}/Production", model2)
    assert predicts_like(f"models:/{name}/Staging", model1)
    assert predicts_like(f"models:/{name}/1", model1)
    assert predicts_like(f"models:/{name}/2", model2)
    assert predicts_like(f"models:/{name}/latest", model2)
    assert predicts_like(f"runs:/{run1}/model", model1)
    assert (mlflow.load_model(f"models:/{name}@champion").predict(X) == model1.predict(X)).all()

    pyfunc_model = mlflow.pyfunc.load_model(f"models:/{name}@challenger")
    assert (pyfunc_model.predict(X) == model2.predict(X)).all()
    assert pyfunc_model.metadata.run_id == run2
    assert pyfunc_model.metadata.artifact_path == "model"
    assert "sklearn" in pyfunc_model.metadata.flavors
    assert type(pyfunc_model.get_raw_model()).__name__ == "LogisticRegression"

    # Moving the alias changes what the URI loads; deleting it makes the URI an error.
    client.set_registered_model_alias(name, "champion", "2")
    assert predicts_like(f"models:/{name}@champion", model2)
    client.delete_registered_model_alias(name, "champion")
    with pytest.raises(MlflowException) as raised:
        mlflow.sklearn.load_model(f"models:/{name}@champion")
    assert raised.value.error_code == "INVALID_PARAMETER_VALUE"
    with pytest.raises(MlflowException) as raised:
        mlflow.sklearn.load_model(f"models:/{name}/None")
    assert "No versions of model" in str(raised.value) and raised.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    with pytest.raises(MlflowException) as raised:
        mlflow.sklearn.load_model(f"models:/{name}/7")
    assert raised.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    with pytest.raises(MlflowException, match="Not a valid models URI"):
        mlflow.sklearn.load_model("models:/just-a-name")


def test_predict_proba_as_the_pyfunc_predict_function(experiment, data):
    X, _y = data
    model, info, _run = _log(data, 1.0, pyfunc_predict_fn="predict_proba")
    loaded = mlflow.pyfunc.load_model(info.model_uri)
    assert loaded.predict(X).shape == (len(X), 2)
    assert (loaded.predict(X) == model.predict_proba(X)).all()


def test_register_model_tolerates_an_existing_model_and_needs_a_valid_uri(experiment, client, data):
    _model, info, _run = _log(data, 1.0)
    client.create_registered_model("pre-existing", description="made by hand")
    version = mlflow.register_model(info.model_uri, "pre-existing")
    assert version.version == "1"
    assert client.get_registered_model("pre-existing").description == "made by hand"
    with pytest.raises(MlflowException) as raised:
        mlflow.register_model("runs:/" + "0" * 32 + "/model", "pre-existing")
    assert raised.value.error_code == "RESOURCE_DOES_NOT_EXIST"


def test_registry_client_methods(experiment, client, data):
    _model, info, run_id = _log(data, 1.0)
    created = client.create_registered_model("reg-a", tags={"team": "ml"}, description="A")
    assert (created.name, created.tags, created.description, created.latest_versions) == ("reg-a", {"team": "ml"}, "A", [])
    with pytest.raises(MlflowException) as raised:
        client.create_registered_model("reg-a")
    assert raised.value.error_code == "RESOURCE_ALREADY_EXISTS"
    source = client.get_run(run_id).info.artifact_uri + "/model"
    version = client.create_model_version("reg-a", source, run_id=run_id, description="first")
    assert (version.version, version.description, version.source) == ("1", "first", source)
    assert client.get_model_version_download_uri("reg-a", "1") == source
    client.create_registered_model("reg-b")

    client.set_registered_model_tag("reg-a", "owner", "me")
    client.delete_registered_model_tag("reg-a", "team")
    assert client.get_registered_model("reg-a").tags == {"owner": "me"}
    client.set_model_version_tag("reg-a", "1", "validated", "true")
    assert client.get_model_version("reg-a", 1).tags == {"validated": "true"}
    client.delete_model_version_tag("reg-a", "1", "validated")
    assert client.get_model_version("reg-a", 1).tags == {}
    assert client.update_registered_model("reg-a", "new text").description == "new text"
    assert client.update_model_version("reg-a", "1", "v1 text").description == "v1 text"

    assert [m.name for m in client.search_registered_models(filter_string="name LIKE 'reg-%'")] == ["reg-a", "reg-b"]
    page = client.search_registered_models(filter_string="name LIKE 'reg-%'", max_results=1)
    assert [m.name for m in page] == ["reg-a"] and page.token
    assert [m.name for m in client.search_registered_models("name LIKE 'reg-%'", 1, page_token=page.token)] == ["reg-b"]
    assert [(v.name, v.version) for v in client.search_model_versions(f"run_id = '{run_id}'")] == [("reg-a", "1")]
    assert [v.version for v in mlflow.search_model_versions("name = 'reg-a'")] == ["1"]
    assert "reg-b" in [m.name for m in mlflow.search_registered_models()]

    renamed = client.rename_registered_model("reg-a", "reg-renamed")
    assert renamed.name == "reg-renamed"
    assert client.get_model_version("reg-renamed", "1").run_id == run_id
    client.delete_model_version("reg-renamed", "1")
    client.delete_registered_model("reg-renamed")
    with pytest.raises(MlflowException) as raised:
        client.get_registered_model("reg-renamed")
    assert raised.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    assert "reg-renamed" in str(raised.value)


def test_save_model_refuses_a_used_folder_and_unknown_formats(data, tmp_path):
    model = _fit(data, 1.0)
    target = tmp_path / "saved"
    mlflow.sklearn.save_model(model, str(target))
    assert sorted(os.listdir(target)) == ["MLmodel", "model.pkl", "python_env.yaml", "requirements.txt"]
    with pytest.raises(MlflowException, match="already exists"):
        mlflow.sklearn.save_model(model, str(target))
    with pytest.raises(MlflowException, match="serialization format"):
        mlflow.sklearn.save_model(model, str(tmp_path / "other"), serialization_format="joblib")
    with pytest.raises(MlflowException, match="autolog"):
        mlflow.sklearn.autolog()
