"""Runs a command with files the runner sends along (the exec API's `files`), run inside the
sandbox as the requested user. Checks do not use it: they run in the grader's clean room
(clean_room.py). The files go to a fresh private folder (mode 0700 under /tmp), the
command runs there with ACADEMY_FILES pointing at it, and the folder is removed afterwards, so a
learner never sees a check's source.

Request on stdin: JSON {"files": {relative path: text}, "cmd": [...]}. The exit status, stdout and
stderr are the command's own.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile

# `timeout` (around this script) sends SIGTERM: turn it into an exit so `finally` cleans up.
signal.signal(signal.SIGTERM, lambda *_: sys.exit(124))

request = json.load(sys.stdin)
folder = tempfile.mkdtemp(prefix="academy-exec-")
try:
    for rel, content in request["files"].items():
        target = os.path.normpath(os.path.join(folder, rel))
        if not target.startswith(folder + os.sep):
            sys.stderr.write(f"refusing file path {rel!r}\n")
            sys.exit(2)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as f:
            f.write(content)
        if rel.endswith((".sh", ".py")):
            os.chmod(target, 0o700)
    env = dict(os.environ, ACADEMY_FILES=folder)
    completed = subprocess.run(request["cmd"], cwd=folder, env=env, stdin=subprocess.DEVNULL)
    code = completed.returncode
finally:
    shutil.rmtree(folder, ignore_errors=True)
sys.exit(code if code >= 0 else 128 - code)
