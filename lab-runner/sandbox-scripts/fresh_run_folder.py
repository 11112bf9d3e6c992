"""Gives one of a step's runs its folder, then becomes the run. /tmp/academy-runs/<n> is made a
fresh copy of the learner's workspace and the run's program replaces this process (exec), so the
runner's exec of it reports the program's own exit status, output and time
(lab-runner/grading/learner-runs.ts). Runs as the learner, like the program.

Arguments: <n> <fresh: 1 for the first learner run of a grading, else 0> <program's argv...>.
A fresh grading empties /tmp/academy-runs first. Whatever stands at these paths (a link, a file, a
folder a learner made, with any modes) is removed rather than used: the learner owns /tmp's
entries of their own, and a run can plant anything before the next one. The copy keeps file times
and symbolic links (never followed) and leaves out FIFOs, sockets and devices, which cannot be
copied. The workspace itself is never changed.

When the folder cannot be made (e.g. /tmp is full) or the program cannot start, one line starting
with `academy-runs:` goes to stderr and the status is 125; the runner records it as the run's error.
Standard library only; started with `python3 -I -S`.
"""
import os
import shutil
import signal
import stat
import sys

WORKSPACE = "/home/learner/work"
BASE = "/tmp/academy-runs"
CANNOT_RUN_STATUS = 125
MARKER = "academy-runs:"


def make_walkable(folder):
    """Gives back search and write permission on a folder of the learner's and every folder in it,
    top down, so that it can be removed whatever modes were left on it."""
    os.chmod(folder, 0o700)
    for entry in os.scandir(folder):
        if entry.is_dir(follow_symlinks=False):
            make_walkable(entry.path)


def remove(path):
    """Removes whatever is at `path`, a link itself rather than its target."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISDIR(info.st_mode):
        os.unlink(path)
        return
    make_walkable(path)
    shutil.rmtree(path)


def is_own_folder(path):
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid()


def only_copyable(folder, names):
    """copytree's ignore: FIFOs, sockets and devices, which copying would block on or refuse."""
    skipped = []
    for name in names:
        mode = os.lstat(os.path.join(folder, name)).st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode) or stat.S_ISLNK(mode)):
            skipped.append(name)
    return skipped


def prepare(number, fresh, workspace, base):
    """Makes `base`/<number> a fresh copy of `workspace`; returns its path."""
    if fresh or not is_own_folder(base):
        remove(base)
        os.mkdir(base, 0o755)
    os.chmod(base, 0o755)  # the grader reads the runs' folders
    folder = os.path.join(base, str(number))
    remove(folder)
    shutil.copytree(workspace, folder, symlinks=True, ignore=only_copyable)
    return folder


def cannot_run(why):
    sys.stderr.write(f"{MARKER} {why}\n")
    sys.exit(CANNOT_RUN_STATUS)


def main(args):
    number, fresh, argv = int(args[0]), args[1] == "1", args[2:]
    try:
        folder = prepare(number, fresh, WORKSPACE, BASE)
    except (OSError, shutil.Error, RecursionError) as error:
        cannot_run(f"could not copy the workspace: {error}")
    os.chdir(folder)
    os.environ["PWD"] = folder
    # Python ignores these two; an ignored signal would stay ignored in the program.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
    try:
        os.execvp(argv[0], argv)
    except (OSError, ValueError) as error:
        cannot_run(f"could not start {argv[0]}: {error}")


if __name__ == "__main__":
    main(sys.argv[1:])
