"""Grader run 1 of step register-best: an experiment of the grader's own, full of runs to rank, and an
empty registered model name for register_best.py to register into.

The experiment (a name from probe_name()) gets five to seven finished runs and one failed run, each
with a decision tree the grader trained on the lab's deliveries (lab_data.py) in model/, as
train.py logs it, and with a val_mae and val_rmse the grader chose at random:
- the best finished run (lowest val_mae) is neither the newest nor the oldest run, nor the one with
  the lowest val_rmse, so a script that takes the newest, the first or the wrong metric misses it;
- the failed run has an even lower val_mae, so a script that does not keep to finished runs
  registers it.

Writes registry.env into the challenge folder (EXPERIMENT_NAME and MODEL_NAME, for the learner
run) and plan.json into state_dir() (the runs and which one is best).

Runs as the grader: it makes the runs the learner's register_best.py is tested against.
"""
import json
import time

import numpy as np

import lab_data
import registry_probe as registry
from academy_check import challenge_dir, probe_name, random_seed, state_dir
from expectations import ENV_FILE, EXPERIMENT_VARIABLE, METRIC, MODEL_VARIABLE, PLAN_FILE, SECOND_METRIC

rng = np.random.default_rng(random_seed())
finished = int(rng.integers(5, 8))

# val_mae of the finished runs, distinct, lowest first; the failed run beats them all.
errors = sorted(round(float(value), 4) for value in rng.uniform(2.4, 6.0, finished))
while len(set(errors)) < finished or errors[1] - errors[0] < 0.01:
    errors = sorted(round(float(value), 4) for value in rng.uniform(2.4, 6.0, finished))
failed_error = round(errors[0] - float(rng.uniform(0.2, 0.6)), 4)
# val_rmse: the best run's is higher than another finished run's.
rmse = [round(error * float(rng.uniform(1.2, 1.35)), 4) for error in errors]
rmse[0] = round(max(rmse) + float(rng.uniform(0.1, 0.5)), 4)

# Creation order: the best run is neither the first nor the last finished run.
order = list(rng.permutation(np.arange(1, finished)))
order.insert(int(rng.integers(1, finished - 1)), 0)
runs = [{"rank": int(rank), "status": "FINISHED", METRIC: errors[rank], SECOND_METRIC: rmse[rank]}
        for rank in order]
runs.insert(int(rng.integers(0, len(runs) + 1)),
            {"rank": None, "status": "FAILED", METRIC: failed_error, SECOND_METRIC: round(failed_error * 1.3, 4)})

features, target = lab_data.deliveries()
sklearn_version = lab_data.sklearn_version()
experiment = probe_name("runs")
experiment_id = registry.create_experiment(experiment)
start = int(time.time() * 1000) - 60_000 * len(runs)
for number, planned in enumerate(runs):
    depth = int(rng.integers(3, 11))
    tree = lab_data.train_tree(features, target, rng, depth)
    name = f"tree-max_depth={depth}-min_samples_leaf={tree.min_samples_leaf}"
    logged = registry.log_run(
        experiment_id, name, start + number * 60_000,
        {"model": "tree", "max_depth": depth, "min_samples_leaf": tree.min_samples_leaf},
        {METRIC: planned[METRIC], SECOND_METRIC: planned[SECOND_METRIC]},
        lab_data.pickled(tree), sklearn_version, status=planned["status"],
    )
    planned.update(logged, name=name)

model_name = probe_name("delivery-eta")
(challenge_dir() / ENV_FILE).write_text(f"{EXPERIMENT_VARIABLE}={experiment}\n{MODEL_VARIABLE}={model_name}\n")
plan = {"experiment": experiment, "experiment_id": experiment_id, "model_name": model_name, "runs": runs,
        "best": next(run for run in runs if run["rank"] == 0)["run_id"]}
(state_dir() / PLAN_FILE).write_text(json.dumps(plan))
print(f"{len(runs)} runs in {experiment}")
