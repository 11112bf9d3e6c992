"""Tests for learner_runs.py, with a temporary workspace and runs folder instead of the sandbox's.
Run with `python3 -m pytest learner_runs_test.py` or plainly with `python3 learner_runs_test.py`
(on any Linux host with Python 3.11 and bash)."""
import contextlib
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import learner_runs as lr  # noqa: E402


@contextlib.contextmanager
def sandbox():
    """A workspace holding train.py, and the (not yet created) folder the runs go to."""
    with tempfile.TemporaryDirectory(prefix="learner-runs-test-") as name:
        workspace = Path(name, "work")
        workspace.mkdir()
        (workspace / "train.py").write_text("print('trained')\n")
        yield workspace, Path(name, "runs")


def run(*runs, timeout=10):
    return {"runs": list(runs), "timeoutSeconds": timeout, "outputBytes": 4096}


def test_a_command_runs_with_bash_in_a_fresh_copy_of_the_workspace():
    with sandbox() as (workspace, base):
        command = "python3 train.py && echo oops >&2 && exit 3"
        (result,) = lr.run_all(run({"command": command, "argv": ["bash", "-c", command]}),
                               str(workspace), str(base))
        assert result["command"] == command
        assert result["dir"] == str(base / "1")
        assert (result["exitCode"], result["timedOut"]) == (3, False)
        assert (result["stdout"], result["stderr"]) == ("trained\n", "oops\n")
        assert sorted(path.name for path in (base / "1").iterdir()) == ["train.py"]


def test_a_python_script_runs_with_its_interpreter_and_leaves_no_file_in_the_run_folder():
    content = "import os, sys\nprint(sorted(os.listdir()))\nprint(sys.path[0] == '')\n"
    with sandbox() as (workspace, base):
        entry = {"command": "python3 checks/list_folder.py", "argv": ["python3", "-c", content]}
        (result,) = lr.run_all(run(entry), str(workspace), str(base))
        assert result["command"] == "python3 checks/list_folder.py"
        assert result["exitCode"] == 0, result["stderr"]
        # The script saw only the workspace's files, and the run folder is first on sys.path,
        # as for `python3 -c` in a command.
        assert result["stdout"] == "['train.py']\nTrue\n"
        assert sorted(path.name for path in (base / "1").iterdir()) == ["train.py"]


def test_a_shell_script_runs_with_bash_and_names_itself_in_its_errors():
    content = "echo \"in $(basename \"$PWD\")\"\nno-such-command-here\n"
    with sandbox() as (workspace, base):
        entry = {"command": "bash checks/probe.sh",
                 "argv": ["bash", "-c", content, "checks/probe.sh"]}
        (result,) = lr.run_all(run(entry), str(workspace), str(base))
        assert result["stdout"] == "in 1\n"
        assert result["stderr"].startswith("checks/probe.sh: line 2: no-such-command-here")
        assert result["exitCode"] == 127


def test_runs_keep_their_order_each_in_its_own_folder():
    with sandbox() as (workspace, base):
        first = {"command": "touch made.txt", "argv": ["bash", "-c", "touch made.txt"]}
        second = {"command": "python3 checks/ls.py",
                  "argv": ["python3", "-c", "import os; print(sorted(os.listdir()))"]}
        results = lr.run_all(run(first, second), str(workspace), str(base))
        assert [r["dir"] for r in results] == [str(base / "1"), str(base / "2")]
        assert results[1]["stdout"] == "['train.py']\n"
        assert not (workspace / "made.txt").exists()


def test_a_script_that_runs_too_long_is_stopped():
    with sandbox() as (workspace, base):
        content = "import time\nprint('start', flush=True)\ntime.sleep(30)\n"
        entry = {"command": "python3 checks/slow.py", "argv": ["python3", "-c", content]}
        (result,) = lr.run_all(run(entry, timeout=1), str(workspace), str(base))
        assert (result["exitCode"], result["timedOut"]) == (None, True)
        assert result["stdout"] == "start\n"


def test_a_run_that_cannot_start_is_recorded_with_an_error():
    with sandbox() as (workspace, base):
        entry = {"command": "python3 checks/nul.py", "argv": ["python3", "-c", "print(1)\0"]}
        (result,) = lr.run_all(run(entry), str(workspace), str(base))
        assert result["exitCode"] is None
        assert result["error"].startswith("could not start python3 checks/nul.py:")


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
