"""Pauses the learner's processes while a step is graded, so nothing the learner started can race
the grader: rewrite a run's output while the check reads it, or watch /tmp and /proc for the
check's files. Runs inside the sandbox as the learner (uid 1000), the only user who may signal the
learner's processes; the runner calls it three times per grading (lab-runner/grading/learner-pause.ts):

  freeze  before the runs: stops every learner process (SIGSTOP) and answers the snapshot of what
          exists (pid and start time), what the learner had stopped themselves, what is spared
          (below) and the sandbox's clock.
  settle  before a grader process (a grader run, the check): kills every learner process that is
          not in the snapshot (what the runs left behind, also outside their session) and stops
          again any snapshot process a run continued.
  thaw    at the end, whatever happened: settles, then continues the snapshot's processes, children
          before parents, except those the learner had stopped themselves.

A freeze also records what it stopped in PAUSED_RECORD until its thaw, so that processes left
stopped by a grading whose thaw never came are continued by the next one.

Freezing rather than killing keeps the learner's terminal (tmux, the shell, a program running in
it) alive: it pauses for the check's duration, then goes on.

Processes are stopped parents first, each once its parent is stopped, and continued children first,
so that a shell or tmux never sees its program stopped (it would take the terminal back and report
the job as "Stopped"). Whatever still runs after ORDERED_STOP_S (a process that keeps forking) is
stopped with kill(-1, SIGSTOP): every process this user may signal, in one pass of the kernel,
except the caller and pid 1 (docker-init); the script's own ancestors (the exec's `timeout`) and any
`runc init` of an exec the engine is starting are continued at once. Those are never paused:
Docker would hang on them. The runner holds the learner's terminals, file operations and commands
while it grades (sessions/manager.ts, `whileGrading`), so no new learner process starts meanwhile.

Spared: while labkit's services run as the learner (a sandbox whose image has no `labkit` user),
the learner processes listening on the lab's service ports keep running, since runs and checks
talk to them. Where services run as the `labkit` user nothing is spared.

Request on stdin: JSON {"action": "freeze", "sparePorts": [port, ...]} or
{"action": "settle"|"thaw", "snapshot": [[pid, start], ...] | null, "selfStopped": [[pid, start]],
 "spared": [[pid, start]]}; thaw with "snapshot": null (the freeze's answer was lost) continues
the stopped learner processes the record names, or all of them without a record. Reply on stdout: JSON {"ok", "nowMs", "snapshot", "selfStopped",
"spared", "killed", "continued", "problem"?}; "ok" is false when the learner's processes did not
all stop within QUIET_DEADLINE_S, with "problem" saying why.
Standard library only; started with `python3 -I -S`.
"""
import json
import os
import pwd
import signal
import sys
import time

UID = os.getuid()
# Signalling every process of its user is safe only for the learner, inside a sandbox.
LEARNER_UID = 1000
# Every process a forking learner can start is stopped or killed in a few rounds; a sandbox whose
# processes do not settle in this long is refused rather than graded.
QUIET_DEADLINE_S = 3.0
# Between rounds, the signals just sent take effect (a process stops when it is next scheduled).
ROUND_PAUSE_S = 0.002
# Stopping parents before children takes a round per level of the process tree: a few for a shell
# in tmux running a program. Processes still running after this are stopped all at once.
ORDERED_STOP_S = 0.5
QUIET_STATES = "TtZX"  # stopped, stopped by a tracer, dead
TCP_LISTEN = "0A"
# What the last freeze stopped, until its thaw: if that thaw never came (the runner restarted in the
# middle of a grading), the next freeze must not take those processes for ones the learner stopped,
# or they would stay stopped for good. The learner can write it, and so decide only which of their
# own processes a thaw continues.
PAUSED_RECORD = "/tmp/academy-paused.json"


def read(path):
    with open(path, "rb") as handle:
        return handle.read()


def stat_fields(stat):
    """The fields of a /proc stat line after the command name (state first), which may itself
    hold spaces and parentheses."""
    return stat[stat.rindex(b")") + 2:].split()


def process(pid):
    """(uid, state, ppid, start) of a process, or None once it is gone. The real uid comes from
    `status`: /proc/<pid> of a non-dumpable process is owned by root whoever runs it."""
    try:
        fields = stat_fields(read(f"/proc/{pid}/stat"))
        status = read(f"/proc/{pid}/status")
    except OSError:
        return None
    uid = None
    for line in status.splitlines():
        if line.startswith(b"Uid:"):
            uid = int(line.split()[1])
            break
    return uid, fields[0].decode(), int(fields[1]), int(fields[19])


def is_exec_starting(pid):
    """Whether the process is the container runtime setting up a `docker exec` (`runc init`, which
    runs as the exec's user until it becomes the exec's program). Stopping or killing it would hang
    the engine's exec, and with it every later call about the container."""
    try:
        return read(f"/proc/{pid}/comm").startswith(b"runc")
    except OSError:
        return False


def learner_processes():
    """{pid: (state, ppid, start)} of this user's processes, but an exec the engine is starting."""
    found = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        info = process(int(name))
        if info and info[0] == UID and not is_exec_starting(int(name)):
            found[int(name)] = info[1:]
    return found


def is_quiet(pid):
    """Whether every thread of the process is stopped or dead (a zombie leader may have live threads)."""
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return True
    for tid in tasks:
        try:
            state = stat_fields(read(f"/proc/{pid}/task/{tid}/stat"))[0].decode()
        except OSError:
            continue
        if state not in QUIET_STATES:
            return False
    return True


def ancestors():
    """This process and its ancestors inside the sandbox (the exec's `timeout` wrapper)."""
    chain, pid = [], os.getpid()
    while pid > 1:
        chain.append(pid)
        info = process(pid)
        if not info:
            break
        pid = info[2]
    return chain


def signal_quietly(pid, number):
    try:
        os.kill(pid, number)
    except (ProcessLookupError, PermissionError):
        pass


def services_run_as_learner():
    try:
        pwd.getpwnam("labkit")
    except KeyError:
        return True
    return False


def listening_inodes(ports):
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = read(table).decode().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] == TCP_LISTEN and int(fields[1].rsplit(":", 1)[1], 16) in ports:
                inodes.add(f"socket:[{fields[9]}]")
    return inodes


def listeners(ports, candidates):
    """The candidates (pid -> start) holding a socket that listens on one of `ports`."""
    inodes = listening_inodes(set(ports)) if ports else set()
    if not inodes:
        return []
    found = []
    for pid, start in candidates.items():
        try:
            descriptors = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in descriptors:
            try:
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:  # closed meanwhile: the process runs while this looks
                continue
            if link in inodes:
                found.append((pid, start))
                break
    return found


def stop_all(exempt, keep_running):
    """Stops every learner process but `exempt` and `keep_running` (pids), each only once its parent
    is stopped: a running parent would see its child stop, and a shell then takes the terminal back
    and reports its program as "Stopped". Processes that fork faster than that goes (a fork bomb)
    are then stopped all at once with kill(-1), which nothing can outrun."""
    left_running = {*exempt, *keep_running}
    deadline = time.monotonic() + ORDERED_STOP_S
    while time.monotonic() < deadline:
        table = learner_processes()
        running = {pid for pid in table if pid != 1 and pid not in left_running and not is_quiet(pid)}
        if not running:
            return
        for pid in running:
            if table[pid][1] not in running:
                signal_quietly(pid, signal.SIGSTOP)
        time.sleep(ROUND_PAUSE_S)
    os.kill(-1, signal.SIGSTOP)
    for pid in left_running:
        signal_quietly(pid, signal.SIGCONT)
    for name in os.listdir("/proc"):
        if name.isdigit() and is_exec_starting(int(name)):
            signal_quietly(int(name), signal.SIGCONT)


def settle(snapshot, exempt, spared):
    """Kills learner processes outside `snapshot` and stops those inside it (but `spared`), until
    none runs. Returns (how many were killed, a problem or None)."""
    killed = set()
    deadline = time.monotonic() + QUIET_DEADLINE_S
    while True:
        waiting = []
        for pid, (state, _ppid, start) in learner_processes().items():
            if pid in exempt or pid == 1 or (pid, start) in spared:
                continue
            if (pid, start) not in snapshot:
                if not is_quiet(pid) or state not in "ZX":
                    signal_quietly(pid, signal.SIGKILL)
                    killed.add((pid, start))
                    waiting.append(pid)
            elif not is_quiet(pid):
                signal_quietly(pid, signal.SIGSTOP)
                waiting.append(pid)
        if not waiting:
            return len(killed), None
        if time.monotonic() > deadline:
            return len(killed), f"{len(waiting)} learner processes did not stop: {sorted(waiting)[:10]}"
        time.sleep(ROUND_PAUSE_S)


def continue_children_first(keys):
    """SIGCONT to each (pid, start) still alive, deepest in the process tree first."""
    table = learner_processes()

    def depth(pid):
        level = 0
        while pid in table and level < len(table):
            pid = table[pid][1]
            level += 1
        return level

    alive = [pid for pid, start in keys if pid in table and table[pid][2] == start]
    for pid in sorted(alive, key=depth, reverse=True):
        signal_quietly(pid, signal.SIGCONT)
    return len(alive)


def keys(pairs):
    return {(int(pid), int(start)) for pid, start in pairs or []}


def read_record():
    try:
        with open(PAUSED_RECORD) as handle:
            return keys(json.load(handle))
    except (OSError, ValueError, TypeError):
        return set()


def write_record(pairs):
    temporary = f"{PAUSED_RECORD}.{os.getpid()}"
    with open(temporary, "w") as handle:
        json.dump(sorted(pairs), handle)
    os.replace(temporary, PAUSED_RECORD)


def forget_record():
    try:
        os.unlink(PAUSED_RECORD)
    except OSError:
        pass


def freeze(request):
    exempt = ancestors()
    before = learner_processes()
    paused_earlier = read_record()
    self_stopped = [(pid, start) for pid, (state, _, start) in before.items()
                    if state in "Tt" and pid not in exempt and pid != 1 and (pid, start) not in paused_earlier]
    candidates = {pid: start for pid, (_, _, start) in before.items() if pid not in exempt and pid != 1}
    ports = request.get("sparePorts") or []
    spared = listeners(ports, candidates) if ports and services_run_as_learner() else []
    stop_all(exempt, [pid for pid, _ in spared])
    snapshot = {(pid, start) for pid, (_, _, start) in learner_processes().items()
                if pid not in exempt and pid != 1}
    write_record(snapshot - set(self_stopped) - set(spared))
    _, problem = settle(snapshot, set(exempt), set(spared))
    return {"snapshot": sorted(snapshot), "selfStopped": sorted(self_stopped), "spared": spared,
            "killed": 0, "problem": problem}


def settle_action(request):
    exempt = ancestors()
    spared = keys(request.get("spared"))
    stop_all(exempt, [pid for pid, _ in spared])
    killed, problem = settle(keys(request["snapshot"]), set(exempt), spared)
    return {"killed": killed, "problem": problem}


def thaw(request):
    exempt = ancestors()
    if request.get("snapshot") is None:
        # The freeze's answer was lost: continue what its record names, or else whatever of the
        # learner's is stopped.
        stopped = {(pid, start) for pid, (state, _, start) in learner_processes().items()
                   if state in "Tt" and pid not in exempt and pid != 1}
        recorded = read_record()
        continued = continue_children_first(stopped & recorded if recorded else stopped)
        forget_record()
        return {"killed": 0, "continued": continued, "problem": None}
    spared = keys(request.get("spared"))
    stop_all(exempt, [pid for pid, _ in spared])
    snapshot = keys(request["snapshot"])
    killed, problem = settle(snapshot, set(exempt), spared)
    resumed = snapshot - keys(request.get("selfStopped")) - spared
    continued = continue_children_first(resumed)
    forget_record()
    return {"killed": killed, "continued": continued, "problem": problem}


ACTIONS = {"freeze": freeze, "settle": settle_action, "thaw": thaw}

if __name__ == "__main__":
    if UID != LEARNER_UID:
        sys.exit(f"learner_pause.py stops every process of its user: run it only as the learner (uid {LEARNER_UID})")
    request = json.load(sys.stdin)
    reply = ACTIONS[request["action"]](request)
    reply["ok"] = reply.get("problem") is None
    reply["nowMs"] = int(time.time() * 1000)
    sys.stdout.write(json.dumps(reply))
