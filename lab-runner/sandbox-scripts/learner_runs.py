"""Runs a step's `runs` as the learner before its check: each command with `bash -c` in a fresh copy
of the workspace, /tmp/academy-runs/<n>, with a time limit. Runs as the learner on purpose: learner
code never runs as the grader, so it cannot tamper with a check or forge its result.

Request on stdin: JSON {"runs": [command, ...], "timeoutSeconds": n, "outputBytes": n}.
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


def run_one(index, command, timeout, limit):
    folder = os.path.join(BASE, str(index))
    result = {"command": command, "dir": folder, "exitCode": None, "timedOut": False,
              "stdout": "", "stderr": "", "startedAtMs": int(time.time() * 1000), "durationMs": 0}
    try:
        shutil.copytree(WORKSPACE, folder, symlinks=True)
    except (OSError, shutil.Error) as error:
        result["error"] = f"could not copy the workspace: {error}"
        return result
    with tempfile.TemporaryFile(dir=BASE) as out, tempfile.TemporaryFile(dir=BASE) as err:
        started = time.monotonic()
        process = subprocess.Popen(["bash", "-c", command], cwd=folder, stdin=subprocess.DEVNULL,
                                   stdout=out, stderr=err, start_new_session=True)
        try:
            result["exitCode"] = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            result["timedOut"] = True
            kill_group(process.pid)
            process.wait()
        # Whatever the command left running in the background goes too.
        kill_group(process.pid)
        result["durationMs"] = int((time.monotonic() - started) * 1000)
        for name, handle in (("stdout", out), ("stderr", err)):
            handle.flush()
            result[name] = tail(f"/proc/self/fd/{handle.fileno()}", limit)
    return result


def main():
    request = json.load(sys.stdin)
    if os.path.islink(BASE) or (os.path.exists(BASE) and not os.path.isdir(BASE)):
        os.unlink(BASE)
    shutil.rmtree(BASE, ignore_errors=True)
    os.makedirs(BASE, mode=0o755)
    os.chmod(BASE, 0o755)  # the grader reads the runs' folders
    results = [run_one(i, command, request["timeoutSeconds"], request.get("outputBytes", 65536))
               for i, command in enumerate(request["runs"], start=1)]
    sys.stdout.write(json.dumps(results))


main()
