"""Tests for the parts of learner_pause.py that are safe outside a sandbox: reading /proc, telling
stopped processes from running ones, finding the services' listeners, continuing given processes.
freeze, settle and thaw signal every process of their user, so they run only in a sandbox, as the
learner (tests/security/grader-clean-room.test.ts). Run with `python3 -m pytest
learner_pause_test.py` or plainly with `python3 learner_pause_test.py` (Linux, Python 3.11)."""
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import learner_pause as lp  # noqa: E402


def wait_until(condition, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


def test_stat_fields_start_after_a_command_name_holding_spaces_and_parentheses():
    line = b"4242 (evil) (name) T 1 4242 4242 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 987654 0 0"
    fields = lp.stat_fields(line)
    assert (fields[0], fields[1], fields[19]) == (b"T", b"1", b"987654")


def test_process_reads_the_real_uid_state_parent_and_start_of_a_process():
    uid, state, ppid, start = lp.process(os.getpid())
    assert (uid, state, ppid) == (os.getuid(), "R", os.getppid())
    assert start > 0
    assert lp.process(2**22 + 1) is None


def test_a_stopped_or_dead_process_is_quiet_a_running_one_is_not():
    child = subprocess.Popen(["sleep", "30"])
    try:
        assert not lp.is_quiet(child.pid)
        os.kill(child.pid, signal.SIGSTOP)
        wait_until(lambda: lp.is_quiet(child.pid))
        os.kill(child.pid, signal.SIGKILL)
        wait_until(lambda: lp.process(child.pid)[1] == "Z")
        assert lp.is_quiet(child.pid)
    finally:
        child.kill()
        child.wait()


def test_listeners_finds_the_process_listening_on_a_services_port():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    try:
        me = {os.getpid(): lp.process(os.getpid())[3]}
        assert lp.listeners([port], me) == [(os.getpid(), me[os.getpid()])]
        assert lp.listeners([port + 1 if port < 65535 else port - 1], me) == []
        assert lp.listeners([], me) == []
    finally:
        server.close()


def test_continue_children_first_continues_only_the_given_processes_that_still_exist():
    stopped = [subprocess.Popen(["sleep", "30"]) for _ in range(2)]
    try:
        for child in stopped:
            os.kill(child.pid, signal.SIGSTOP)
            wait_until(lambda child=child: lp.process(child.pid)[1] == "T")
        first, second = stopped
        start = lp.process(first.pid)[3]
        # The second key names a pid with another start time: a process that reused the pid.
        assert lp.continue_children_first({(first.pid, start), (second.pid, start + 1)}) == 1
        wait_until(lambda: lp.process(first.pid)[1] == "S")
        assert lp.process(second.pid)[1] == "T"
    finally:
        for child in stopped:
            child.kill()
            child.wait()


def test_it_refuses_to_run_as_anyone_but_the_learner():
    if os.getuid() == lp.LEARNER_UID:
        return
    done = subprocess.run([sys.executable, str(HERE / "learner_pause.py")], input='{"action": "freeze"}',
                          capture_output=True, text=True)
    assert done.returncode != 0 and "only as the learner" in done.stderr


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
