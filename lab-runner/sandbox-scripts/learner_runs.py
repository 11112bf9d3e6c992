"""Runs a step's `runs` as the learner before its check: each in a fresh copy of the workspace,
/tmp/academy-runs/<n>, with a time limit. Runs as the learner on purpose: learner code never runs
as the grader, so it cannot tamper with a check or forge its result.

Request on stdin (built by lab-runner/grading/grader.ts): JSON
{"runs": [{"command", "argv"}, ...], "timeoutSeconds": n, "outputBytes": n}. `argv` is what runs:
["bash", "-c", command] for a command, [interpreter, "-c", content, ...] for a script of the lab's
checks/ (its content travels in the request, so the script is never a file in the run's folder).
`command` is only recorded: the command as written, or `python3 checks/<file>.py` for a script.
Reply on stdout: one JSON list, an object per run:
{"command", "dir", "exitCode" (null when stopped), "timedOut", "stdout", "stderr", "startedAtMs",
 "durationMs", "error" (only when the run could not start)}; stdout and stderr keep their last
`outputBytes` bytes.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

WORKSPACE = "/home/learner/work"
BASE = "/tmp/academy-runs"


def tail(path, limit):
    with open(path, "rb") as f:
        f.seek(0, os.SEEK_END)
        size = f.tell()
        f.seek(max(0, size - limit))
        return f.read().decode("utf-8", "replace")


def kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def run_one(index, run, timeout, limit, workspace, base):
    folder = os.path.join(base, str(index))
    result = {"command": run["command"], "dir": folder, "exitCode": None, "timedOut": False,
              "stdout": "", "stderr": "", "startedAtMs": int(time.time() * 1000), "durationMs": 0}
    try:
        shutil.copytree(workspace, folder, symlinks=True)
    except (OSError, shutil.Error) as error:
        result["error"] = f"could not copy the workspace: {error}"
        return result
    with tempfile.TemporaryFile(dir=base) as out, tempfile.TemporaryFile(dir=base) as err:
        started = time.monotonic()
        try:
            process = subprocess.Popen(run["argv"], cwd=folder, stdin=subprocess.DEVNULL,
                                       stdout=out, stderr=err, start_new_session=True)
        except (OSError, ValueError) as error:  # e.g. an argument too long, or holding a NUL
            result["error"] = f"could not start {run['command']}: {error}"
            return result
        try:
            result["exitCode"] = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            result["timedOut"] = True
            kill_group(process.pid)
            process.wait()
        # Whatever the run left running in the background goes too.
        kill_group(process.pid)
        result["durationMs"] = int((time.monotonic() - started) * 1000)
        for name, handle in (("stdout", out), ("stderr", err)):
            handle.flush()
            result[name] = tail(f"/proc/self/fd/{handle.fileno()}", limit)
    return result


def run_all(request, workspace=WORKSPACE, base=BASE):
    """Empties `base`, then runs each run of the request in `base`/<n>; the results, in order."""
    if os.path.islink(base) or (os.path.exists(base) and not os.path.isdir(base)):
        os.unlink(base)
    shutil.rmtree(base, ignore_errors=True)
    os.makedirs(base, mode=0o755)
    os.chmod(base, 0o755)  # the grader reads the runs' folders
    limit = request.get("outputBytes", 65536)
    return [run_one(index, run, request["timeoutSeconds"], limit, workspace, base)
            for index, run in enumerate(request["runs"], start=1)]


if __name__ == "__main__":
    sys.stdout.write(json.dumps(run_all(json.load(sys.stdin))))
