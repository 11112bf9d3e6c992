"""Tests for fresh_run_folder.py, with a temporary workspace and runs folder instead of the
sandbox's. Run with `python3 -m pytest fresh_run_folder_test.py` or plainly with
`python3 fresh_run_folder_test.py` (on any Linux host with Python 3.11)."""
import contextlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import fresh_run_folder as frf  # noqa: E402


@contextlib.contextmanager
def sandbox():
    """A workspace holding train.py (30 s old) and a link, and the runs folder (not yet made)."""
    with tempfile.TemporaryDirectory(prefix="fresh-run-folder-test-") as name:
        workspace = Path(name, "work")
        workspace.mkdir()
        (workspace / "train.py").write_text("print('trained')\n")
        old = (workspace / "train.py").stat().st_mtime - 30
        os.utime(workspace / "train.py", (old, old))
        (workspace / "link").symlink_to("/etc/hostname")
        yield workspace, Path(name, "runs")


def run_main(workspace, base, *args):
    """main() in a child process, as the runner starts it, with the test's folders."""
    code = (f"import sys; sys.path.insert(0, {str(HERE)!r}); import fresh_run_folder as f; "
            f"f.WORKSPACE, f.BASE = {str(workspace)!r}, {str(base)!r}; f.main(sys.argv[1:])")
    return subprocess.run([sys.executable, "-I", "-S", "-c", code, *args], capture_output=True, text=True)


def test_a_fresh_copy_keeps_file_times_and_links_without_following_them():
    with sandbox() as (workspace, base):
        folder = Path(frf.prepare(1, True, str(workspace), str(base)))
        assert folder == base / "1"
        assert sorted(p.name for p in folder.iterdir()) == ["link", "train.py"]
        assert (folder / "link").is_symlink() and os.readlink(folder / "link") == "/etc/hostname"
        assert (folder / "train.py").stat().st_mtime == (workspace / "train.py").stat().st_mtime
        assert oct(base.stat().st_mode & 0o777) == "0o755"


def test_a_fresh_grading_empties_the_runs_folder_and_a_later_run_keeps_the_earlier_ones():
    with sandbox() as (workspace, base):
        frf.prepare(1, True, str(workspace), str(base))
        (base / "1" / "made.txt").write_text("by run 1")
        frf.prepare(2, False, str(workspace), str(base))
        assert (base / "1" / "made.txt").exists()
        frf.prepare(1, True, str(workspace), str(base))
        assert sorted(p.name for p in base.iterdir()) == ["1"]
        assert not (base / "1" / "made.txt").exists()


def test_whatever_was_planted_at_the_paths_is_removed_not_used():
    with sandbox() as (workspace, base):
        decoy = base.parent / "decoy"
        (decoy / "1").mkdir(parents=True)
        base.symlink_to(decoy)
        frf.prepare(1, False, str(workspace), str(base))
        assert not base.is_symlink() and base.is_dir()
        assert (decoy / "1").exists() and not list((decoy / "1").iterdir())
        # A locked folder with a link and a FIFO in it, where the next run's folder goes.
        (base / "2" / "deep").mkdir(parents=True)
        (base / "2" / "x").symlink_to(decoy)
        os.mkfifo(base / "2" / "deep" / "pipe")
        os.chmod(base / "2" / "deep", 0)
        os.chmod(base / "2", 0)
        folder = Path(frf.prepare(2, False, str(workspace), str(base)))
        assert sorted(p.name for p in folder.iterdir()) == ["link", "train.py"]
        assert decoy.exists()


def test_fifos_in_the_workspace_are_left_out_of_the_copy():
    with sandbox() as (workspace, base):
        os.mkfifo(workspace / "pipe")
        folder = Path(frf.prepare(1, True, str(workspace), str(base)))
        assert not (folder / "pipe").exists()


def test_main_becomes_the_program_in_the_run_folder_with_default_signals():
    with sandbox() as (workspace, base):
        program = ("import os, signal; print(os.getcwd(), os.environ['PWD'], sorted(os.listdir())); "
                   "print(signal.getsignal(signal.SIGPIPE) == signal.SIG_IGN)")
        done = run_main(workspace, base, "3", "1", sys.executable, "-c", program)
        assert done.returncode == 0, done.stderr
        folder = str(base / "3")
        # Python ignores SIGPIPE in every interpreter: what matters is that the program got it by
        # default, so the same check from bash reads "0".
        assert done.stdout.splitlines()[0] == f"{folder} {folder} ['link', 'train.py']"
        shell = run_main(workspace, base, "4", "0", "bash", "-c", "trap -p PIPE | wc -l")
        assert shell.stdout == "0\n", shell.stderr


def test_main_passes_on_the_programs_own_status_and_output():
    with sandbox() as (workspace, base):
        done = run_main(workspace, base, "1", "1", "bash", "-c", "echo out; echo err >&2; exit 3")
        assert (done.returncode, done.stdout, done.stderr) == (3, "out\n", "err\n")


def test_main_says_why_a_run_could_not_start():
    with sandbox() as (workspace, base):
        missing = run_main(workspace, base, "1", "1", "no-such-program")
        assert missing.returncode == frf.CANNOT_RUN_STATUS
        assert missing.stderr.startswith("academy-runs: could not start no-such-program:")
        no_workspace = run_main(workspace / "gone", base, "1", "1", "true")
        assert no_workspace.returncode == frf.CANNOT_RUN_STATUS
        assert no_workspace.stderr.startswith("academy-runs: could not copy the workspace:")


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
