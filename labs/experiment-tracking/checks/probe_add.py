"""Grader run 1 of step tag-best, before the first `python3 tag_best.py`: adds the probes to
late-orders (probes.py: a better run, a run tied with it, a worse run still carrying best=true and
an unfinished run with the highest score), with names and scores drawn for this grading, and keeps
in state_dir() their ids, the learner's runs and scores as they were, and a fingerprint of every
run once the probes are in. When there is no finished run with val_auc to compete with, it adds
nothing and says so in the state. Runs as the grader: it changes the server, and the learner's code
must not be able to tell its runs from their own by anything known in advance."""
import math
import random

from academy_check import random_seed
from expectations import BEST_TAG, BEST_VALUE, PRIMARY_METRIC
from probes import (connect, create_run, experiment_id, finish_run, fingerprint, log_batch, probe_names,
                    save_state, score)

rng = random.Random(random_seed())
server = connect()
experiment = experiment_id(server)
runs = server.search_runs([experiment]) if experiment else []
competitors = [run for run in runs if run.status == "FINISHED" and score(run) is not None]
state = {"experiment_id": experiment, "competitors": len(competitors), "probes": {}}
if not competitors:
    save_state(state)
    print("nothing to compete with")
    raise SystemExit

scores = [score(run) for run in competitors]
top, low = max(scores), min(scores)
better = top + (1 - top) * rng.uniform(0.2, 0.6)
values = {
    "better": better,
    "tie": better,
    "stale": low * rng.uniform(0.6, 0.95),
    "running": better + (1 - better) * rng.uniform(0.3, 0.8),
}
names = probe_names()
roles = list(values)
rng.shuffle(roles)  # made in a random order, so that "the newest run" is no clue either
for role in roles:
    template = rng.choice(competitors)  # params, tags and other metrics like a run of the learner's
    metrics = {key: value for key, value in template.metrics.items() if math.isfinite(value)}
    metrics[PRIMARY_METRIC] = values[role]
    tags = {key: value for key, value in template.tags.items() if not key.startswith("mlflow.") and key != BEST_TAG}
    if role == "stale":
        tags[BEST_TAG] = BEST_VALUE
    run_id = create_run(server, experiment, names[role])
    log_batch(server, run_id, metrics=metrics, params=template.params, tags=tags)
    if role != "running":
        finish_run(server, run_id)
    state["probes"][role] = run_id

state["learner_runs"] = {run.run_id: [run.status, repr(run.metrics.get(PRIMARY_METRIC))] for run in runs}
state["leaders"] = [run.run_id for run in competitors if score(run) == top]
state["top"], state["low"] = top, low
state["fingerprint_1"] = fingerprint(server, experiment)
save_state(state)
print(f"{len(values)} probes among {len(competitors)} finished runs")
