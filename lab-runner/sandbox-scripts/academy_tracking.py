"""The lab's tracking server as a check sees it: MLflow REST API 2.0 calls over HTTP with the
standard library only. The grader puts this file beside every check, like academy_check.py, for
labs with `services: [tracking]`: `from academy_tracking import TrackingServer`.

Checks talk to the server directly instead of importing the learner-facing `labkit` client, so a
grade depends only on what the server stores. The server runs in the learner's sandbox, as the
learner, at MLFLOW_TRACKING_URI (http://127.0.0.1:5000); when it does not answer, the check fails
with a message saying how to start it again. Anything else unexpected (a 5xx, an answer that is
not JSON) is the lab's problem and becomes an "error".
"""
from __future__ import annotations

import json
import math
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

DEFAULT_URI = "http://127.0.0.1:5000"
TIMEOUT_SECONDS = 10
# Artifacts a check reads whole (JSON) are small; anything bigger is a learner mistake.
ARTIFACT_LIMIT_BYTES = 1024 * 1024
PAGE_SIZE = 1000
ARTIFACTS_SCHEME = "mlflow-artifacts:/"


@dataclass
class TrackedRun:
    """One run as the server returns it, with params, metrics (latest values) and tags as dicts."""

    run_id: str
    name: str
    experiment_id: str
    status: str
    start_time: int
    end_time: int | None
    artifact_uri: str
    lifecycle_stage: str
    params: dict[str, str] = field(default_factory=dict)
    metrics: dict[str, float] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_json(cls, item: dict) -> TrackedRun:
        info, data = item.get("info", {}), item.get("data", {})
        metrics = {}
        for metric in data.get("metrics", []):
            metrics[metric["key"]] = to_float(metric.get("value"))
        return cls(
            run_id=info["run_id"],
            name=info.get("run_name") or "",
            experiment_id=str(info.get("experiment_id", "")),
            status=info.get("status", ""),
            start_time=int(info.get("start_time") or 0),
            end_time=int(info["end_time"]) if info.get("end_time") else None,
            artifact_uri=info.get("artifact_uri", ""),
            lifecycle_stage=info.get("lifecycle_stage", "active"),
            params={p["key"]: p.get("value", "") for p in data.get("params", [])},
            metrics=metrics,
            tags={t["key"]: t.get("value", "") for t in data.get("tags", [])},
        )

    def label(self) -> str:
        """How messages name the run: its name and the start of its id, as the Experiments tab shows."""
        short = self.run_id[:8]
        return f"'{self.name}' ({short})" if self.name else f"({short})"


def to_float(value) -> float:
    """A metric value from the wire: a number, or "NaN", "Infinity", "-Infinity"."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    try:
        return float(str(value).replace("Infinity", "inf"))
    except ValueError:
        return math.nan


class TrackingServer:
    """A few calls of MLflow's REST API. `check` is the academy_check Check to report through."""

    def __init__(self, check, uri: str | None = None):
        self.check = check
        self.uri = (uri or os.environ.get("MLFLOW_TRACKING_URI") or DEFAULT_URI).rstrip("/")
        self._call("GET", "/health", raw=True)

    def down_message(self) -> str:
        return (
            f"The tracking server is not answering at {self.uri}. The platform runs it: press "
            "Check again in a few seconds, and if it stays down, stop the lab and resume it (that "
            "restarts the lab's services)."
        )

    # -- transport ------------------------------------------------------------------------------

    def _call(self, method: str, path: str, query: dict | None = None, body: dict | None = None,
              missing_ok: bool = False, raw: bool = False, limit: int = 16 * 1024 * 1024):
        """One request. Returns the parsed JSON (or bytes when `raw`), or None for a missing
        resource when `missing_ok`. Fails the check when the server does not answer."""
        url = self.uri + path
        if query:
            url += "?" + urllib.parse.urlencode(query, doseq=True)
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                payload = response.read(limit + 1)
        except urllib.error.HTTPError as problem:
            text = problem.read(4096).decode("utf-8", "replace")
            if missing_ok and problem.code in (400, 404):
                return None
            print(f"academy_tracking: {method} {path} gave {problem.code}: {text}", file=sys.stderr)
            self.check.error()
        except (urllib.error.URLError, OSError) as problem:  # refused, reset, timed out
            print(f"academy_tracking: {method} {path}: {problem!r}", file=sys.stderr)
            self.check.error(self.down_message())
        if raw:
            return payload
        try:
            return json.loads(payload)
        except ValueError:
            print(f"academy_tracking: {method} {path} did not answer JSON: {payload[:200]!r}", file=sys.stderr)
            self.check.error()

    # -- experiments and runs -------------------------------------------------------------------

    def experiment_by_name(self, name: str) -> dict | None:
        found = self._call("GET", "/api/2.0/mlflow/experiments/get-by-name",
                           {"experiment_name": name}, missing_ok=True)
        return found.get("experiment") if found else None

    def experiments(self) -> list[dict]:
        """Every active experiment."""
        found, token = [], None
        while True:
            body = {"max_results": PAGE_SIZE, "view_type": "ACTIVE_ONLY"}
            if token:
                body["page_token"] = token
            page = self._call("POST", "/api/2.0/mlflow/experiments/search", body=body)
            found.extend(page.get("experiments", []))
            token = page.get("next_page_token")
            if not token:
                return found

    def search_runs(self, experiment_ids: list[str], filter: str = "", order_by: list[str] | None = None,
                    view: str = "ACTIVE_ONLY") -> list[TrackedRun]:
        """Every run matching `filter`, in `order_by` order (the server's default: newest first)."""
        if not experiment_ids:
            return []
        found, token = [], None
        while True:
            body = {"experiment_ids": experiment_ids, "filter": filter, "run_view_type": view,
                    "max_results": PAGE_SIZE, "order_by": order_by or []}
            if token:
                body["page_token"] = token
            page = self._call("POST", "/api/2.0/mlflow/runs/search", body=body)
            found.extend(TrackedRun.from_json(item) for item in page.get("runs", []))
            token = page.get("next_page_token")
            if not token:
                return found

    def runs_started_since(self, experiment_ids: list[str], since_ms: int) -> list[TrackedRun]:
        """Runs of these experiments that started at or after `since_ms`, oldest first."""
        runs = self.search_runs(experiment_ids, f"attributes.start_time >= {int(since_ms)}")
        return sorted(runs, key=lambda run: (run.start_time, run.run_id))

    def get_run(self, run_id: str) -> TrackedRun | None:
        found = self._call("GET", "/api/2.0/mlflow/runs/get", {"run_id": run_id}, missing_ok=True)
        return TrackedRun.from_json(found["run"]) if found else None

    def delete_run(self, run_id: str) -> None:
        self._call("POST", "/api/2.0/mlflow/runs/delete", body={"run_id": run_id}, missing_ok=True)

    def metric_history(self, run_id: str, key: str) -> list[tuple[int, float]]:
        """Every (step, value) logged for a metric, in the order logged."""
        points, token = [], None
        while True:
            query = {"run_id": run_id, "metric_key": key, "max_results": 25000}
            if token:
                query["page_token"] = token
            page = self._call("GET", "/api/2.0/mlflow/metrics/get-history", query)
            for metric in page.get("metrics", []):
                points.append((int(metric.get("step") or 0), to_float(metric.get("value")),
                               int(metric.get("timestamp") or 0)))
            token = page.get("next_page_token")
            if not token:
                points.sort(key=lambda point: point[2])  # by timestamp, as logged
                return [(step, value) for step, value, _ in points]

    # -- artifacts ------------------------------------------------------------------------------

    def _proxy_path(self, artifact_uri: str, path: str = "") -> str | None:
        """The path under the artifact proxy of a file below an `mlflow-artifacts:/…` URI (not yet
        URL-quoted), or None for a URI of another scheme."""
        if not artifact_uri.startswith(ARTIFACTS_SCHEME):
            return None
        parts = [part for part in artifact_uri[len(ARTIFACTS_SCHEME):].split("/") if part]
        parts += [part for part in path.split("/") if part]
        return "/".join(parts)

    def list_artifacts(self, artifact_uri: str, path: str = "") -> list[dict]:
        """The entries of one folder below an artifact URI: [{"path": name, "is_dir", "file_size"}]."""
        where = self._proxy_path(artifact_uri, path)
        if where is None:
            return []
        found = self._call("GET", "/api/2.0/mlflow-artifacts/artifacts", {"path": where}, missing_ok=True)
        return (found or {}).get("files", [])

    def artifact(self, artifact_uri: str, path: str, limit: int = ARTIFACT_LIMIT_BYTES) -> bytes | None:
        """The bytes of one artifact file, or None when it is missing. A file over `limit` bytes
        comes back cut at limit + 1 bytes, so the caller can tell it is too big."""
        where = self._proxy_path(artifact_uri, path)
        if where is None:
            return None
        quoted = urllib.parse.quote(where, safe="/")
        return self._call("GET", f"/api/2.0/mlflow-artifacts/artifacts/{quoted}", missing_ok=True,
                          raw=True, limit=limit)

    # -- model registry -------------------------------------------------------------------------

    def registered_model(self, name: str) -> dict | None:
        found = self._call("GET", "/api/2.0/mlflow/registered-models/get", {"name": name}, missing_ok=True)
        return found.get("registered_model") if found else None

    def model_versions(self, name: str) -> list[dict]:
        """Every version of a registered model, oldest first."""
        found, token = [], None
        quoted = name.replace("'", "\\'")
        while True:
            query = {"filter": f"name = '{quoted}'", "max_results": 10000}
            if token:
                query["page_token"] = token
            page = self._call("GET", "/api/2.0/mlflow/model-versions/search", query)
            found.extend(page.get("model_versions", []))
            token = page.get("next_page_token")
            if not token:
                return sorted(found, key=lambda version: int(version["version"]))

    def version_by_alias(self, name: str, alias: str) -> dict | None:
        found = self._call("GET", "/api/2.0/mlflow/registered-models/alias", {"name": name, "alias": alias},
                           missing_ok=True)
        return found.get("model_version") if found else None

    def set_alias(self, name: str, alias: str, version: str) -> None:
        self._call("POST", "/api/2.0/mlflow/registered-models/alias",
                   body={"name": name, "alias": alias, "version": str(version)})

    def delete_model_tag(self, name: str, key: str) -> None:
        self._call("DELETE", "/api/2.0/mlflow/registered-models/delete-tag", {"name": name, "key": key},
                   missing_ok=True)

    def download_uri(self, name: str, version: str) -> str | None:
        found = self._call("GET", "/api/2.0/mlflow/model-versions/get-download-uri",
                           {"name": name, "version": str(version)}, missing_ok=True)
        return found.get("artifact_uri") if found else None
