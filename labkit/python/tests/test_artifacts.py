"""Artifacts: files, folders, dicts and text through the mlflow-artifacts proxy; listing and download."""

import json
import os

import pytest
import yaml

import labkit as mlflow
from labkit import _yaml
from labkit.entities import FileInfo
from labkit.exceptions import MlflowException


def _tree(root):
    """{relative path: bytes} of every file under ``root``."""
    found = {}
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                found[os.path.relpath(path, root).replace(os.sep, "/")] = f.read()
    return found


@pytest.fixture
def local_files(tmp_path):
    src = tmp_path / "src"
    (src / "plots" / "deep").mkdir(parents=True)
    (src / "report.txt").write_text("accuracy 0.9\n")
    (src / "plots" / "loss.csv").write_text("step,loss\n0,1.0\n")
    (src / "plots" / "deep" / "weights.bin").write_bytes(bytes(range(256)) * 40)
    (src / "name with spaces é.txt").write_text("unicode ✓")
    return src


def test_files_folders_dicts_and_text_land_where_mlflow_puts_them(experiment, client, local_files, tmp_path):
    with mlflow.start_run() as run:
        mlflow.log_artifact(str(local_files / "report.txt"))
        mlflow.log_artifact(local_files / "report.txt", artifact_path="copies/of")
        mlflow.log_artifacts(str(local_files / "plots"), artifact_path="plots")
        mlflow.log_artifact(str(local_files / "name with spaces é.txt"))
        mlflow.log_dict({"alpha": 0.5, "layers": [64, 32]}, "config/params.json")
        mlflow.log_dict({"alpha": 0.5, "layers": [64, 32], "name": "ridge"}, "config/params.yaml")
        mlflow.log_text("# Summary\nall good\n", "summary.md")
    run_id = run.info.run_id

    root = client.list_artifacts(run_id)
    assert [(f.path, f.is_dir) for f in root] == [
        ("config", True),
        ("copies", True),
        ("name with spaces é.txt", False),
        ("plots", True),
        ("report.txt", False),
        ("summary.md", False),
    ]
    assert all(isinstance(f, FileInfo) for f in root)
    assert next(f for f in root if f.path == "report.txt").file_size == len("accuracy 0.9\n")
    assert [f.path for f in client.list_artifacts(run_id, "plots")] == ["plots/deep", "plots/loss.csv"]
    assert [f.path for f in client.list_artifacts(run_id, "plots/deep/")] == ["plots/deep/weights.bin"]
    assert client.list_artifacts(run_id, "no-such-folder") == []

    everything = client.download_artifacts(run_id, "", str(tmp_path / "all"))
    assert everything == str(tmp_path / "all")
    tree = _tree(everything)
    assert tree["report.txt"] == b"accuracy 0.9\n"
    assert tree["copies/of/report.txt"] == b"accuracy 0.9\n"
    assert tree["plots/deep/weights.bin"] == bytes(range(256)) * 40
    assert tree["name with spaces é.txt"].decode("utf-8") == "unicode ✓"
    assert json.loads(tree["config/params.json"]) == {"alpha": 0.5, "layers": [64, 32]}
    assert _yaml.load(tree["config/params.yaml"].decode()) == {"alpha": 0.5, "layers": [64, 32], "name": "ridge"}
    assert tree["summary.md"] == b"# Summary\nall good\n"


def test_download_a_file_or_a_folder(experiment, client, local_files, tmp_path):
    with mlflow.start_run() as run:
        mlflow.log_artifacts(str(local_files))
    run_id = run.info.run_id
    one = client.download_artifacts(run_id, "plots/loss.csv", str(tmp_path / "one"))
    assert one == str(tmp_path / "one" / "plots" / "loss.csv")
    with open(one) as f:
        assert f.read() == "step,loss\n0,1.0\n"
    folder = client.download_artifacts(run_id, "plots")  # into a new temporary folder
    assert os.path.isdir(folder) and sorted(_tree(folder)) == ["deep/weights.bin", "loss.csv"]
    assert mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path="report.txt", dst_path=str(tmp_path / "a")).endswith("report.txt")
    via_uri = mlflow.artifacts.download_artifacts(f"runs:/{run_id}/plots", dst_path=str(tmp_path / "b"))
    assert sorted(_tree(via_uri)) == ["deep/weights.bin", "loss.csv"]
    with pytest.raises(MlflowException) as raised:
        client.download_artifacts(run_id, "missing.txt", str(tmp_path / "missing"))
    assert raised.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    assert not os.path.exists(tmp_path / "missing" / "missing.txt")


def test_a_folder_given_to_log_artifact_keeps_its_name(experiment, client, local_files):
    with mlflow.start_run() as run:
        mlflow.log_artifact(str(local_files / "plots"))
    assert [f.path for f in client.list_artifacts(run.info.run_id)] == ["plots"]
    assert [f.path for f in client.list_artifacts(run.info.run_id, "plots")] == ["plots/deep", "plots/loss.csv"]


def test_missing_local_paths_are_clear_errors(experiment, tmp_path):
    with mlflow.start_run():
        with pytest.raises(MlflowException, match="No such file"):
            mlflow.log_artifact(str(tmp_path / "nope.txt"))
        with pytest.raises(MlflowException, match="Not a folder"):
            mlflow.log_artifacts(str(tmp_path / "nope"))


def test_load_text_and_dict_and_the_artifact_uri(experiment):
    with mlflow.start_run() as run:
        mlflow.log_text("hello", "notes/hello.txt")
        mlflow.log_dict({"a": 1}, "d.json")
        mlflow.log_dict({"b": [1, 2]}, "d.yml")
        assert mlflow.get_artifact_uri() == run.info.artifact_uri
        assert mlflow.get_artifact_uri("d.json") == run.info.artifact_uri + "/d.json"
    run_id = run.info.run_id
    assert mlflow.artifacts.load_text(f"runs:/{run_id}/notes/hello.txt") == "hello"
    assert mlflow.artifacts.load_dict(f"runs:/{run_id}/d.json") == {"a": 1}
    assert mlflow.artifacts.load_dict(f"runs:/{run_id}/d.yml") == {"b": [1, 2]}


def test_artifact_paths_cannot_climb_out_of_the_run(experiment, client):
    with mlflow.start_run() as run:
        with pytest.raises(MlflowException) as raised:
            mlflow.log_text("x", "../../escape.txt")
        assert raised.value.error_code == "INVALID_PARAMETER_VALUE"
        mlflow.log_text("x", "/looks/absolute.txt")  # still relative to the run's root
    assert [f.path for f in client.list_artifacts(run.info.run_id, "looks")] == ["looks/absolute.txt"]


def test_yaml_round_trips_mlmodel_shapes_and_loads_safely():
    data = {
        "artifact_path": "model",
        "flavors": {"python_function": {"env": {"virtualenv": "python_env.yaml"}, "model_path": "model.pkl"}, "sklearn": {"code": None}},
        "list": [1, 2.5, "three", True, None, {"nested": "yes"}],
        "quoted": ["2024-01-01 12:00:00.1", "true", "", "a: b", "# not a comment", "x'y"],
        "empty": {},
    }
    text = _yaml.dump(data)
    assert "artifact_path: model" in text and "code: null" in text
    assert _yaml.load(text) == data
    # An artifact cannot make the loader build Python objects.
    with pytest.raises(yaml.YAMLError):
        _yaml.load("!!python/object/apply:os.system ['true']")