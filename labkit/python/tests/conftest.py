"""Fixtures: a real labkit tracking server per test module (or per test, ``fresh_server``), started
as a subprocess on a free port with its data in pytest's temporary folder.

The command is ``$LABKIT_SERVE serve tracking --port <p> --data <dir>``; ``LABKIT_SERVE`` is a
space-separated prefix, ``labkit`` by default (on PATH in the lab image), e.g.
``LABKIT_SERVE="node /opt/lkb/labkit.mjs"`` for a bundle built on the host.
"""

import os
import shlex
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import pytest

# The package is importable from the image's site path; from a checkout, use ../labkit.
try:
    import labkit  # noqa: F401
except ImportError:  # pragma: no cover
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import labkit  # noqa: F401

from labkit import fluent

START_TIMEOUT_S = 30


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TrackingServer:
    """One ``labkit serve tracking`` process; ``uri`` is where it answers."""

    def __init__(self, root):
        self.root = str(root)
        self.data_dir = os.path.join(self.root, "data")
        self.log_path = os.path.join(self.root, "server.log")
        self.process = None
        self.port = None

    @property
    def uri(self):
        return f"http://127.0.0.1:{self.port}"

    def _command(self):
        prefix = shlex.split(os.environ.get("LABKIT_SERVE") or "labkit")
        return prefix + ["serve", "tracking", "--port", str(self.port), "--data", self.data_dir]

    def _healthy(self):
        try:
            with urllib.request.urlopen(f"{self.uri}/health", timeout=1) as response:
                return response.status == 200 and response.read().strip() == b"OK"
        except OSError:
            return False

    def log(self):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()[-4000:]
        except OSError:
            return "(no log)"

    def start(self):
        os.makedirs(self.data_dir, exist_ok=True)
        for _attempt in range(3):  # another process may take the free port first
            self.port = free_port()
            with open(self.log_path, "ab") as log:
                self.process = subprocess.Popen(
                    self._command(), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=self.root
                )
            deadline = time.time() + START_TIMEOUT_S
            while time.time() < deadline:
                if self._healthy():
                    return self
                if self.process.poll() is not None:
                    break
                time.sleep(0.05)
            self.stop()
            if "EADDRINUSE" not in self.log():
                break
        raise RuntimeError(f"The tracking server did not start ({' '.join(self._command())}). Its log:\n{self.log()}")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A tracking server shared by the tests of one module."""
    srv = TrackingServer(tmp_path_factory.mktemp("tracking")).start()
    yield srv
    srv.stop()


@pytest.fixture
def fresh_server(tmp_path_factory):
    """A tracking server of this test alone (for tests that need an empty store)."""
    srv = TrackingServer(tmp_path_factory.mktemp("tracking-fresh")).start()
    yield srv
    srv.stop()


@pytest.fixture(autouse=True)
def clean_labkit_state(tmp_path, monkeypatch):
    """Each test starts with no active run or experiment, no tracking URI from the environment,
    and the library's own temporary files inside this test's folder."""
    for name in ("MLFLOW_TRACKING_URI", "MLFLOW_EXPERIMENT_NAME", "MLFLOW_EXPERIMENT_ID", "MLFLOW_RUN_ID"):
        monkeypatch.delenv(name, raising=False)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    fluent._reset_state()
    yield
    while fluent.active_run() is not None:  # a failed test may leave runs open
        try:
            fluent.end_run("KILLED")
        except Exception:  # noqa: BLE001 - the server may be gone already
            fluent._active_run_stack.pop()
    fluent._reset_state()


@pytest.fixture
def tracking_uri(server):
    """Points the fluent API at the module's server."""
    fluent.set_tracking_uri(server.uri)
    return server.uri


@pytest.fixture
def client(tracking_uri):
    from labkit import MlflowClient

    return MlflowClient(tracking_uri)


@pytest.fixture
def experiment(tracking_uri, request):
    """An active experiment of this test's own (so tests sharing a server do not see each other's runs)."""
    return fluent.set_experiment(f"{request.module.__name__}.{request.node.name}")
