"""Grader run 1 of step promote: one registered model of the grader's own per case the gate must
decide, for promote_each_model.sh to run promote.py on.

Each case is a registered model with a name from probe_name() and a random suffix, whose versions
come from runs the grader logs (a decision tree it trained on the lab's deliveries, and a val_mae
it chose) in an experiment of this grading:

- first:           only a challenger (version 1), no champion yet: promote;
- better:          champion version 1, challenger version 2 with a clearly lower val_mae: promote;
- worse:           challenger clearly higher: refuse;
- equal:           challenger exactly as high: promote (at least as good);
- slightly better: lower by 0.001, in the fourth significant digit: promote;
- slightly worse:  higher by 0.001: refuse.

Each run also gets a val_rmse, and it disagrees with val_mae wherever there is a champion: the
challengers the rule promotes have a higher val_rmse than their champion, those it refuses a lower
one. A gate that compares the wrong metric decides every such case the wrong way round.

Champions' val_mae lie between 3 and 6 minutes, so a gate that compares with a fixed number such
as the learner's own champion's (about 2.3) refuses every challenger but the best; the slight
cases keep both values equal when rounded to two decimals, so a gate that rounds that much
promotes the slightly worse challenger.

Writes models.txt (the models' names, shuffled) into the challenge folder and plan.json (each
case's versions, values and the decision the rule demands) into state_dir().

Runs as the grader: it makes the registry state the learner's promote.py is tested against.
"""
import json
import time

import numpy as np

import lab_data
import registry_probe as registry
from academy_check import challenge_dir, probe_name, random_seed, state_dir
from expectations import CHALLENGER, CHAMPION, METRIC, MODELS_FILE, PLAN_FILE, SECOND_METRIC

rng = np.random.default_rng(random_seed())


def slight_pair(step: float) -> tuple[float, float]:
    """A champion's val_mae and a challenger's `step` away, both the same to two decimals."""
    champion = round(float(rng.integers(300, 600)) / 100 + float(rng.uniform(0.0011, 0.0039)), 6)
    return champion, round(champion + step, 6)


def champion_value() -> float:
    return round(float(rng.uniform(3.0, 6.0)), 6)


cases = []
for kind, expect in (("first", "promote"), ("better", "promote"), ("worse", "refuse"), ("equal", "promote"),
                     ("slightly better", "promote"), ("slightly worse", "refuse")):
    if kind == "first":
        values = (None, round(float(rng.uniform(2.4, 6.0)), 6))
    elif kind == "better":
        champion = champion_value()
        values = (champion, round(champion * float(rng.uniform(0.8, 0.9)), 6))
    elif kind == "worse":
        champion = champion_value()
        values = (champion, round(champion * float(rng.uniform(1.15, 1.4)), 6))
    elif kind == "equal":
        champion = champion_value()
        values = (champion, champion)
    else:
        values = slight_pair(-0.001 if kind == "slightly better" else 0.001)
    champion_rmse = None if values[0] is None else round(values[0] * float(rng.uniform(1.25, 1.35)), 6)
    if champion_rmse is None:
        challenger_rmse = round(values[1] * float(rng.uniform(1.25, 1.35)), 6)
    else:
        # The other metric says the opposite of val_mae: worse for a challenger to promote, better
        # for one to refuse.
        factor = rng.uniform(1.05, 1.15) if expect == "promote" else rng.uniform(0.85, 0.95)
        challenger_rmse = round(champion_rmse * float(factor), 6)
    cases.append({"kind": kind, "expect": expect, "values": values, "rmse": (champion_rmse, challenger_rmse)})

features, target = lab_data.deliveries()
sklearn_version = lab_data.sklearn_version()
experiment_id = registry.create_experiment(probe_name("gate-runs"))
base = probe_name("gate")
start = int(time.time() * 1000) - 60_000
for number, case in enumerate(cases):
    case["model"] = f"{base}-{int(rng.integers(1 << 24)):06x}"
    registry.create_model(case["model"])
    versions = []
    for value, rmse in zip(case["values"], case["rmse"]):
        if value is None:
            versions.append(None)
            continue
        tree = lab_data.train_tree(features, target, rng, int(rng.integers(3, 9)))
        start += 1000
        run = registry.log_run(
            experiment_id, f"tree-max_depth={tree.max_depth}", start,
            {"model": "tree", "max_depth": tree.max_depth, "min_samples_leaf": tree.min_samples_leaf},
            {METRIC: value, SECOND_METRIC: rmse},
            lab_data.pickled(tree), sklearn_version,
        )
        versions.append(registry.register(case["model"], run))
    case["champion"], case["challenger"] = versions
    if case["champion"] is not None:
        registry.set_alias(case["model"], CHAMPION, case["champion"])
    registry.set_alias(case["model"], CHALLENGER, case["challenger"])

order = [case["model"] for case in cases]
order = [order[i] for i in rng.permutation(len(order))]
(challenge_dir() / MODELS_FILE).write_text("".join(name + "\n" for name in order))
plan = {"experiment_id": experiment_id, "cases": cases}
(state_dir() / PLAN_FILE).write_text(json.dumps(plan))
print(f"{len(cases)} registered models: {', '.join(case['kind'] for case in cases)}")
