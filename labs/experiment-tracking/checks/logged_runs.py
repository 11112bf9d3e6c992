"""Which runs a learner command logged: the runs that were not on the tracking server before it ran
and that started while it ran.

A grader run takes a snapshot of every run id on the server (deleted runs too) right before the
learner command; while the grading runs, the learner's own processes are paused, so a run that is
new at check time was made by that command. Its start time (which the client sends) must also fall
in the runner-recorded time of the command. Runs logged earlier, from the terminal or by a script,
never count, so pressing Check again is never held against the learner, and nothing logged
beforehand can stand in for a run of this grading."""
from __future__ import annotations

import json
import sys
import time

from academy_check import CLOCK_SLACK_MS, state_dir
from academy_tracking import PAGE_SIZE, TrackingServer
from expectations import EXPERIMENT, STATE_SNAPSHOT


class GraderRunAbort:
    """What TrackingServer reports through in a grader run, which has no Check: a message on
    stderr and a non-zero exit, which the check turns into an error."""

    def error(self, message: str = "") -> None:
        print(f"grader run: {message}", file=sys.stderr)
        raise SystemExit(3)

    fail = error


class LabServer(TrackingServer):
    """The lab's tracking server, with its own message for when it does not answer: in a lab
    sandbox the runner starts the server (and brings it back before every check), and learners
    cannot start services themselves, so the message must not ask them to."""

    def down_message(self) -> str:
        return (
            f"The tracking server did not answer at {self.uri}. The lab starts it again before every "
            "check: wait a few seconds, press Check again, and tell your instructor if it keeps happening."
        )


def all_experiments(server: TrackingServer) -> list[dict]:
    """Every experiment, deleted ones too (a deleted experiment's runs can be restored)."""
    found, token = [], None
    while True:
        body = {"max_results": PAGE_SIZE, "view_type": "ALL"}
        if token:
            body["page_token"] = token
        page = server._call("POST", "/api/2.0/mlflow/experiments/search", body=body)
        found.extend(page.get("experiments", []))
        token = page.get("next_page_token")
        if not token:
            return found


def take_snapshot(server: TrackingServer) -> None:
    """Keeps the id of every run on the server, in state_dir(), for the check."""
    ids = [experiment["experiment_id"] for experiment in all_experiments(server)]
    run_ids = sorted(run.run_id for run in server.search_runs(ids, view="ALL"))
    snapshot = {"run_ids": run_ids, "taken_at_ms": int(time.time() * 1000)}
    (state_dir() / STATE_SNAPSHOT).write_text(json.dumps(snapshot))


def runs_logged_by(check, server: TrackingServer, run, script: str, detail: str):
    """The runs `run` (a learner command) logged to EXPERIMENT, oldest first, and the experiment's
    id. Records the finding as `detail` and fails the check when there is none."""
    try:
        before = set(json.loads((state_dir() / STATE_SNAPSHOT).read_text())["run_ids"])
    except (OSError, ValueError, KeyError):
        print("logged_runs: no snapshot of the runs before the command", file=sys.stderr)
        check.error()
    start = run.started_at_ms - CLOCK_SLACK_MS
    end = run.started_at_ms + run.duration_ms + CLOCK_SLACK_MS

    def new_runs(experiment_id):
        found = [tracked for tracked in server.search_runs([experiment_id]) if tracked.run_id not in before]
        return sorted(found, key=lambda tracked: (tracked.start_time, tracked.run_id))

    experiment = server.experiment_by_name(EXPERIMENT)
    experiment_id = experiment["experiment_id"] if experiment else None
    logged = new_runs(experiment_id) if experiment_id else []
    during = [tracked for tracked in logged if start <= tracked.start_time <= end]
    if during:
        return during, experiment_id
    if logged:
        message = (
            f"{script} made the run {logged[0].label()} in '{EXPERIMENT}', but its start time is not "
            f"within the {run.duration_ms / 1000:.1f} s the command ran: let the tracking client "
            "start the run, and give it no start time of its own."
        )
    else:
        message = (
            f"{script} ran, but no new run reached '{EXPERIMENT}' on the tracking server while it ran: "
            "train inside a run of that experiment and log from within it. Runs logged before the "
            "check started do not count."
        )
        for other in all_experiments(server):
            if other.get("name") == EXPERIMENT or other.get("lifecycle_stage") != "active":
                continue
            if new_runs(other["experiment_id"]):
                message = (
                    f"{script} logged its runs to the experiment '{other.get('name')}', not to "
                    f"'{EXPERIMENT}': choose the experiment by that exact name before the run starts."
                )
                break
    check.detail(detail, False, message)
    check.fail(message)
