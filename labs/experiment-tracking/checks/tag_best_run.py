"""Step 4: tag_best.py tags exactly the best finished run of late-orders (highest val_auc) best=true.

The step's five runs (lab.yaml) test the script on a moving target before the real tagging: the
first adds a finished probe run that beats every run, the second runs tag_best.py (the probe must
get the tag), the third lowers the probe's val_auc below every run, the fourth runs tag_best.py
again (the probe must lose the tag) and the fifth deletes the probe (the first, third and fifth
are the scripts probe_*.py). A script that tags a run id
found by hand, or adds the tag without taking it away, fails. The probe never outlives the check:
this check deletes it too, in case a run was cut short.
"""
import json

from academy_check import Check
from expectations import (
    BEST_TAG,
    BEST_VALUE,
    EXPERIMENT,
    PRIMARY_METRIC,
    PROBE_AFTER_FIRST_MARKER,
    PROBE_AFTER_SECOND_MARKER,
    PROBE_MARKER,
    TAGGED_AFTER_FIRST_MARKER,
)
from academy_tracking import TrackingServer

SCRIPT = "tag_best.py"

check = Check()
add_probe, first, worsen_probe, second, remove_probe = check.require_runs(5)
server = TrackingServer(check)

probe_id = add_probe.marker(PROBE_MARKER)
if probe_id and probe_id != "none":
    probe = server.get_run(probe_id)
    if probe is not None and probe.lifecycle_stage == "active":
        server.delete_run(probe_id)

if not first.path(SCRIPT).exists() and not first.path(SCRIPT).is_symlink():
    check.fail(f"There is no {SCRIPT} in your work folder yet; create it next to sweep.py.")
if not probe_id:
    print(f"tag_best_run: no probe: {add_probe.problem()} {add_probe.stderr[-2000:]}")
    check.error()
if probe_id == "none":
    check.fail(
        f"There is no finished run with {PRIMARY_METRIC} in '{EXPERIMENT}' yet, so there is nothing to "
        f"tag: run `python3 sweep.py` first, then check again."
    )
for tagging in (first, second):
    check.require_success(tagging)

experiment = server.experiment_by_name(EXPERIMENT)
if experiment is None:
    check.error()
experiment_id = experiment["experiment_id"]

# The runs that compete: finished, with the metric (the probe is deleted by now).
finished = [
    tracked
    for tracked in server.search_runs([experiment_id], "attributes.status = 'FINISHED'")
    if tracked.metrics.get(PRIMARY_METRIC) is not None
]
if not finished:
    check.fail(f"There is no finished run with {PRIMARY_METRIC} in '{EXPERIMENT}' any more: run "
               "`python3 sweep.py`, then check again.")

# The probe test: did the tag follow the best run, even a new one?
try:
    tagged_first = json.loads(worsen_probe.marker(TAGGED_AFTER_FIRST_MARKER) or "[]")
except ValueError:
    tagged_first = []
others_first = [run_id for run_id in tagged_first if run_id != probe_id]
after_first = worsen_probe.marker(PROBE_AFTER_FIRST_MARKER)
after_second = remove_probe.marker(PROBE_AFTER_SECOND_MARKER)
probe_note = (
    f"To test {SCRIPT}, the check added a finished run named check-probe to '{EXPERIMENT}' with a "
    f"{PRIMARY_METRIC} higher than all of yours, ran {SCRIPT}, made check-probe the worst run, ran "
    f"{SCRIPT} again, and deleted check-probe"
)
if after_first != BEST_VALUE:
    lowest = min((t.metrics[PRIMARY_METRIC] for t in finished), default=None)
    instead = [server.get_run(run_id) for run_id in others_first[:1]]
    instead = instead[0] if instead and instead[0] is not None else None
    if instead is not None and instead.metrics.get(PRIMARY_METRIC) == lowest:
        fix = (f"it went to {instead.label()}, the run with the lowest {PRIMARY_METRIC}: sort with "
               f"\"metrics.{PRIMARY_METRIC} DESC\" so the highest comes first.")
    else:
        where = f" (it was on {instead.label()})" if instead is not None else ""
        fix = (f"find the best run with mlflow.search_runs(..., order_by=[\"metrics.{PRIMARY_METRIC} DESC\"]) "
               f"each time the script runs, rather than use a run id picked by hand{where}.")
    check.fail(f"{probe_note}. After the first run, check-probe did not carry {BEST_TAG}={BEST_VALUE}: {fix}")
if others_first:
    check.fail(
        f"{probe_note}. After the first run, check-probe carried {BEST_TAG}={BEST_VALUE}, but so did "
        f"{len(others_first)} other run{'s' if len(others_first) > 1 else ''} "
        f"({', '.join(i[:8] for i in others_first[:3])}): take the tag off the runs that are no longer "
        f"the best (set it to false, or delete it)."
    )
if after_second == BEST_VALUE:
    check.fail(
        f"{probe_note}. After the second run, check-probe still carried {BEST_TAG}={BEST_VALUE} although "
        "it had become the worst run: take the tag off runs that are no longer the best (set it to "
        "false, or delete it)."
    )

best_score = max(tracked.metrics[PRIMARY_METRIC] for tracked in finished)
leaders = [tracked for tracked in finished if tracked.metrics[PRIMARY_METRIC] == best_score]
everything = server.search_runs([experiment_id])
tagged = [tracked for tracked in everything if tracked.tags.get(BEST_TAG) == BEST_VALUE]
near_misses = [tracked for tracked in everything
               if tracked.tags.get(BEST_TAG, "").strip().lower() == BEST_VALUE and tracked not in tagged]

if not tagged:
    if near_misses:
        check.fail(
            f"The run {near_misses[0].label()} has {BEST_TAG}='{near_misses[0].tags[BEST_TAG]}'; write "
            f"the value exactly as {BEST_VALUE}, so a filter like tags.{BEST_TAG} = '{BEST_VALUE}' finds it."
        )
    check.fail(f"After `python3 {SCRIPT}` ran, no run in '{EXPERIMENT}' carries {BEST_TAG}={BEST_VALUE}; "
               f"set it with MlflowClient().set_tag(run_id, \"{BEST_TAG}\", \"{BEST_VALUE}\").")
if len(tagged) > 1:
    check.fail(
        f"{len(tagged)} runs in '{EXPERIMENT}' carry {BEST_TAG}={BEST_VALUE} "
        f"({', '.join(t.label() for t in tagged[:4])}); only the best run may: take the tag off the others."
    )
(winner,) = tagged
leader = leaders[0]
if winner not in leaders:
    score = winner.metrics.get(PRIMARY_METRIC)
    has = f"{PRIMARY_METRIC} {score:.4f}" if score is not None else f"no {PRIMARY_METRIC}"
    if winner.status != "FINISHED":
        has += f" and is {winner.status}"
    check.fail(
        f"The run {winner.label()} carries {BEST_TAG}={BEST_VALUE}, but it has {has}, while "
        f"{leader.label()} has {PRIMARY_METRIC} {best_score:.4f}; tag the finished run with the "
        f"highest {PRIMARY_METRIC}."
    )

check.done(
    f"{SCRIPT} tagged the run {winner.label()}, whose {PRIMARY_METRIC} of {best_score:.4f} is the best of "
    f"{len(finished)} finished runs, and moved the tag when the check added a better run and then "
    "made it the worst."
)
