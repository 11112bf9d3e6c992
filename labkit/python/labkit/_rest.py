"""HTTP to the tracking server, with the wire conventions of MLflow's own client
(``mlflow/utils/rest_utils.py``):

* GET sends its fields as query parameters (a list becomes repeated keys); POST, PATCH and DELETE
  send a JSON body.
* Doubles that JSON cannot hold travel as the strings ``"NaN"``, ``"Infinity"`` and
  ``"-Infinity"`` (see :func:`encode_double` / :func:`decode_double`).
* Only 429, 5xx answers and connection failures are retried, briefly; any other error answer
  raises :class:`~labkit.exceptions.RestException` at once.

Standard library only (``urllib``), so it works in any Python 3.8+ without extra packages.
"""

import base64
import json
import math
import os
import shutil
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

from labkit.exceptions import MlflowException, RestException, TrackingServerUnavailable

API_PREFIX = "/api/2.0/mlflow"
ARTIFACTS_PREFIX = "/api/2.0/mlflow-artifacts/artifacts"
DEFAULT_TRACKING_URI = "http://127.0.0.1:5000"
USER_AGENT = "labkit-python"

_RETRY_STATUSES = {429, 500, 502, 503, 504}


def _env_number(name, default, kind=float):
    try:
        return kind(os.environ[name])
    except (KeyError, ValueError):
        return default


def _max_retries():
    return _env_number("MLFLOW_HTTP_REQUEST_MAX_RETRIES", 4, int)


def _backoff_factor():
    return _env_number("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", 0.1)


def _timeout():
    return _env_number("MLFLOW_HTTP_REQUEST_TIMEOUT", 120.0)


def encode_double(value):
    """A float as protobuf JSON carries it: NaN and infinities become strings."""
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def decode_double(value):
    """The inverse of :func:`encode_double` (``"NaN"`` → ``float("nan")``, numbers unchanged)."""
    if value is None:
        return None
    return float(value)


def check_tracking_uri(uri):
    """Normalises a tracking URI (no trailing slash) and refuses the kinds labkit cannot talk to."""
    if uri is None:
        raise MlflowException("The tracking URI is not set.", error_code="INVALID_PARAMETER_VALUE")
    uri = str(uri).strip()
    parsed = urllib.parse.urlparse(uri)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise MlflowException(
            f"labkit talks to a tracking server over HTTP, so the tracking URI must look like "
            f"'{DEFAULT_TRACKING_URI}'; got {uri!r}. In a lab sandbox the tracking server is "
            f"{DEFAULT_TRACKING_URI}.",
            error_code="INVALID_PARAMETER_VALUE",
        )
    return uri.rstrip("/")


def _query_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _query_string(fields):
    pairs = []
    for key, value in (fields or {}).items():
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            pairs.extend((key, _query_value(item)) for item in value if item is not None)
        else:
            pairs.append((key, _query_value(value)))
    return urllib.parse.urlencode(pairs)


def _without_nones(value):
    if isinstance(value, dict):
        return {k: _without_nones(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_without_nones(v) for v in value]
    return value


def _is_loopback(host):
    return host in ("127.0.0.1", "localhost", "::1") or (host or "").startswith("127.")


class RestClient:
    """Sends requests to one tracking server. ``host`` is the tracking URI, e.g. ``http://127.0.0.1:5000``."""

    def __init__(self, host):
        self.host = check_tracking_uri(host)
        parsed = urllib.parse.urlparse(self.host)
        handlers = []
        if _is_loopback(parsed.hostname):
            # A proxy from the environment must not intercept the sandbox's own tracking server.
            handlers.append(urllib.request.ProxyHandler({}))
        self._opener = urllib.request.build_opener(*handlers)

    # ── the tracking API ─────────────────────────────────────────────────────────────────────

    def call(self, method, endpoint, fields=None):
        """Calls ``/api/2.0/mlflow/<endpoint>`` and returns the decoded JSON answer (a dict)."""
        url = f"{self.host}{API_PREFIX}/{endpoint}"
        fields = _without_nones(fields or {})
        if method == "GET":
            query = _query_string(fields)
            body = None
            if query:
                url = f"{url}?{query}"
        else:
            try:
                body = json.dumps(fields, allow_nan=False).encode("utf-8")
            except ValueError as error:  # a bare NaN slipped through: a bug in labkit, not the learner's
                raise MlflowException(f"Could not encode the request to {endpoint}: {error}") from error
        with self._send(method, url, body, {"Content-Type": "application/json"}) as response:
            raw = response.read()
        if not raw.strip():
            return {}
        try:
            return json.loads(raw)
        except ValueError as error:
            raise MlflowException(
                f"The tracking server at {self.host} answered {method} {endpoint} with something that "
                f"is not JSON: {raw[:200]!r}"
            ) from error

    # ── the mlflow-artifacts proxy ───────────────────────────────────────────────────────────

    def artifact_url(self, artifact_path, query=None):
        """The proxy URL of a path under the artifact root (each segment percent-encoded)."""
        url = f"{self.host}{ARTIFACTS_PREFIX}"
        if artifact_path:
            url += "/" + urllib.parse.quote(artifact_path.strip("/"), safe="/")
        if query:
            url += "?" + _query_string(query)
        return url

    def put_artifact(self, artifact_path, data=None, local_file=None):
        """Uploads bytes (``data``) or a file (``local_file``) to ``artifact_path`` under the root."""
        url = self.artifact_url(artifact_path)
        headers = {"Content-Type": "application/octet-stream"}
        if local_file is not None:
            headers["Content-Length"] = str(os.path.getsize(local_file))
            body = lambda: open(local_file, "rb")  # noqa: E731 - reopened for each retry
        else:
            body = bytes(data)
        with self._send("PUT", url, body, headers) as response:
            response.read()

    def list_artifacts(self, artifact_path):
        """The proxy listing of a folder: ``[{"path": <basename>, "is_dir", "file_size"?}]``."""
        url = self.artifact_url("", query={"path": artifact_path.strip("/")})
        with self._send("GET", url, None, {}) as response:
            raw = response.read()
        return (json.loads(raw) if raw.strip() else {}).get("files", [])

    def download_artifact(self, artifact_path, local_file):
        """Streams one artifact file to ``local_file``."""
        url = self.artifact_url(artifact_path)
        with self._send("GET", url, None, {}) as response:
            with open(local_file, "wb") as out:
                shutil.copyfileobj(response, out)

    def read_artifact(self, artifact_path):
        """One artifact file's bytes."""
        with self._send("GET", self.artifact_url(artifact_path), None, {}) as response:
            return response.read()

    # ── the transport ────────────────────────────────────────────────────────────────────────

    def _auth_headers(self):
        token = os.environ.get("MLFLOW_TRACKING_TOKEN")
        if token:
            return {"Authorization": f"Bearer {token}"}
        user = os.environ.get("MLFLOW_TRACKING_USERNAME")
        password = os.environ.get("MLFLOW_TRACKING_PASSWORD")
        if user and password:
            encoded = base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")
            return {"Authorization": f"Basic {encoded}"}
        return {}

    def _send(self, method, url, body, headers):
        """Sends one request with retries; returns the open response of a 2xx answer."""
        retries = max(0, _max_retries())
        path = urllib.parse.urlparse(url).path
        attempt = 0
        while True:
            data = body() if callable(body) else body
            request = urllib.request.Request(
                url,
                data=data,
                method=method,
                headers={"User-Agent": USER_AGENT, **self._auth_headers(), **headers},
            )
            try:
                return self._opener.open(request, timeout=_timeout())
            except urllib.error.HTTPError as error:
                raw = error.read()
                error.close()
                if error.code in _RETRY_STATUSES and attempt < retries:
                    pass  # retried below
                else:
                    raise self._error_from_answer(method, path, error.code, raw) from None
            except (urllib.error.URLError, ConnectionError, socket.timeout) as error:
                reason = getattr(error, "reason", error)
                if isinstance(reason, (socket.timeout, TimeoutError)) or isinstance(error, socket.timeout):
                    raise TrackingServerUnavailable(
                        f"The tracking server at {self.host} did not answer {method} {path} within "
                        f"{_timeout():g} s (set MLFLOW_HTTP_REQUEST_TIMEOUT to wait longer)."
                    ) from None
                if attempt >= retries:
                    raise TrackingServerUnavailable(self._unreachable_message(method, path, reason)) from None
            finally:
                if hasattr(data, "close"):
                    data.close()
            time.sleep(min(_backoff_factor() * (2**attempt), 2.0))
            attempt += 1

    def _unreachable_message(self, method, path, reason):
        detail = getattr(reason, "strerror", None) or str(reason)
        return (
            f"The tracking server at {self.host} is not answering ({detail}; {method} {path}). "
            f"In a lab sandbox the platform runs it: try again in a few seconds, and if it stays "
            f"down, stop the lab and resume it (that restarts the lab's services). Elsewhere, start "
            f"one with `labkit services up tracking`, or point labkit at another server with "
            f"MLFLOW_TRACKING_URI or labkit.set_tracking_uri()."
        )

    def _error_from_answer(self, method, path, status, raw):
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        if isinstance(body, dict) and ("error_code" in body or "message" in body):
            return RestException(body, http_status=status)
        text = raw.decode("utf-8", errors="replace")[:500]
        return RestException(
            {
                "message": f"API request to {self.host}{path} ({method}) failed with error code "
                f"{status} != 200. Response body: '{text}'"
            },
            http_status=status,
        )


def artifact_repo_path(artifact_uri):
    """The path under the proxy root of an ``mlflow-artifacts:`` URI, e.g.
    ``mlflow-artifacts:/1/<run_id>/artifacts`` → ``1/<run_id>/artifacts``. Returns ``(host, path)``
    where ``host`` is ``None`` unless the URI names one (``mlflow-artifacts://host:port/…``)."""
    parsed = urllib.parse.urlparse(artifact_uri)
    if parsed.scheme != "mlflow-artifacts":
        return None, None
    return (parsed.netloc or None), parsed.path.strip("/")
