"""The clean room a grader process runs in: a step's check, and its grader runs. Started by the
runner inside the sandbox as the `grader` user (uid 1001) with nothing of the learner's, not even
an environment variable (lab-runner/grading/clean-room.ts):

    /usr/bin/env -i PATH=<root-owned folders> LANG=C.UTF-8 /usr/bin/python3 -I -S -c <this file>

The request comes on stdin, never in argv, which every user can read in /proc:
    {"room": "/tmp/academy-grader-<random>", "files": {relative path: text},
     "program": relative path of the check or grader run among the files,
     "env": {name: value}, "learnerUid": 1000, "spared": [pid, ...], "last": true|false}

1. It waits, at most QUIET_WAIT_S, until no learner process runs: the runner has paused them all
   (learner_pause.py), and a learner process that still runs, or started since, could race the
   program. It refuses otherwise. `spared` are the learner's processes that serve labkit services
   while these run as the learner (none once the image has a `labkit` user).
2. The room: <room> (0700) holds files/ (ACADEMY_FILES, the working folder and the one extra entry
   on the program's sys.path; written afresh from the request each time), state/ (ACADEMY_STATE,
   kept for the grading's later grader processes), home/ (HOME) and tmp/ (TMPDIR). The folder at
   env ACADEMY_CHALLENGE is made 0755 for learner runs to read. Each must be a folder of the grader's
   with exactly its mode; anything else found there is refused.
3. The program runs with the request's environment plus HOME, TMPDIR, ACADEMY_FILES and
   ACADEMY_STATE, umask 022 and stdin empty: `python3 -I` with the files folder first on sys.path
   (no user site, no PYTHON* variables, no working folder on the path), or
   `bash --noprofile --norc`.
4. With "last" (the check), the room and the challenge folder are removed afterwards, also when
   `timeout` stops it with SIGTERM.

Exit status: the program's; REFUSED_STATUS with a line starting with `academy-clean-room:` on
stderr when it refused to run it.
Standard library only.
"""
import json
import os
import signal
import stat
import sys
import time

REFUSED_STATUS = 97
MARKER = "academy-clean-room:"
# A runner operation on the learner's behalf (a file saved from the editor) runs as the learner
# for a few tens of milliseconds; anything still running after this is refused.
QUIET_WAIT_S = 1.0
QUIET_POLL_S = 0.01
QUIET_STATES = "TtZX"  # stopped, stopped by a tracer, dead
PRIVATE = 0o700
READABLE = 0o755
PYTHON = "/usr/bin/python3"
BASH = "/bin/bash"
# Runs the program as `python3 <program>` would, but with only the files folder added to sys.path.
PYTHON_BOOTSTRAP = (
    "import runpy, sys\n"
    "sys.path.insert(0, sys.argv[1])\n"
    "sys.argv = sys.argv[2:]\n"
    "runpy.run_path(sys.argv[0], run_name='__main__')\n"
)


class Refused(Exception):
    pass


def read(path):
    with open(path, "rb") as handle:
        return handle.read()


def running_learner_processes(learner_uid, spared):
    """Pids of the learner's processes with a thread that is neither stopped nor dead."""
    running = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or name == "1" or int(name) in spared:
            continue
        try:
            status = read(f"/proc/{name}/status")
            tasks = os.listdir(f"/proc/{name}/task")
        except OSError:
            continue
        uid = next(int(line.split()[1]) for line in status.splitlines() if line.startswith(b"Uid:"))
        if uid != learner_uid:
            continue
        for tid in tasks:
            try:
                stat_line = read(f"/proc/{name}/task/{tid}/stat")
            except OSError:
                continue
            if chr(stat_line[stat_line.rindex(b")") + 2]) not in QUIET_STATES:
                running.append(int(name))
                break
    return running


def has_labkit_user():
    try:
        import pwd

        pwd.getpwnam("labkit")
        return True
    except KeyError:
        return False


def wait_for_quiet_learner(learner_uid, spared):
    spared = set() if has_labkit_user() else set(spared)
    deadline = time.monotonic() + QUIET_WAIT_S
    while True:
        running = running_learner_processes(learner_uid, spared)
        if not running:
            return
        if time.monotonic() > deadline:
            raise Refused(f"learner processes are running: {sorted(running)[:10]}")
        time.sleep(QUIET_POLL_S)


def own_folder(path, mode):
    """`path` as a folder of this user's with exactly `mode`, made if missing; Refused otherwise."""
    try:
        os.mkdir(path, mode)
        os.chmod(path, mode)
    except FileExistsError:
        pass
    info = os.lstat(path)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or stat.S_IMODE(info.st_mode) != mode:
        raise Refused(f"{path} is not a folder of the grader's with mode {mode:o}")
    return path


def write_files(folder, files):
    for relative, content in files.items():
        target = os.path.normpath(os.path.join(folder, relative))
        if not target.startswith(folder + os.sep):
            raise Refused(f"refusing file path {relative!r}")
        os.makedirs(os.path.dirname(target), mode=PRIVATE, exist_ok=True)
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(content)


def remove(path):
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def prepare(request):
    """Makes the room and the challenge folder; returns (files folder, the program's environment)."""
    room = own_folder(request["room"], PRIVATE)
    files = os.path.join(room, "files")
    remove(files)
    own_folder(files, PRIVATE)
    write_files(files, request["files"])
    env = dict(request["env"])
    env.update(
        HOME=own_folder(os.path.join(room, "home"), PRIVATE),
        TMPDIR=own_folder(os.path.join(room, "tmp"), PRIVATE),
        ACADEMY_FILES=files,
        ACADEMY_STATE=own_folder(os.path.join(room, "state"), PRIVATE),
    )
    own_folder(env["ACADEMY_CHALLENGE"], READABLE)
    return files, env


def argv_of(files, program):
    path = os.path.join(files, program)
    if program.endswith(".sh"):
        return [BASH, "--noprofile", "--norc", path]
    return [PYTHON, "-I", "-c", PYTHON_BOOTSTRAP, files, path]


def run(argv, cwd, env):
    """Runs the program as a child (this process stays to clean up); returns its exit status."""
    pid = os.fork()
    if pid == 0:
        try:
            os.chdir(cwd)
            empty = os.open(os.devnull, os.O_RDONLY)
            os.dup2(empty, 0)
            os.umask(0o022)
            # Python ignores these two; an ignored signal would stay ignored in the program.
            signal.signal(signal.SIGPIPE, signal.SIG_DFL)
            signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.execve(argv[0], argv, env)
        except BaseException as error:  # the child must never return into the parent's code
            os.write(2, f"{MARKER} could not start {argv[0]}: {error}\n".encode())
        finally:
            os._exit(127)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def main():
    # `timeout` (around this process) sends SIGTERM: turn it into an exit so `finally` cleans up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(124))
    request = json.load(sys.stdin)
    code = REFUSED_STATUS
    try:
        wait_for_quiet_learner(request["learnerUid"], request.get("spared") or [])
        files, env = prepare(request)
        code = run(argv_of(files, request["program"]), files, env)
    except Refused as why:
        sys.stderr.write(f"{MARKER} {why}\n")
    finally:
        if request.get("last"):
            remove(request["room"])
            remove(request["env"]["ACADEMY_CHALLENGE"])
    sys.exit(code if code >= 0 else 128 - code)


if __name__ == "__main__":
    main()
