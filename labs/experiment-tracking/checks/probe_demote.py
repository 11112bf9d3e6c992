"""Grader run 2 of step tag-best, after the first `python3 tag_best.py`: keeps in state_dir() which
runs carry the best tag now and a fingerprint of every run (to see whether tag_best.py changed
anything but tags), then makes the better and tied probes worse than every run of the learner's, so
the second `python3 tag_best.py` must give the tag back to the learner's best run, and takes a new
fingerprint. Runs as the grader: it changes the server between two runs of the learner's script."""
import random

from academy_check import random_seed
from expectations import PRIMARY_METRIC
from probes import best_tags, connect, fingerprint, load_state, log_batch, save_state

state = load_state()
if state.get("probes"):
    rng = random.Random(random_seed() + 1)
    server = connect()
    experiment = state["experiment_id"]
    state["tags_1"] = best_tags(server, experiment)
    state["seen_2"] = fingerprint(server, experiment)
    lowest = state["low"]  # the lowest val_auc of the learner's finished runs
    for role in ("better", "tie"):
        # At a later step, so this becomes the run's latest val_auc, whatever the clocks say.
        log_batch(server, state["probes"][role], metrics={PRIMARY_METRIC: lowest * rng.uniform(0.6, 0.95)}, step=1)
    state["fingerprint_2"] = fingerprint(server, experiment)
    save_state(state)
    print("probes made worse")
