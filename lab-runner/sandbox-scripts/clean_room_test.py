"""Tests for clean_room.py with a temporary room instead of one under the sandbox's /tmp, and a
learner uid that has no processes. Run with `python3 -m pytest clean_room_test.py` or plainly with
`python3 clean_room_test.py` (Linux, Python 3.11, bash)."""
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import clean_room as cr  # noqa: E402

NOBODY_UID = 4242  # no process runs as this user: the learner is quiet


@contextlib.contextmanager
def places():
    with tempfile.TemporaryDirectory(prefix="clean-room-test-") as name:
        yield Path(name, "room"), Path(name, "challenge")


def request(room, challenge, program, files, **changes):
    fields = {"room": str(room), "files": files, "program": program,
              "env": {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "ACADEMY_CHALLENGE": str(challenge),
                      "PYTHONPATH": "/nowhere", "ACADEMY_PROBE_SEED": "ab" * 32},
              "learnerUid": NOBODY_UID, "spared": [], "last": False}
    fields.update(changes)
    return fields


def start(fields, **options):
    """clean_room.py as the runner starts it: isolated Python, the request on stdin."""
    return subprocess.Popen([sys.executable, "-I", "-S", str(HERE / "clean_room.py")], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **options)


def run(fields):
    process = start(fields)
    out, err = process.communicate(json.dumps(fields))
    return process.returncode, out, err


REPORT = """import json, os, sys
import neighbour
print(json.dumps({"path0": sys.path[0], "cwd": os.getcwd(), "isolated": sys.flags.isolated,
                  "no_user_site": sys.flags.no_user_site, "stdin": sys.stdin.read(),
                  "neighbour": neighbour.NAME, "home": os.environ["HOME"], "keys": sorted(os.environ)}))
"""


def test_a_python_program_runs_isolated_with_only_its_files_added_to_the_import_path():
    with places() as (room, challenge):
        code, out, err = run(request(room, challenge, "report.py",
                                     {"report.py": REPORT, "neighbour.py": "NAME = 'beside'\n"}))
        assert code == 0, err
        seen = json.loads(out)
        assert seen["path0"] == seen["cwd"] == str(room / "files")
        assert (seen["isolated"], seen["no_user_site"], seen["stdin"], seen["neighbour"]) == (1, 1, "", "beside")
        assert seen["home"] == str(room / "home")
        assert seen["keys"] == ["ACADEMY_CHALLENGE", "ACADEMY_FILES", "ACADEMY_PROBE_SEED", "ACADEMY_STATE", "HOME",
                                "LANG", "PATH", "PYTHONPATH", "TMPDIR"]


def test_the_room_is_private_the_challenge_readable_and_state_kept_until_the_last_program():
    with places() as (room, challenge):
        write = "import os\nopen(os.environ['ACADEMY_STATE'] + '/kept', 'w').write('1')\n" \
                "open(os.environ['ACADEMY_CHALLENGE'] + '/input.csv', 'w').write('a\\n')\nopen('scratch', 'w')\n"
        assert run(request(room, challenge, "write.py", {"write.py": write}))[0] == 0
        modes = {path: oct(os.stat(path).st_mode & 0o777) for path in
                 (room, room / "files", room / "state", challenge, challenge / "input.csv")}
        assert list(modes.values()) == ["0o700", "0o700", "0o700", "0o755", "0o644"]
        read = "import os\nprint(os.path.exists('scratch'), open(os.environ['ACADEMY_STATE'] + '/kept').read())\n"
        code, out, err = run(request(room, challenge, "read.py", {"read.py": read}, last=True))
        assert (code, out) == (0, "False 1\n"), err
        assert not room.exists() and not challenge.exists()


def test_a_shell_program_runs_without_start_up_files():
    with places() as (room, challenge):
        fields = request(room, challenge, "check.sh", {"check.sh": 'echo "$0 $-"\n'})
        code, out, _ = run(fields)
        assert code == 0 and out == f"{room}/files/check.sh hB\n"


def test_it_refuses_folders_it_did_not_make_and_files_outside_the_room():
    with places() as (room, challenge):
        challenge.mkdir(mode=0o777)
        os.chmod(challenge, 0o777)
        code, _, err = run(request(room, challenge, "x.py", {"x.py": ""}))
        assert code == cr.REFUSED_STATUS and err.startswith("academy-clean-room:") and "mode 755" in err
        os.rmdir(challenge)
        challenge.symlink_to(room)
        assert run(request(room, challenge, "x.py", {"x.py": ""}))[0] == cr.REFUSED_STATUS
        os.unlink(challenge)
        code, _, err = run(request(room, challenge, "x.py", {"../escape.py": ""}))
        assert code == cr.REFUSED_STATUS and "refusing file path" in err
        assert not (room / "escape.py").exists()


def test_it_refuses_while_a_learner_process_runs():
    with places() as (room, challenge):
        # This test's own user has running processes (this one): as the "learner", it never settles.
        fields = request(room, challenge, "x.py", {"x.py": "print('ran')\n"}, learnerUid=os.getuid(), last=True)
        started = time.monotonic()
        code, out, err = run(fields)
        assert (code, out) == (cr.REFUSED_STATUS, "")
        assert "learner processes are running" in err
        assert time.monotonic() - started >= cr.QUIET_WAIT_S
        assert not room.exists()


def test_a_program_stopped_by_timeout_still_leaves_nothing_behind():
    with places() as (room, challenge):
        fields = request(room, challenge, "slow.py", {"slow.py": "import time\ntime.sleep(30)\n"}, last=True)
        process = start(fields, start_new_session=True)
        process.stdin.write(json.dumps(fields))
        process.stdin.close()
        deadline = time.monotonic() + 10
        while not (room / "files" / "slow.py").exists():
            assert time.monotonic() < deadline
            time.sleep(0.01)
        os.killpg(process.pid, signal.SIGTERM)  # what `timeout` does
        assert process.wait(10) == 124
        assert not room.exists() and not challenge.exists()


if __name__ == "__main__":
    tests = [(name, test) for name, test in sorted(globals().items()) if name.startswith("test_")]
    failures = 0
    for name, test in tests:
        try:
            test()
            print(f"ok    {name}")
        except Exception:  # report every failing test, then exit non-zero
            failures += 1
            print(f"FAIL  {name}")
            import traceback

            traceback.print_exc()
    print(f"{len(tests) - failures} passed, {failures} failed")
    sys.exit(1 if failures else 0)
