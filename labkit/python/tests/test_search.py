"""search_runs: filters, order_by, MLflow's DataFrame columns, list output and paging."""

import time

import pytest

import labkit as mlflow
from labkit import fluent
from labkit.entities import Run, ViewType
from labkit.exceptions import MlflowException


@pytest.fixture
def three_runs(experiment):
    runs = {}
    for name, alpha, rmse in (("ridge-a", 0.1, 0.9), ("ridge-b", 0.5, 0.4), ("lasso", 1.0, 0.6)):
        with mlflow.start_run(run_name=name) as run:
            mlflow.log_params({"alpha": alpha, "model": name.split("-")[0]})
            mlflow.log_metric("rmse", rmse)
            if name == "lasso":
                mlflow.log_metric("only_lasso", 1.0)
                mlflow.set_tag("note", "sparse")
        runs[name] = run.info.run_id
        time.sleep(0.01)  # distinct start times, so "newest first" is well defined
    return runs


def test_filters_and_order_by(three_runs, experiment):
    found = mlflow.search_runs(filter_string="metrics.rmse < 0.8", order_by=["metrics.rmse ASC"], output_format="list")
    assert [r.info.run_name for r in found] == ["ridge-b", "lasso"]
    found = mlflow.search_runs(filter_string="params.model = 'ridge' and metrics.rmse > 0", output_format="list")
    assert sorted(r.info.run_name for r in found) == ["ridge-a", "ridge-b"]
    found = mlflow.search_runs(filter_string="tags.mlflow.runName LIKE 'ridge%'", order_by=["metrics.rmse DESC"], output_format="list")
    assert [r.info.run_name for r in found] == ["ridge-a", "ridge-b"]
    found = mlflow.search_runs(filter_string="attributes.status = 'FINISHED'", output_format="list")
    assert len(found) == 3 and all(isinstance(r, Run) for r in found)
    # Newest first by default.
    assert [r.info.run_name for r in mlflow.search_runs(output_format="list")] == ["lasso", "ridge-b", "ridge-a"]
    assert [r.info.run_name for r in mlflow.search_runs(experiment_names=[experiment.name, "unknown"], max_results=2, output_format="list")] == [
        "lasso",
        "ridge-b",
    ]


def test_the_dataframe_has_mlflows_columns(three_runs, experiment):
    import pandas as pd

    df = mlflow.search_runs(order_by=["metrics.rmse ASC"])
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns[:6]) == ["run_id", "experiment_id", "status", "artifact_uri", "start_time", "end_time"]
    assert {"metrics.rmse", "metrics.only_lasso", "params.alpha", "params.model", "tags.mlflow.runName", "tags.note"} <= set(df.columns)
    assert list(df["run_id"]) == [three_runs["ridge-b"], three_runs["lasso"], three_runs["ridge-a"]]
    assert list(df["metrics.rmse"]) == [0.4, 0.6, 0.9]
    assert df["metrics.rmse"].dtype == float
    assert df["metrics.only_lasso"].isna().tolist() == [True, False, True]
    assert list(df["params.alpha"]) == ["0.5", "1.0", "0.1"]
    assert df["tags.note"].tolist() == [None, "sparse", None]
    assert set(df["experiment_id"]) == {experiment.experiment_id}
    assert set(df["status"]) == {"FINISHED"}
    assert str(df["start_time"].dt.tz) == "UTC" and (df["end_time"] >= df["start_time"]).all()
    best = df.loc[df["metrics.rmse"].idxmin()]
    assert best["tags.mlflow.runName"] == "ridge-b"


def test_an_empty_result_is_an_empty_dataframe_with_the_info_columns(experiment):
    df = mlflow.search_runs(filter_string="metrics.rmse < 0")
    assert len(df) == 0
    assert list(df.columns) == ["run_id", "experiment_id", "status", "artifact_uri", "start_time", "end_time"]
    assert mlflow.search_runs(experiment_names=["no-such-experiment"], output_format="list") == []


def test_paging_follows_tokens(experiment, client, monkeypatch):
    exp_id = experiment.experiment_id
    run_ids = set()
    for i in range(23):
        run = client.create_run(exp_id, run_name=f"run-{i:02d}", start_time=1_700_000_000_000 + i)
        client.log_metric(run.info.run_id, "i", i)
        run_ids.add(run.info.run_id)

    page = client.search_runs([exp_id], max_results=10, order_by=["metrics.i ASC"])
    assert len(page) == 10 and page.token
    collected = list(page)
    while page.token:
        page = client.search_runs(exp_id, max_results=10, order_by=["metrics.i ASC"], page_token=page.token)
        collected.extend(page)
    assert [r.data.metrics["i"] for r in collected] == [float(i) for i in range(23)]

    monkeypatch.setattr(fluent, "SEARCH_PAGE_SIZE", 7)
    everything = mlflow.search_runs(output_format="list")
    assert {r.info.run_id for r in everything} == run_ids and len(everything) == 23
    assert len(mlflow.search_runs(max_results=12)) == 12
    assert len(mlflow.search_runs(filter_string="metrics.i >= 20", output_format="list")) == 3


def test_deleted_runs_need_the_view_type(experiment, client):
    with mlflow.start_run() as kept:
        pass
    with mlflow.start_run() as gone:
        pass
    client.delete_run(gone.info.run_id)
    ids = lambda view: {r.info.run_id for r in mlflow.search_runs(run_view_type=view, output_format="list")}  # noqa: E731
    assert ids(ViewType.ACTIVE_ONLY) == {kept.info.run_id}
    assert ids(ViewType.DELETED_ONLY) == {gone.info.run_id}
    assert ids(ViewType.ALL) == {kept.info.run_id, gone.info.run_id}


def test_a_malformed_filter_is_a_clear_error(experiment):
    with pytest.raises(MlflowException) as raised:
        mlflow.search_runs(filter_string="metrics.rmse <<< 1")
    assert raised.value.error_code == "INVALID_PARAMETER_VALUE"
    with pytest.raises(MlflowException, match="output format"):
        mlflow.search_runs(output_format="csv")


def test_search_several_experiments(tracking_uri, client):
    a = mlflow.set_experiment("search-a").experiment_id
    with mlflow.start_run():
        mlflow.log_metric("m", 1)
    b = mlflow.set_experiment("search-b").experiment_id
    with mlflow.start_run():
        mlflow.log_metric("m", 2)
    df = mlflow.search_runs(experiment_ids=[a, b], order_by=["metrics.m ASC"])
    assert list(df["experiment_id"]) == [a, b]
    df = mlflow.search_runs(experiment_names=["search-a", "search-b"])
    assert len(df) == 2
    names = {e.name for e in mlflow.search_experiments(filter_string="name LIKE 'search-%'")}
    assert names == {"search-a", "search-b"}
