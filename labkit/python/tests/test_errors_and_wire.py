"""Errors (server answers, a server that is down) and the wire format, the latter checked against a
small stub server that records each request."""

import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import labkit as mlflow
from labkit import MlflowClient
from labkit.entities import Metric
from labkit.exceptions import MlflowException, RestException, TrackingServerUnavailable

from conftest import free_port


# ── against the real server ──────────────────────────────────────────────────────────────────


def test_an_unknown_run_is_resource_does_not_exist(client):
    with pytest.raises(MlflowException) as raised:
        client.get_run("f" * 32)
    error = raised.value
    assert isinstance(error, RestException)
    assert error.error_code == "RESOURCE_DOES_NOT_EXIST"
    assert error.get_http_status_code() == 404
    assert "f" * 32 in error.server_message
    assert str(error).startswith("RESOURCE_DOES_NOT_EXIST: ")
    with pytest.raises(MlflowException) as raised:
        client.get_experiment("424242")
    assert raised.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    with pytest.raises(MlflowException) as raised:
        mlflow.start_run(run_id="e" * 32)
    assert raised.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    assert mlflow.active_run() is None


def test_a_server_that_is_down_gives_a_clear_message_quickly(monkeypatch):
    uri = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    mlflow.set_tracking_uri(uri)
    started = time.time()
    with pytest.raises(MlflowException) as raised:
        mlflow.set_experiment("anything")
    elapsed = time.time() - started
    error = raised.value
    assert isinstance(error, TrackingServerUnavailable)
    assert f"The tracking server at {uri} is not answering" in str(error)
    assert "the platform runs it" in str(error)
    assert "labkit services up tracking" in str(error)  # outside a sandbox
    assert elapsed < 10
    with pytest.raises(TrackingServerUnavailable):
        mlflow.start_run()
    assert mlflow.active_run() is None


def test_the_server_restarting_keeps_the_data(fresh_server):
    mlflow.set_tracking_uri(fresh_server.uri)
    mlflow.set_experiment("durable")
    with mlflow.start_run() as run:
        mlflow.log_metric("m", 1.0)
    fresh_server.stop()
    with pytest.raises(TrackingServerUnavailable):
        mlflow.get_run(run.info.run_id)
    fresh_server.start()  # a new port, the same data folder
    mlflow.set_tracking_uri(fresh_server.uri)
    assert mlflow.get_run(run.info.run_id).data.metrics == {"m": 1.0}


# ── against a stub that records requests ─────────────────────────────────────────────────────


class Stub:
    """An HTTP server answering from a script: {(method, path): [(status, body), ...]} (the last
    answer repeats), recording (method, path, query, body) of each request."""

    def __init__(self):
        self.answers = {}
        self.requests = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self):
                parsed = urllib.parse.urlparse(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                stub.requests.append((self.command, parsed.path, urllib.parse.parse_qs(parsed.query), raw, dict(self.headers)))
                queue = stub.answers.get((self.command, parsed.path)) or [(200, {})]
                status, body = queue.pop(0) if len(queue) > 1 else queue[0]
                payload = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.uri = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def json_body(self, index=-1):
        return json.loads(self.requests[index][3])

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def stub():
    server = Stub()
    yield server
    server.close()


API = "/api/2.0/mlflow"


def test_get_fields_go_in_the_query_with_lists_as_repeated_keys(stub):
    client = MlflowClient(stub.uri)
    stub.answers[("GET", f"{API}/registered-models/search")] = [(200, {"registered_models": [{"name": "m", "aliases": [{"alias": "a", "version": "3"}]}]})]
    models = client.search_registered_models("name LIKE 'm%'", max_results=5, order_by=["name ASC", "creation_timestamp DESC"])
    assert models[0].aliases == {"a": "3"} and models.token is None
    method, path, query, body, _headers = stub.requests[-1]
    assert (method, path, body) == ("GET", f"{API}/registered-models/search", b"")
    assert query == {"filter": ["name LIKE 'm%'"], "max_results": ["5"], "order_by": ["name ASC", "creation_timestamp DESC"]}

    stub.answers[("GET", f"{API}/metrics/get-history")] = [
        (200, {"metrics": [{"key": "m", "value": "NaN", "timestamp": 1, "step": 0}], "next_page_token": "t1"}),
        (200, {"metrics": [{"key": "m", "value": "-Infinity", "timestamp": "2", "step": "1"}]}),
    ]
    history = client.get_metric_history("r1", "m")
    assert str(history[0].value) == "nan" and history[1].value == float("-inf") and history[1].timestamp == 2
    assert stub.requests[-1][2]["page_token"] == ["t1"] and stub.requests[-1][2]["metric_key"] == ["m"]


def test_post_bodies_are_json_with_nan_and_infinities_as_strings(stub):
    client = MlflowClient(stub.uri)
    client.log_metric("r1", "loss", float("nan"), timestamp=5, step=2)
    assert stub.requests[-1][4]["Content-Type"] == "application/json"
    assert stub.json_body() == {"run_id": "r1", "run_uuid": "r1", "key": "loss", "value": "NaN", "timestamp": 5, "step": 2}
    client.log_batch("r1", metrics=[Metric("a", float("inf"), 1, 0), Metric("b", -float("inf"), 1, 0), Metric("c", 0.5, 1, 0)])
    assert [m["value"] for m in stub.json_body()["metrics"]] == ["Infinity", "-Infinity", 0.5]
    client.search_runs("7", "metrics.a > 1", max_results=3)
    assert stub.requests[-1][:2] == ("POST", f"{API}/runs/search")
    assert stub.json_body() == {"experiment_ids": ["7"], "filter": "metrics.a > 1", "run_view_type": "ACTIVE_ONLY", "max_results": 3, "order_by": []}
    client.delete_registered_model_alias("m", "champion")
    method, path, _q, _raw, _h = stub.requests[-1]
    assert (method, path) == ("DELETE", f"{API}/registered-models/alias")
    assert stub.json_body() == {"name": "m", "alias": "champion"}
    stub.answers[("POST", f"{API}/model-versions/transition-stage")] = [(200, {"model_version": {"name": "m", "version": "3", "current_stage": "Staging"}})]
    assert client.transition_model_version_stage("m", 3, "Staging", archive_existing_versions=True).current_stage == "Staging"
    assert stub.json_body() == {"name": "m", "version": "3", "stage": "Staging", "archive_existing_versions": True}


def test_artifacts_use_the_proxy_with_encoded_paths(stub, tmp_path):
    client = MlflowClient(stub.uri)
    run = {"info": {"run_id": "r1", "experiment_id": "4", "artifact_uri": "mlflow-artifacts:/4/r1/artifacts"}}
    stub.answers[("GET", f"{API}/runs/get")] = [(200, {"run": run})]
    local = tmp_path / "a b#1.txt"
    local.write_bytes(b"\x00\x01payload")
    client.log_artifact("r1", str(local), artifact_path="dir")
    method, path, _q, raw, headers = stub.requests[-1]
    assert (method, path, raw) == ("PUT", "/api/2.0/mlflow-artifacts/artifacts/4/r1/artifacts/dir/a%20b%231.txt", b"\x00\x01payload")
    assert headers["Content-Type"] == "application/octet-stream"
    stub.answers[("GET", "/api/2.0/mlflow-artifacts/artifacts")] = [(200, {"files": [{"path": "x.txt", "is_dir": False, "file_size": "3"}]})]
    listed = client.list_artifacts("r1", "dir")
    assert [(f.path, f.is_dir, f.file_size) for f in listed] == [("dir/x.txt", False, 3)]
    assert stub.requests[-1][2] == {"path": ["4/r1/artifacts/dir"]}


def test_only_429_and_5xx_are_retried(stub, monkeypatch):
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", "0.01")
    client = MlflowClient(stub.uri)
    stub.answers[("GET", f"{API}/experiments/get")] = [
        (503, b"busy"),
        (429, {"error_code": "REQUEST_LIMIT_EXCEEDED", "message": "slow down"}),
        (200, {"experiment": {"experiment_id": "1", "name": "e"}}),
    ]
    assert client.get_experiment("1").name == "e"
    assert len(stub.requests) == 3

    stub.requests.clear()
    stub.answers[("POST", f"{API}/runs/log-parameter")] = [(400, {"error_code": "INVALID_PARAMETER_VALUE", "message": "Changing param values is not allowed."})]
    with pytest.raises(RestException) as raised:
        client.log_param("r1", "p", 1)
    assert len(stub.requests) == 1
    assert raised.value.error_code == "INVALID_PARAMETER_VALUE"
    assert raised.value.server_message == "Changing param values is not allowed."

    stub.requests.clear()
    stub.answers[("POST", f"{API}/runs/update")] = [(500, {"error_code": "INTERNAL_ERROR", "message": "boom"})]
    with pytest.raises(RestException) as raised:
        client.set_terminated("r1")
    assert raised.value.error_code == "INTERNAL_ERROR"
    assert len(stub.requests) == 5  # the first try and 4 retries

    stub.requests.clear()
    stub.answers[("GET", f"{API}/runs/get")] = [(404, b"<html>not json</html>")]
    with pytest.raises(RestException) as raised:
        client.get_run("r1")
    assert raised.value.error_code == "ENDPOINT_NOT_FOUND" and "404" in str(raised.value)
    assert len(stub.requests) == 1


def test_tracking_credentials_from_the_environment(stub, monkeypatch):
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", "secret-token")
    stub.answers[("GET", f"{API}/experiments/get-by-name")] = [(404, {"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "no"})]
    assert MlflowClient(stub.uri).get_experiment_by_name("x") is None
    assert stub.requests[-1][4]["Authorization"] == "Bearer secret-token"
    assert stub.requests[-1][2] == {"experiment_name": ["x"]}
