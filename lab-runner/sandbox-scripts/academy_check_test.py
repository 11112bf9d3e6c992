"""Tests for academy_check.py. Run with `python3 -m pytest academy_check_test.py` or plainly with
`python3 academy_check_test.py` (inside the sandbox image or anywhere with Python 3.11)."""
import contextlib
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import academy_check as ac  # noqa: E402


@contextlib.contextmanager
def folder():
    with tempfile.TemporaryDirectory(prefix="academy-check-test-") as name:
        yield Path(name)


def make_run(directory, **changes):
    fields = dict(command="python3 train.py", dir=Path(directory), exit_code=0, timed_out=False,
                  stdout="", stderr="", started_at_ms=int(time.time() * 1000), duration_ms=1200)
    fields.update(changes)
    return ac.Run(**fields)


def raises_learner_error(action, *fragments):
    try:
        action()
    except ac.LearnerFileError as error:
        for fragment in fragments:
            assert fragment in str(error), (fragment, str(error))
        return str(error)
    raise AssertionError("expected a LearnerFileError")


# --- printed metrics -------------------------------------------------------------------------


def test_parse_metrics_reads_name_value_lines_and_ignores_other_output():
    text = "loading data\nmae: 4.213\nRMSE : 5.1 minutes\nr2:0.81\nsaved the model to model.joblib\n"
    assert ac.parse_metrics(text) == {"mae": "4.213", "rmse": "5.1", "r2": "0.81"}


def test_parse_metrics_keeps_values_as_printed_and_the_last_repeat():
    text = "loss: 1e-03\nloss: 2.50E-3\nscore: -0.5\nbad: nan\nepochs: 10\n"
    assert ac.parse_metrics(text) == {"loss": "2.50E-3", "score": "-0.5", "bad": "nan", "epochs": "10"}


def test_parse_metrics_skips_lines_whose_value_is_not_a_number():
    text = "time: 12:30\nmodel: forest\nINFO:root:started\nstatus: ok 3\n"
    assert ac.parse_metrics(text) == {}


def test_agree_when_rounded_uses_the_coarser_precision():
    assert ac.agree_when_rounded(3.682644740235255, "3.683")
    assert ac.agree_when_rounded(3.68, "3.683")
    assert ac.agree_when_rounded(4, "3.683")
    assert not ac.agree_when_rounded(3.69, "3.683")
    assert not ac.agree_when_rounded(3.6841, "3.683")
    assert not ac.agree_when_rounded(float("nan"), "nan")


def test_decimals_counts_digits_after_the_point():
    assert ac.decimals("4.213") == 3
    assert ac.decimals(4.2) == 1
    assert ac.decimals(7) == 0
    assert ac.decimals("1e-05") == 5
    assert ac.decimals(float("inf")) is None


# --- requirements ----------------------------------------------------------------------------


def test_normalize_name_follows_pep_503():
    assert ac.normalize_name("Scikit_Learn") == "scikit-learn"
    assert ac.normalize_name("zope.interface") == "zope-interface"
    assert ac.normalize_name("Foo__Bar--baz") == "foo-bar-baz"


def test_parse_requirements_handles_comments_spacing_extras_markers_and_options():
    text = textwrap.dedent("""\
        \ufeff# lock for train.py

        NumPy==1.24.2   # arrays
        Scikit_Learn == 1.2.1
        pandas[performance] == 1.5.3 ; python_version >= "3.8"
        joblib==1.2.0 \\
            --hash=sha256:0123456789abcdef
        -r other.txt
        --index-url https://example.invalid/simple
        scipy (==1.10.1)
        """)
    requirements, unreadable = ac.parse_requirements(text)
    assert unreadable == []
    found = {r.key: (r.line_number, r.pinned_version) for r in requirements}
    assert found == {
        "numpy": (3, "1.24.2"),
        "scikit-learn": (4, "1.2.1"),
        "pandas": (5, "1.5.3"),
        "joblib": (6, "1.2.0"),
        "scipy": (10, "1.10.1"),
    }


def test_parse_requirements_tells_loose_pins_from_exact_ones():
    text = "numpy\npandas>=1.5\njoblib~=1.2\nscipy==1.10.*\nsix==1.16.0,>=1\nrequests @ https://x.invalid/r.whl\nlz4===4.0.2+dfsg\n"
    requirements, unreadable = ac.parse_requirements(text)
    assert unreadable == []
    by_name = {r.name: r for r in requirements}
    assert [r.pinned_version for r in requirements] == [None, None, None, None, None, None, "4.0.2+dfsg"]
    assert by_name["numpy"].specifiers == () and by_name["numpy"].spec == ""
    assert by_name["pandas"].spec == ">=1.5"
    assert by_name["six"].spec == "==1.16.0,>=1"
    assert by_name["requests"].url == "https://x.invalid/r.whl"


def test_parse_requirements_reports_lines_pip_could_not_read():
    requirements, unreadable = ac.parse_requirements("numpy 1.24.2\npandas=1.5.3\n==1.0\njoblib==1.2.0\n")
    assert [r.name for r in requirements] == ["joblib"]
    assert unreadable == [(1, "numpy 1.24.2"), (2, "pandas=1.5.3"), (3, "==1.0")]


def test_same_version_pads_release_numbers_only():
    assert ac.same_version("1.24", "1.24.0")
    assert ac.same_version("v1.2.1", "1.2.1")
    assert ac.same_version("4.0.2+dfsg", "4.0.2+DFSG")
    assert not ac.same_version("1.24.2", "1.24.3")
    assert not ac.same_version("4.0.2", "4.0.2+dfsg")


def test_installed_version_accepts_any_spelling_and_knows_missing_packages():
    assert ac.installed_version("pip-that-does-not-exist-anywhere") is None
    if ac.installed_version("pytest") is not None:  # pytest is in the sandbox image
        assert ac.installed_version("PyTest") == ac.installed_version("pytest")


# --- learner files ---------------------------------------------------------------------------


def test_sha256_file_matches_hashlib():
    with folder() as tmp:
        data = os.urandom(3 * 1024 * 1024 + 17)
        (tmp / "model.joblib").write_bytes(data)
        assert ac.sha256_file(tmp / "model.joblib") == hashlib.sha256(data).hexdigest()


def test_learner_files_must_be_regular_files():
    with folder() as tmp:
        (tmp / "real.json").write_text("{}")
        os.symlink(tmp / "real.json", tmp / "link.json")
        os.mkfifo(tmp / "pipe.json")
        (tmp / "dir.json").mkdir()
        raises_learner_error(lambda: ac.read_json(tmp / "missing.json"), "missing.json was not found")
        raises_learner_error(lambda: ac.read_json(tmp / "link.json"), "symbolic link")
        raises_learner_error(lambda: ac.sha256_file(tmp / "pipe.json"), "not a regular file")
        raises_learner_error(lambda: ac.read_text(tmp / "dir.json"), "is a folder")
        raises_learner_error(lambda: ac.read_text(tmp / "real.json" / "x", "x"), "not found")


def test_read_json_explains_syntax_errors_and_size_limits():
    with folder() as tmp:
        (tmp / "metrics.json").write_text('{"mae": 3.1,}')
        raises_learner_error(lambda: ac.read_json(tmp / "metrics.json"), "metrics.json is not valid JSON", "line 1")
        (tmp / "big.json").write_text("[" + "1," * 1000 + "1]")
        raises_learner_error(lambda: ac.read_json(tmp / "big.json", limit=100), "larger than")
        (tmp / "bom.json").write_bytes(b'\xef\xbb\xbf{"a": 1}')
        assert ac.read_json(tmp / "bom.json") == {"a": 1}
        (tmp / "latin.txt").write_bytes(b"caf\xe9")
        raises_learner_error(lambda: ac.read_text(tmp / "latin.txt"), "not UTF-8")


# --- runs ------------------------------------------------------------------------------------


def test_run_from_json_reads_the_grader_format():
    run = ac.Run.from_json({"command": "python3 train.py", "dir": "/tmp/academy-runs/1", "exitCode": None,
                            "timedOut": True, "stdout": "a", "stderr": "b", "startedAtMs": 5, "durationMs": 60000})
    assert run.dir == Path("/tmp/academy-runs/1") and run.exit_code is None and run.timed_out
    assert run.path("model.joblib") == Path("/tmp/academy-runs/1/model.joblib")


def test_run_problem_quotes_the_last_line_of_stderr():
    run = make_run("/x", exit_code=1, stderr="Traceback (most recent call last):\n  ...\nValueError: bad input\n\n")
    assert run.problem() == "`python3 train.py` exited with status 1: ValueError: bad input"
    assert make_run("/x").problem() is None


def test_run_problem_covers_timeouts_kills_silence_and_failed_starts():
    assert make_run("/x", exit_code=None, timed_out=True, duration_ms=60012).problem() == (
        "`python3 train.py` was still running after 60 s and was stopped; make it finish faster.")
    assert "ran out of memory" in make_run("/x", exit_code=137).problem()
    assert "ran out of memory" in make_run("/x", exit_code=-9).problem()
    assert "killed by signal 15" in make_run("/x", exit_code=-15).problem()
    assert "killed by signal 11" in make_run("/x", exit_code=139).problem()
    assert make_run("/x", exit_code=2).problem() == "`python3 train.py` exited with status 2 without an error message"
    assert "could not be started" in make_run("/x", exit_code=None, error="disk full").problem()
    long_command = make_run("/x", command="python3 -c '\nimport runpy\n'", exit_code=1, stderr="boom")
    assert long_command.problem() == "your code exited with status 1: boom"
    assert long_command.problem("`python3 train.py`").startswith("`python3 train.py` exited")


def test_run_marker_returns_the_last_matching_line():
    run = make_run("/x", stdout='ACADEMY_IMPORTS=["a"]\nmae: 1\nACADEMY_IMPORTS=["numpy"]\n')
    assert run.marker("ACADEMY_IMPORTS=") == '["numpy"]'
    assert run.marker("NOPE=") is None


def test_written_during_run_tells_fresh_files_from_copied_old_ones():
    with folder() as tmp:
        run = make_run(tmp)
        (tmp / "fresh.json").write_text("{}")
        (tmp / "stale.json").write_text("{}")
        old = time.time() - 30
        os.utime(tmp / "stale.json", (old, old))
        assert run.written_during_run("fresh.json")
        assert not run.written_during_run("stale.json")
        raises_learner_error(lambda: run.written_during_run("none.json"), "none.json was not found")


def test_run_path_refuses_paths_outside_the_run():
    run = make_run("/x")
    for bad in ("../work/model.joblib", "/etc/passwd", ""):
        try:
            run.path(bad)
        except ValueError:
            continue
        raise AssertionError(f"accepted {bad!r}")


def test_run_path_refuses_a_run_folder_replaced_by_a_link():
    with folder() as tmp:
        (tmp / "elsewhere").mkdir()
        (tmp / "runs").mkdir()
        (tmp / "runs" / "1").symlink_to(tmp / "elsewhere")
        raises_learner_error(lambda: make_run(tmp / "runs" / "1").path("metrics.json"), "replaced by a link")
        os.rename(tmp / "runs", tmp / "real-runs")
        (tmp / "runs").symlink_to(tmp / "real-runs")
        raises_learner_error(lambda: make_run(tmp / "runs" / "1").path("metrics.json"), "replaced by a link")


@contextlib.contextmanager
def environment(**variables):
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def test_runs_reads_runs_json_with_who_ran_each_run():
    with folder() as tmp:
        assert ac.runs(tmp) == []
        (tmp / "runs.json").write_text(json.dumps([
            {"command": "python3 checks/make_challenge.py", "as": "grader", "dir": str(tmp), "exitCode": 0,
             "timedOut": False, "stdout": "", "stderr": "", "startedAtMs": 1, "durationMs": 2},
            {"command": "python3 predict.py", "dir": "/tmp/academy-runs/2", "exitCode": 0},
        ]))
        with environment(ACADEMY_FILES=str(tmp)):
            first, second = ac.runs()
        assert (first.as_user, second.as_user) == ("grader", "learner")
        (tmp / "runs.json").write_text('[{"dir": "/x"}]')
        try:
            ac.runs(tmp)
        except ValueError:
            return
        raise AssertionError("accepted a run without a command")


def test_probe_names_and_seeds_are_fixed_within_a_grading_and_differ_between_gradings():
    with environment(ACADEMY_PROBE_SEED="ab" * 32):
        name, seed = ac.probe_name("probe-run"), ac.random_seed()
        assert name.startswith("probe-run-") and len(name) == len("probe-run-") + 16
        assert ac.probe_name("probe-run") == name and ac.random_seed() == seed
        assert ac.probe_name("probe-model")[len("probe-model-"):] != name[len("probe-run-"):]
    with environment(ACADEMY_PROBE_SEED="cd" * 32):
        assert ac.probe_name("probe-run") != name and ac.random_seed() != seed
    with environment(ACADEMY_PROBE_SEED=""):
        try:
            ac.probe_name("probe-run")
        except RuntimeError:
            return
        raise AssertionError("made a probe name without the grading's secret")


def test_state_and_challenge_folders_come_from_the_clean_room():
    with folder() as tmp:
        (tmp / "challenge").mkdir()
        (tmp / "link").symlink_to(tmp / "challenge")
        with environment(ACADEMY_STATE=str(tmp / "state"), ACADEMY_CHALLENGE=str(tmp / "challenge")):
            assert ac.state_dir() == tmp / "state"
            assert ac.challenge_dir() == tmp / "challenge"
        with environment(ACADEMY_CHALLENGE=str(tmp / "link")):
            try:
                ac.challenge_dir()
            except RuntimeError:
                return
            raise AssertionError("accepted a link as the challenge folder")


# --- a whole check, as the grader runs it ----------------------------------------------------


def run_check(source, runs=None, workspace=None):
    """Runs `source` as a check script the way the grader does; returns (result, stdout, stderr)."""
    with folder() as tmp:
        (tmp / "check.py").write_text(textwrap.dedent(source))
        if runs is not None:
            (tmp / "runs.json").write_text(json.dumps(runs))
        env = dict(os.environ, ACADEMY_FILES=str(tmp), ACADEMY_WORKSPACE=str(workspace or tmp),
                   PYTHONPATH=str(HERE))
        done = subprocess.run([sys.executable, "check.py"], cwd=tmp, env=env, capture_output=True,
                              text=True, timeout=60)
        lines = [line for line in done.stdout.splitlines() if line.strip()]
        assert len(lines) == 1, f"expected one line on stdout, got {done.stdout!r} (stderr {done.stderr!r})"
        assert done.returncode == 0, done.stderr
        return json.loads(lines[0]), done.stdout, done.stderr


def test_done_passes_when_every_detail_passed():
    result, _, _ = run_check("""
        from academy_check import Check
        check = Check()
        check.detail("one", True, "fix one", pass_message="one is fine")
        check.done("All good.")
    """)
    assert result == {"status": "pass", "message": "All good.",
                      "details": [{"name": "one", "status": "pass", "message": "one is fine"}]}


def test_done_fails_with_the_first_failing_detail():
    result, _, _ = run_check("""
        from academy_check import Check
        check = Check()
        check.detail("a", True, "")
        check.detail("b", False, "b is wrong: found 1, expected 2.")
        check.detail("c", False, "c is wrong too.")
        check.done("never")
    """)
    assert result["status"] == "fail"
    assert result["message"] == "b is wrong: found 1, expected 2."
    assert [d["status"] for d in result["details"]] == ["pass", "fail", "fail"]


def test_print_in_a_check_goes_to_stderr_not_into_the_result():
    result, stdout, stderr = run_check("""
        from academy_check import Check
        check = Check()
        print("debugging output")
        check.fail("Nope.")
    """)
    assert result["status"] == "fail" and "debugging output" not in stdout and "debugging output" in stderr


def test_a_crash_in_a_check_is_an_error_without_the_traceback():
    result, _, stderr = run_check("""
        from academy_check import Check
        check = Check()
        secret = {}["check internals"]
    """)
    assert result["status"] == "error"
    assert "check internals" not in result["message"] and "Traceback" not in result["message"]
    assert "KeyError" in stderr and "check internals" in stderr


def test_an_uncaught_learner_file_error_is_a_fail_with_its_message():
    result, _, _ = run_check("""
        from academy_check import Check, read_json
        check = Check()
        check.detail("ran", True, "")
        read_json(check.workspace / "metrics.json")
    """)
    assert result["status"] == "fail"
    assert result["message"] == "metrics.json was not found."
    assert result["details"] == [{"name": "ran", "status": "pass", "message": "ran"}]


def test_a_check_that_reports_nothing_gives_an_error():
    result, _, stderr = run_check("""
        from academy_check import Check
        check = Check()
        check.detail("x", True, "")
    """)
    assert result["status"] == "error" and "without reporting" in stderr


def test_only_the_first_result_is_printed_even_if_a_check_swallows_the_exit():
    result, _, _ = run_check("""
        from academy_check import Check
        check = Check()
        try:
            check.fail("First.")
        except BaseException:
            pass
        check.done("Second.")
    """)
    assert result["status"] == "fail" and result["message"] == "First."


def test_require_success_fails_with_the_run_problem():
    runs = [{"command": "python3 train.py", "dir": "/tmp/academy-runs/1", "exitCode": 1, "timedOut": False,
             "stdout": "mae: 3\n", "stderr": "Traceback...\nFileNotFoundError: data.csv\n",
             "startedAtMs": 1, "durationMs": 900}]
    result, _, _ = run_check("""
        from academy_check import Check
        check = Check()
        (run,) = check.require_runs(1)
        check.require_success(run)
        check.done("unreachable")
    """, runs=runs)
    assert result["status"] == "fail"
    assert result["message"] == "`python3 train.py` exited with status 1: FileNotFoundError: data.csv"


def test_require_runs_is_an_error_when_the_lab_gave_too_few():
    result, _, stderr = run_check("""
        from academy_check import Check
        Check().require_runs(2)
    """, runs=[])
    assert result["status"] == "error" and "expected 2 runs" in stderr


def test_long_messages_and_many_details_are_cut_to_the_result_limits():
    result, _, _ = run_check("""
        from academy_check import Check
        check = Check()
        for i in range(80):
            check.detail("n" * 500, False, "m" * 5000)
        check.done("never")
    """)
    assert len(result["details"]) == ac.DETAILS_MAX
    assert len(result["message"]) <= ac.MESSAGE_MAX_CHARS
    assert len(result["details"][0]["name"]) <= ac.DETAIL_NAME_MAX_CHARS


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
