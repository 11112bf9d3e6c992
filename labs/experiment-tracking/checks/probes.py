"""Step 4's probes: runs the grader adds to late-orders to test tag_best.py on a moving target, made
and removed by grader runs (probe_add.py, probe_demote.py, probe_remove.py) over the tracking
server's REST API, and kept track of by run id in state_dir() (STATE_PROBES). Their names come from
probe_name(), so they differ at every grading; their params and tags are copied from the learner's
own runs, and their scores are drawn from random_seed() relative to the learner's, so nothing
about them can be known before the check runs.

The probes, by role:
- better: finished, with a val_auc above every run of the learner's;
- tie: finished, with exactly the same val_auc as better;
- stale: finished, with a val_auc below every run, and carrying best=true from the start;
- running: not finished (RUNNING), with the highest val_auc of all, which must not count.
After the first tag_best.py, better and tie are made worse than every run of the learner's, so the
second tag_best.py must give the tag back to the learner's best run."""
from __future__ import annotations

import json
import math
import time

from academy_check import probe_name, state_dir
from academy_tracking import TrackingServer
from expectations import BEST_TAG, EXPERIMENT, PRIMARY_METRIC, STATE_PROBES
from logged_runs import GraderRunAbort, LabServer

ROLES = ("better", "tie", "stale", "running")
# The prefixes of the probes' names; probe_name() adds 16 hex digits that change at each grading.
NAME_PREFIXES = {"better": "retrain", "tie": "rerun", "stale": "trial", "running": "candidate"}


def connect() -> TrackingServer:
    return LabServer(GraderRunAbort())


def now_ms() -> int:
    return int(time.time() * 1000)


def load_state() -> dict:
    path = state_dir() / STATE_PROBES
    return json.loads(path.read_text()) if path.exists() else {}


def save_state(state: dict) -> None:
    (state_dir() / STATE_PROBES).write_text(json.dumps(state))


def probe_names() -> dict[str, str]:
    return {role: probe_name(prefix) for role, prefix in NAME_PREFIXES.items()}


def score(run) -> float | None:
    value = run.metrics.get(PRIMARY_METRIC)
    return value if value is not None and math.isfinite(value) else None


def fingerprint(server: TrackingServer, experiment_id: str) -> dict[str, list]:
    """Every active run of the experiment: its status and latest val_auc (as text, NaN included),
    to tell whether anything but tags changed between two grader runs."""
    return {run.run_id: [run.status, repr(run.metrics.get(PRIMARY_METRIC))]
            for run in server.search_runs([experiment_id])}


def best_tags(server: TrackingServer, experiment_id: str) -> dict[str, str]:
    """The value of the best tag on every active run of the experiment that has one."""
    return {run.run_id: run.tags[BEST_TAG] for run in server.search_runs([experiment_id]) if BEST_TAG in run.tags}


def experiment_id(server: TrackingServer) -> str | None:
    found = server.experiment_by_name(EXPERIMENT)
    return found["experiment_id"] if found else None


# -- writes, with MLflow's REST calls (academy_tracking only reads, but for a few calls) -----------

def create_run(server: TrackingServer, experiment: str, name: str) -> str:
    created = server._call("POST", "/api/2.0/mlflow/runs/create",
                           body={"experiment_id": experiment, "run_name": name, "start_time": now_ms()})
    return created["run"]["info"]["run_id"]


def log_batch(server: TrackingServer, run_id: str, metrics: dict[str, float] | None = None,
              params: dict[str, str] | None = None, tags: dict[str, str] | None = None, step: int = 0) -> None:
    """Metrics (at `step`: a later step makes a value the run's latest), params and tags."""
    stamp = now_ms()
    body = {
        "run_id": run_id,
        "metrics": [{"key": key, "value": value, "timestamp": stamp, "step": step}
                    for key, value in (metrics or {}).items()],
        "params": [{"key": key, "value": value} for key, value in (params or {}).items()],
        "tags": [{"key": key, "value": value} for key, value in (tags or {}).items()],
    }
    server._call("POST", "/api/2.0/mlflow/runs/log-batch", body=body)


def finish_run(server: TrackingServer, run_id: str) -> None:
    server._call("POST", "/api/2.0/mlflow/runs/update",
                 body={"run_id": run_id, "status": "FINISHED", "end_time": now_ms()})
