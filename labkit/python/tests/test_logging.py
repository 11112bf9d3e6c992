"""Params, metrics and tags, through the fluent API and MlflowClient."""

import math

import pytest

import labkit as mlflow
from labkit.entities import Metric, Param, RunTag
from labkit.exceptions import MlflowException, RestException


def test_params_are_strings_and_write_once(experiment, client):
    with mlflow.start_run() as run:
        assert mlflow.log_param("alpha", 0.5) == 0.5
        mlflow.log_params({"model": "ridge", "max_iter": 100, "fit_intercept": True})
        mlflow.log_param("alpha", 0.5)  # the same value again is fine
        with pytest.raises(MlflowException) as raised:
            mlflow.log_param("alpha", 0.7)
        assert isinstance(raised.value, RestException)
        assert raised.value.error_code == "INVALID_PARAMETER_VALUE"
        assert "alpha" in str(raised.value)
        with pytest.raises(MlflowException) as raised:
            mlflow.log_params({"model": "lasso"})
        assert raised.value.error_code == "INVALID_PARAMETER_VALUE"
    params = client.get_run(run.info.run_id).data.params
    assert params == {"alpha": "0.5", "model": "ridge", "max_iter": "100", "fit_intercept": "True"}


def test_metrics_with_steps_keep_a_history_and_show_the_latest(experiment, client):
    with mlflow.start_run() as run:
        for step, loss in enumerate([0.9, 0.5, 0.3]):
            mlflow.log_metric("loss", loss, step=step)
        mlflow.log_metric("accuracy", 0.8, timestamp=1_700_000_000_000)
        mlflow.log_metrics({"precision": 0.7, "recall": 0.6}, step=5)
    data = client.get_run(run.info.run_id).data
    assert data.metrics == {"loss": 0.3, "accuracy": 0.8, "precision": 0.7, "recall": 0.6}
    history = client.get_metric_history(run.info.run_id, "loss")
    assert [(m.step, m.value) for m in history] == [(0, 0.9), (1, 0.5), (2, 0.3)]
    assert all(isinstance(m, Metric) and m.key == "loss" and m.timestamp > 0 for m in history)
    (accuracy,) = client.get_metric_history(run.info.run_id, "accuracy")
    assert (accuracy.timestamp, accuracy.step) == (1_700_000_000_000, 0)
    assert [m.step for m in client.get_metric_history(run.info.run_id, "recall")] == [5]
    assert client.get_metric_history(run.info.run_id, "never-logged") == []


def test_numpy_numbers_are_metrics_and_strings_are_refused(experiment, client):
    import numpy as np

    with mlflow.start_run() as run:
        mlflow.log_metric("np_float", np.float32(0.25))
        mlflow.log_metric("np_int", np.int64(3))
        with pytest.raises(MlflowException) as raised:
            mlflow.log_metric("text", "0.5")
        assert raised.value.error_code == "INVALID_PARAMETER_VALUE"
        assert "valid double" in str(raised.value)
    assert client.get_run(run.info.run_id).data.metrics == {"np_float": 0.25, "np_int": 3.0}


def test_nan_and_infinities_survive_the_round_trip(experiment, client):
    with mlflow.start_run() as run:
        mlflow.log_metric("nan", float("nan"))
        mlflow.log_metrics({"inf": float("inf"), "neg_inf": float("-inf")})
        client.log_batch(run.info.run_id, metrics=[Metric("batch_nan", float("nan"), 1_700_000_000_000, 2)])
    metrics = client.get_run(run.info.run_id).data.metrics
    assert math.isnan(metrics["nan"]) and math.isnan(metrics["batch_nan"])
    assert metrics["inf"] == math.inf and metrics["neg_inf"] == -math.inf
    (history,) = client.get_metric_history(run.info.run_id, "nan")
    assert math.isnan(history.value)
    (found,) = client.search_runs([experiment.experiment_id], "metrics.inf > 1000000")
    assert found.info.run_id == run.info.run_id


def test_tags_overwrite_and_can_be_deleted(experiment, client):
    with mlflow.start_run() as run:
        mlflow.set_tag("stage", "draft")
        mlflow.set_tag("stage", "final")
        mlflow.set_tags({"team": "ml", "priority": 1})
        mlflow.delete_tag("team")
        with pytest.raises(MlflowException) as raised:
            mlflow.delete_tag("no-such-tag")
        assert raised.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    tags = client.get_run(run.info.run_id).data.tags
    assert tags["stage"] == "final" and tags["priority"] == "1" and "team" not in tags


def test_log_batch_splits_big_batches_within_the_server_limits(experiment, client):
    run = client.create_run(experiment.experiment_id)
    run_id = run.info.run_id
    client.log_batch(
        run_id,
        metrics=[Metric("m", float(i), 1_700_000_000_000 + i, i) for i in range(2500)],
        params=[Param(f"p{i}", i) for i in range(150)],
        tags=[RunTag(f"t{i}", i) for i in range(120)],
    )
    data = client.get_run(run_id).data
    assert data.metrics == {"m": 2499.0}
    assert len(data.params) == 150 and data.params["p149"] == "149"
    assert sum(1 for key in data.tags if key.startswith("t")) == 120
    assert len(client.get_metric_history(run_id, "m")) == 2500


def test_logging_to_a_finished_or_deleted_run(experiment, client):
    run = client.create_run(experiment.experiment_id)
    client.set_terminated(run.info.run_id)
    client.log_metric(run.info.run_id, "late", 1.0)  # MLflow allows logging to a finished run
    client.delete_run(run.info.run_id)
    with pytest.raises(MlflowException) as raised:
        client.log_metric(run.info.run_id, "later", 1.0)
    assert raised.value.error_code == "INVALID_PARAMETER_VALUE"


def test_entities_read_like_mlflow(experiment, client):
    with mlflow.start_run(run_name="shape") as run:
        mlflow.log_metric("m", 1.5, step=2)
        mlflow.log_param("p", "x")
    stored = client.get_run(run.info.run_id)
    assert stored.info.run_uuid == stored.info.run_id
    assert stored.info.lifecycle_stage == "active" and stored.info.user_id
    assert stored.to_dictionary()["data"]["metrics"] == {"m": 1.5}
    assert repr(stored).startswith("<Run: data=<RunData: metrics={'m': 1.5}")
    assert mlflow.get_run(run.info.run_id) == stored
