"""Grades one step by hand, for an author debugging a check: the step's runs, then its check, in a
throwaway container of the sandbox image, everything as the learner, with the check's stderr (its
print()s, its traceback) on the terminal (docs/authoring-labs.md, "Run a check by hand"). It uses
the runner's own programs: fresh_run_folder.py for a learner run, clean_room.py for a grader run
and the check. The runner itself grades with them as the learner and the grader, and pauses the
learner's processes around them (lab-runner/grading/grader.ts); this does neither.

Usage: python3 grade_by_hand.py <lab folder> <step id>    (the workspace is /home/learner/work)
"""
import json
import os
import secrets
import subprocess
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = [sys.executable, "-I", "-S"]
OUTPUT_BYTES = 64 * 1024
NOBODY_UID = 4242  # no process runs as this user: the clean room does not wait for the learner
GRADER_PATH = "/opt/labkit/bin:/usr/local/bin:/usr/bin:/bin"


def program_files(lab):
    files = {}
    for folder, _, names in os.walk(os.path.join(lab, "checks")):
        for name in names:
            path = os.path.join(folder, name)
            files[os.path.relpath(path, os.path.join(lab, "checks"))] = open(path, encoding="utf-8").read()
    for helper in ("academy_check.py", "academy_tracking.py"):
        files[helper] = open(os.path.join(HERE, helper), encoding="utf-8").read()
    return files


def record(command, who, folder, done, timed_out, error=None):
    return {"command": command, "as": who, "dir": folder, "exitCode": None if timed_out or error else done.returncode,
            "timedOut": timed_out, "stdout": done.stdout[-OUTPUT_BYTES:] if done else "",
            "stderr": done.stderr[-OUTPUT_BYTES:] if done else "", "startedAtMs": 0, "durationMs": 0,
            **({"error": error} if error else {})}


def main(lab, step_id):
    step = next(s for s in yaml.safe_load(open(os.path.join(lab, "lab.yaml")))["steps"] if s["id"] == step_id)
    timeout = step.get("timeoutSeconds", 60)
    room = f"/tmp/academy-grader-{secrets.token_hex(16)}"
    env = {"ACADEMY_WORKSPACE": "/home/learner/work", "ACADEMY_CHALLENGE": f"/tmp/academy-challenge-{secrets.token_hex(16)}",
           "ACADEMY_PROBE_SEED": secrets.token_hex(32), "PATH": GRADER_PATH, "LANG": "C.UTF-8",
           **{k: v for k, v in os.environ.items() if k == "MLFLOW_TRACKING_URI"}}
    runs = []

    def in_clean_room(program, last, **options):
        files = {**program_files(lab), "runs.json": json.dumps(runs)}
        request = {"room": room, "files": files, "program": program, "env": env, "learnerUid": NOBODY_UID,
                   "spared": [], "last": last}
        return subprocess.run([*PYTHON, os.path.join(HERE, "clean_room.py")], input=json.dumps(request), text=True,
                              timeout=timeout, **options)

    for number, run in enumerate(step.get("runs", []), start=1):
        script = run.get("script") if isinstance(run, dict) else None
        interpreter = "bash" if (script or "").endswith(".sh") else "python3"
        command = f"{interpreter} {script}" if script else run
        if script and run.get("as") == "grader":
            try:
                done = in_clean_room(script.removeprefix("checks/"), False, capture_output=True)
                runs.append(record(command, "grader", f"{room}/files", done, False))
            except subprocess.TimeoutExpired:
                runs.append(record(command, "grader", f"{room}/files", None, True))
            continue
        argv = ["bash", "-c", run] if not script else [interpreter, "-c", open(os.path.join(lab, script)).read()]
        fresh = "1" if not any(r["as"] == "learner" for r in runs) else "0"
        try:
            done = subprocess.run([*PYTHON, os.path.join(HERE, "fresh_run_folder.py"), str(number), fresh, *argv],
                                  capture_output=True, text=True, timeout=timeout, cwd="/tmp", env=dict(os.environ, **{
                                      "ACADEMY_CHALLENGE": env["ACADEMY_CHALLENGE"]}))
            runs.append(record(command, "learner", f"/tmp/academy-runs/{number}", done, False))
        except subprocess.TimeoutExpired:
            runs.append(record(command, "learner", f"/tmp/academy-runs/{number}", None, True))
        print(f"run {number} ({command[:60]}): {runs[-1]['exitCode']}", file=sys.stderr)
    done = in_clean_room(step["check"].removeprefix("checks/"), True, stdout=subprocess.PIPE)
    print(done.stdout, end="")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
