"""The fluent API's runs and experiments: start_run as a context manager, nesting, failures,
resuming, the active experiment and the tracking URI."""

import pytest

import labkit
import labkit as mlflow
from labkit import MlflowClient
from labkit.exceptions import MlflowException


def test_a_with_block_makes_a_finished_run_with_its_name_and_tags(experiment, client):
    with mlflow.start_run(run_name="baseline", tags={"team": "ml"}, description="first try") as run:
        assert mlflow.active_run().info.run_id == run.info.run_id
        assert run.info.status == "RUNNING"
        assert run.info.experiment_id == experiment.experiment_id
        assert run.info.artifact_uri == f"mlflow-artifacts:/{experiment.experiment_id}/{run.info.run_id}/artifacts"
    assert mlflow.active_run() is None
    stored = client.get_run(run.info.run_id)
    assert stored.info.status == "FINISHED"
    assert stored.info.end_time is not None and stored.info.end_time >= stored.info.start_time
    assert stored.info.run_name == "baseline"
    assert stored.data.tags["mlflow.runName"] == "baseline"
    assert stored.data.tags["team"] == "ml"
    assert stored.data.tags["mlflow.note.content"] == "first try"
    assert stored.data.tags["mlflow.source.type"] == "LOCAL"
    assert mlflow.last_active_run().info.run_id == run.info.run_id


def test_a_run_logged_by_a_pipeline_stage_is_tagged_with_the_stage_and_its_lock_hash(experiment, client, monkeypatch):
    monkeypatch.setenv("LABKIT_PIPELINE_STAGE", "sub/dvc.yaml:train@us")
    monkeypatch.setenv("LABKIT_PIPELINE_LOCK_HASH", "ab" * 32)
    with mlflow.start_run(tags={"team": "ml"}) as run:
        mlflow.log_metric("auc", 0.9)
    tags = client.get_run(run.info.run_id).data.tags
    assert tags["labkit.pipeline.stage"] == "sub/dvc.yaml:train@us"
    assert tags["labkit.pipeline.lock_hash"] == "ab" * 32
    assert tags["team"] == "ml"
    # Logging without a with block starts a run too, and it is tagged the same way.
    mlflow.log_param("alpha", 0.5)
    implicit = mlflow.active_run().info.run_id
    mlflow.end_run()
    assert client.get_run(implicit).data.tags["labkit.pipeline.stage"] == "sub/dvc.yaml:train@us"


def test_a_run_outside_a_pipeline_gets_no_pipeline_tags(experiment, client, monkeypatch):
    monkeypatch.delenv("LABKIT_PIPELINE_STAGE", raising=False)
    monkeypatch.setenv("LABKIT_PIPELINE_LOCK_HASH", "")
    with mlflow.start_run() as run:
        pass
    tags = client.get_run(run.info.run_id).data.tags
    assert not any(key.startswith("labkit.pipeline.") for key in tags)


def test_an_exception_in_the_block_marks_the_run_failed_and_propagates(experiment, client):
    with pytest.raises(ZeroDivisionError):
        with mlflow.start_run() as run:
            mlflow.log_metric("before", 1)
            1 / 0
    assert mlflow.active_run() is None
    stored = client.get_run(run.info.run_id)
    assert stored.info.status == "FAILED"
    assert stored.data.metrics == {"before": 1.0}


def test_nested_runs_carry_the_parent_id_and_end_innermost_first(experiment, client):
    with mlflow.start_run(run_name="parent") as parent:
        with mlflow.start_run(run_name="child", nested=True) as child:
            assert mlflow.active_run().info.run_id == child.info.run_id
            with mlflow.start_run(nested=True) as grandchild:
                pass
            assert mlflow.active_run().info.run_id == child.info.run_id
        assert mlflow.active_run().info.run_id == parent.info.run_id
    assert client.get_run(child.info.run_id).data.tags["mlflow.parentRunId"] == parent.info.run_id
    assert client.get_run(grandchild.info.run_id).data.tags["mlflow.parentRunId"] == child.info.run_id
    assert "mlflow.parentRunId" not in client.get_run(parent.info.run_id).data.tags
    for run in (parent, child, grandchild):
        assert client.get_run(run.info.run_id).info.status == "FINISHED"
    assert mlflow.get_parent_run(child.info.run_id).info.run_id == parent.info.run_id


def test_a_second_run_without_nested_is_refused_with_a_clear_message(experiment, client):
    with mlflow.start_run() as run:
        with pytest.raises(Exception) as raised:
            mlflow.start_run()
        message = str(raised.value)
        assert run.info.run_id in message and "already active" in message and "nested=True" in message
        assert mlflow.active_run().info.run_id == run.info.run_id
    assert client.get_run(run.info.run_id).info.status == "FINISHED"


def test_an_inner_failure_fails_both_runs_when_it_escapes(experiment, client):
    with pytest.raises(ValueError):
        with mlflow.start_run() as outer:
            with mlflow.start_run(nested=True) as inner:
                raise ValueError("bad data")
    assert client.get_run(inner.info.run_id).info.status == "FAILED"
    assert client.get_run(outer.info.run_id).info.status == "FAILED"


def test_end_run_inside_the_block_and_explicit_statuses(experiment, client):
    with mlflow.start_run() as run:
        mlflow.end_run(status="KILLED")
        assert mlflow.active_run() is None
    assert client.get_run(run.info.run_id).info.status == "KILLED"
    mlflow.end_run()  # nothing active: no error

    run = mlflow.start_run()
    mlflow.end_run()
    assert client.get_run(run.info.run_id).info.status == "FINISHED"


def test_logging_without_a_run_starts_one_in_the_active_experiment(experiment, client):
    mlflow.log_param("alpha", 0.5)
    run = mlflow.active_run()
    assert run is not None and run.info.experiment_id == experiment.experiment_id
    mlflow.end_run()
    assert client.get_run(run.info.run_id).data.params == {"alpha": "0.5"}


def test_start_run_resumes_an_existing_run(experiment, client):
    with mlflow.start_run() as first:
        mlflow.log_metric("m", 1, step=0)
    with mlflow.start_run(run_id=first.info.run_id, tags={"resumed": "yes"}) as again:
        assert again.info.run_id == first.info.run_id
        assert again.info.status == "RUNNING"
        mlflow.log_metric("m", 2, step=1)
    stored = client.get_run(first.info.run_id)
    assert stored.info.status == "FINISHED"
    assert stored.data.tags["resumed"] == "yes"
    assert [m.value for m in client.get_metric_history(first.info.run_id, "m")] == [1.0, 2.0]


def test_runs_go_to_an_explicit_experiment_id(experiment, client):
    other = client.create_experiment(experiment.name + "-other")
    with mlflow.start_run(experiment_id=other) as run:
        pass
    assert client.get_run(run.info.run_id).info.experiment_id == other


def test_without_set_experiment_runs_go_to_the_default_experiment(tracking_uri, client):
    with mlflow.start_run() as run:
        pass
    assert run.info.experiment_id == "0"


def test_the_experiment_named_in_the_environment_is_used(tracking_uri, client, monkeypatch):
    monkeypatch.setenv("MLFLOW_EXPERIMENT_NAME", "from-the-environment")
    with mlflow.start_run() as run:
        pass
    assert client.get_experiment(run.info.experiment_id).name == "from-the-environment"


def test_set_experiment_creates_then_finds_and_refuses_bad_arguments(tracking_uri, client):
    created = mlflow.set_experiment("fluent-experiments")
    assert created.name == "fluent-experiments" and created.lifecycle_stage == "active"
    assert mlflow.set_experiment("fluent-experiments").experiment_id == created.experiment_id
    assert mlflow.set_experiment(experiment_id=created.experiment_id).name == "fluent-experiments"
    assert mlflow.set_experiment(name="fluent-experiments").experiment_id == created.experiment_id
    assert mlflow.get_experiment_by_name("fluent-experiments").experiment_id == created.experiment_id
    assert mlflow.get_experiment_by_name("no-such-experiment") is None
    with pytest.raises(MlflowException, match="exactly one"):
        mlflow.set_experiment()
    with pytest.raises(MlflowException, match="exactly one"):
        mlflow.set_experiment("a", experiment_id="1")
    with pytest.raises(MlflowException) as raised:
        mlflow.set_experiment(experiment_id="987654")
    assert raised.value.error_code == "RESOURCE_DOES_NOT_EXIST"


def test_a_deleted_experiment_cannot_be_made_active(tracking_uri, client):
    exp_id = client.create_experiment("to-delete")
    client.delete_experiment(exp_id)
    with pytest.raises(MlflowException, match="deleted experiment 'to-delete'"):
        mlflow.set_experiment("to-delete")
    client.restore_experiment(exp_id)
    assert mlflow.set_experiment("to-delete").experiment_id == exp_id


def test_the_tracking_uri_comes_from_set_then_the_environment_then_the_default(monkeypatch):
    assert mlflow.get_tracking_uri() == "http://127.0.0.1:5000"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "http://tracking.example:5001")
    assert mlflow.get_tracking_uri() == "http://tracking.example:5001"
    assert MlflowClient().tracking_uri == "http://tracking.example:5001"
    mlflow.set_tracking_uri("http://127.0.0.1:5999/")
    assert mlflow.get_tracking_uri() == "http://127.0.0.1:5999"
    assert labkit.tracking.MlflowClient is MlflowClient
    with pytest.raises(MlflowException, match="over HTTP"):
        mlflow.set_tracking_uri("./mlruns")


def test_client_runs_lifecycle(tracking_uri, client):
    exp_id = client.create_experiment("client-runs", tags={"owner": "me"})
    assert client.get_experiment(exp_id).tags == {"owner": "me"}
    with pytest.raises(MlflowException) as raised:
        client.create_experiment("client-runs")
    assert raised.value.error_code == "RESOURCE_ALREADY_EXISTS"
    run = client.create_run(exp_id, run_name="manual", tags={"k": "v"})
    assert run.info.status == "RUNNING" and run.info.run_name == "manual"
    client.set_terminated(run.info.run_id, "FAILED")
    assert client.get_run(run.info.run_id).info.status == "FAILED"
    client.delete_run(run.info.run_id)
    assert client.get_run(run.info.run_id).info.lifecycle_stage == "deleted"
    client.restore_run(run.info.run_id)
    assert client.get_run(run.info.run_id).info.lifecycle_stage == "active"
    names = [e.name for e in client.search_experiments(filter_string="name = 'client-runs'")]
    assert names == ["client-runs"]
