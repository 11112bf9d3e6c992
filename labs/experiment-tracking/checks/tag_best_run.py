"""Step 4: tag_best.py tags exactly the best finished run of late-orders (highest val_auc)
best=true, found by a search each time it runs.

The step's runs (lab.yaml) test the script on a moving target before the real tagging, with runs
the grader adds and the learner cannot know in advance (probes.py): probe_add.py adds a better run,
a run tied with it, a worse run that already carries best=true and an unfinished run with the
highest score; tag_best.py runs; probe_demote.py notes the tags and makes the better and tied runs
the worst; tag_best.py runs again; probe_remove.py notes the tags and deletes the probes. Each
grader run keeps what it saw in state_dir(), by run id; this check judges it, deletes any probe
left (should a run have been cut short) and reads the final tags from the server."""
from academy_check import Check
from expectations import BEST_TAG, BEST_VALUE, EXPERIMENT, PRIMARY_METRIC
from logged_runs import LabServer
from probes import load_state

SCRIPT = "`python3 tag_best.py`"
COMPETITORS = "runs to compare"
UNCHANGED = "runs left unchanged"
BETTER = "better run tagged"
TIE = "tie tagged once"
STALE = "stale tag removed"
RUNNING = "unfinished run ignored"
WORSE = "tag leaves a worse run"
FINAL = "best run tagged"

check = Check()
add, first, demote, second, remove = check.require_runs(5)
server = LabServer(check)
state = load_state()
probes = state.get("probes", {})
for run_id in probes.values():  # the probes never outlive the check
    probe = server.get_run(run_id)
    if probe is not None and probe.lifecycle_stage == "active":
        server.delete_run(run_id)
for grader in (add, demote, remove):
    if grader.as_user != "grader" or grader.exit_code != 0:
        print(f"tag_best_run: grader run {grader.command} failed: {grader.stderr[-2000:]}")
        check.error()

if not first.path("tag_best.py").exists() and not first.path("tag_best.py").is_symlink():
    check.detail(f"{SCRIPT} runs", False, "There is no tag_best.py in your work folder yet.")
    check.fail("There is no tag_best.py in your work folder yet; create it next to sweep.py.")
if not state.get("competitors"):
    message = (f"There is no finished run with {PRIMARY_METRIC} in '{EXPERIMENT}' yet, so there is nothing "
               "to tag: run `python3 sweep.py` first, then check again.")
    check.detail(COMPETITORS, False, message)
    check.fail(message)
check.require_success(first, SCRIPT)
check.require_success(second, SCRIPT)
check.detail(COMPETITORS, True, "",
             pass_message=f"{state['competitors']} finished runs of yours competed with the check's runs")

tags_1, tags_2 = state["tags_1"], state["tags_2"]
better, tie, stale, running = (probes[role] for role in ("better", "tie", "stale", "running"))
mine = set(state["learner_runs"])
test = (
    f"To test tag_best.py, the check added runs of its own to '{EXPERIMENT}', with names and scores "
    "drawn for this check"
)


def tagged(tags: dict, run_id: str) -> bool:
    return tags.get(run_id) == BEST_VALUE


def near_miss(tags: dict) -> str | None:
    """A best tag written almost right ('True', ' true'), which a search for 'true' misses."""
    for value in tags.values():
        if value != BEST_VALUE and value.strip().lower() == BEST_VALUE:
            return value
    return None


def run_label(run_id: str) -> str:
    if run_id in probes.values():
        return "one of the check's runs"
    found = server.get_run(run_id)
    return f"the run {found.label()}" if found is not None else f"the run ({run_id[:8]})"


def shown(value: str) -> str:
    """A fingerprint's val_auc (its repr) as a message shows it."""
    try:
        return f"{float(value):.4f}"
    except ValueError:
        return "none"


# tag_best.py may change tags only: no run added, deleted, finished or rescored.
def first_change(before: dict, after: dict) -> str | None:
    for run_id in after:
        if run_id not in before:
            return f"a new run was created: {run_label(run_id)}"
    for run_id in before:
        if run_id not in after:
            return f"{run_label(run_id)} was deleted"
        if before[run_id][0] != after[run_id][0]:
            return f"{run_label(run_id)} went from {before[run_id][0]} to {after[run_id][0]}"
        if before[run_id][1] != after[run_id][1]:
            return (f"the {PRIMARY_METRIC} of {run_label(run_id)} changed from {shown(before[run_id][1])} "
                    f"to {shown(after[run_id][1])}")
    return None


change = first_change(state["fingerprint_1"], state["seen_2"]) or first_change(state["fingerprint_2"], state["seen_3"])
check.detail(
    UNCHANGED,
    change is None,
    f"While {SCRIPT} ran, {change}. tag_best.py should only read runs and set tags: the best run is "
    "the one that is best, not one made best.",
    pass_message="tag_best.py changed tags only",
)

# First run: the check's better run (or the run tied with it) must carry the tag, and only it.
if tagged(tags_1, better) or tagged(tags_1, tie):
    better_message = ""
else:
    holders = [run_id for run_id, value in tags_1.items() if value == BEST_VALUE]
    almost = near_miss({run_id: tags_1.get(run_id, "") for run_id in (better, tie)})
    if almost is not None:
        better_message = (f"{test}. After the first {SCRIPT}, the run with the highest {PRIMARY_METRIC} "
                          f"carried {BEST_TAG}='{almost}': the value must be exactly {BEST_VALUE}, so that a "
                          f"search for tags.{BEST_TAG} = '{BEST_VALUE}' finds it.")
    elif not holders:
        better_message = (f"{test}. After the first {SCRIPT}, no run carried {BEST_TAG}={BEST_VALUE} at all, "
                          f"though one finished run had a {PRIMARY_METRIC} above all of yours.")
    elif stale in holders:
        better_message = (f"{test}. After the first {SCRIPT}, {BEST_TAG}={BEST_VALUE} was on a run with the "
                          f"lowest {PRIMARY_METRIC} of all, not on the one with the highest: check which end "
                          "of the sorted runs tag_best.py takes.")
    elif running in holders:
        better_message = (f"{test}. After the first {SCRIPT}, {BEST_TAG}={BEST_VALUE} was on a run that had "
                          "not finished, not on the best finished run.")
    else:
        better_message = (
            f"{test}. One of them, finished, had a {PRIMARY_METRIC} above all of yours, yet after the first "
            f"{SCRIPT} the tag was on {run_label(holders[0])}: tag_best.py must find the best run by a "
            "search each time it runs, not use a run chosen in advance."
        )
check.detail(BETTER, not better_message, better_message,
             pass_message=f"the check's better run got {BEST_TAG}={BEST_VALUE}")

check.detail(
    TIE,
    not (tagged(tags_1, better) and tagged(tags_1, tie)),
    f"{test}, two of them tied for the highest {PRIMARY_METRIC}, and after the first {SCRIPT} both carried "
    f"{BEST_TAG}={BEST_VALUE}. Exactly one run may carry it: when runs tie, pick one of them.",
    pass_message="of two tied runs, one carried the tag",
)

# (A run of the learner's that kept the tag while no better run got it is a failure of BETTER.)
if tagged(tags_1, stale):
    kept = "that run"
elif tagged(tags_1, better) or tagged(tags_1, tie):
    kept = next((run_label(run_id) for run_id in sorted(mine) if tagged(tags_1, run_id)), "")
else:
    kept = ""
check.detail(
    STALE,
    not kept,
    f"{test}, among them a run with the lowest {PRIMARY_METRIC} that already carried {BEST_TAG}={BEST_VALUE}. "
    f"After the first {SCRIPT}, {BEST_TAG}={BEST_VALUE} was still on {kept} as well as on the best run: "
    "take the tag off every run that carries it but is not the best.",
    pass_message=f"no other run kept {BEST_TAG}={BEST_VALUE}",
)

check.detail(
    RUNNING,
    not (tagged(tags_1, running) or tagged(tags_2, running)),
    f"{test}, among them a run that had not finished, with the highest {PRIMARY_METRIC} of all, and "
    f"{SCRIPT} tagged it {BEST_TAG}={BEST_VALUE}. Only finished runs compete: a run still in progress (or "
    "one that failed) has not earned its score.",
    pass_message="the unfinished run was left alone",
)

# Second run: the check's runs had become the worst, so the tag must have left them.
still = [run_id for run_id in (better, tie) if tagged(tags_2, run_id)]
check.detail(
    WORSE,
    not still,
    f"{test}. After the first {SCRIPT}, the check made the run that had got {BEST_TAG}={BEST_VALUE} the worst "
    f"of all, and after the second it still carried the tag: take the tag off a run that is no longer the best.",
    pass_message="the tag left the check's run once it became the worst",
)

# The final state, the check's runs deleted: exactly one tagged run, the best of the finished ones.
experiment = server.experiment_by_name(EXPERIMENT)
runs = server.search_runs([experiment["experiment_id"]]) if experiment else []
finished = [run for run in runs if run.status == "FINISHED" and run.metrics.get(PRIMARY_METRIC) is not None]
best_score = max((run.metrics[PRIMARY_METRIC] for run in finished), default=None)
leaders = [run for run in finished if run.metrics[PRIMARY_METRIC] == best_score]
holders = [run for run in runs if run.tags.get(BEST_TAG) == BEST_VALUE]
if not finished:
    final = f"There is no finished run with {PRIMARY_METRIC} in '{EXPERIMENT}' any more."
elif not holders:
    almost = near_miss({run.run_id: run.tags.get(BEST_TAG, "") for run in runs})
    final = (f"After the second {SCRIPT}, a run carries {BEST_TAG}='{almost}'; the value must be exactly "
             f"{BEST_VALUE}, so that a search for tags.{BEST_TAG} = '{BEST_VALUE}' finds it." if almost else
             f"After the second {SCRIPT}, no run in '{EXPERIMENT}' carries {BEST_TAG}={BEST_VALUE}.")
elif len(holders) > 1:
    final = (f"After the second {SCRIPT}, {len(holders)} runs in '{EXPERIMENT}' carry {BEST_TAG}={BEST_VALUE} "
             f"({', '.join(run.label() for run in holders[:4])}); exactly one run may.")
elif holders[0] not in leaders:
    winner = holders[0]
    score = winner.metrics.get(PRIMARY_METRIC)
    has = f"{PRIMARY_METRIC} {score:.4f}" if score is not None else f"no {PRIMARY_METRIC}"
    if winner.status != "FINISHED":
        has += f" and is {winner.status}"
    final = (f"After the second {SCRIPT}, {winner.label()} carries {BEST_TAG}={BEST_VALUE}, but it has {has}, "
             f"while {leaders[0].label()} has {PRIMARY_METRIC} {best_score:.4f}.")
else:
    final = ""
check.detail(FINAL, not final, final,
             pass_message=f"{holders[0].label() if holders else ''} carries {BEST_TAG}={BEST_VALUE}")

check.done(
    f"{SCRIPT} tagged {holders[0].label() if holders else ''}, whose {PRIMARY_METRIC} of "
    f"{best_score if best_score is not None else 0:.4f} is the best of {len(finished)} finished runs, and "
    "moved the tag correctly when the check added runs of its own: a better one, a tie, a worse one "
    "carrying the tag and an unfinished one."
)
