"""Grader run 1 of step serve-champion: a registered model of the grader's own, fresh orders, and the
answers.

- Four decision trees trained on the lab's deliveries (lab_data.py), each logged as a run of an
  experiment of this grading and registered as versions 1 to 4 of a registered model of this
  grading, all with names from probe_name().
- @champion on one of versions 1 to 3 (chosen at random); another of them in the legacy
  Production stage, and @challenger on version 4, the newest: a predict.py that loads by stage,
  "latest" or @challenger predicts with another model than the champion's.
- 30 to 60 fresh orders, drawn like the lab's, with random order ids, in a file of the challenge
  folder with a random name.
- registry.env in the challenge folder: MODEL_NAME and ORDERS_PATH for the learner runs.
- plan.json in state_dir(): the names, which version holds @champion before and after
  move_champion.py, and each version's own predictions for the orders: the reference.

Runs as the grader: it trains the models itself, so it knows their predictions without loading
anything the learner made.
"""
import json
import time

import numpy as np

import lab_data
import registry_probe as registry
from academy_check import challenge_dir, probe_name, random_seed, state_dir
from expectations import (CHALLENGER, CHAMPION, ENV_FILE, ID_COLUMN, METRIC, MODEL_VARIABLE,
                          ORDERS_VARIABLE, PLAN_FILE, SECOND_METRIC)

VERSIONS = 4
# Two versions "differ" when their predictions differ by more than this on at least half of the
# orders: far above the rounding to two decimals the check allows (0.005), so the check can always
# tell which version a predictions.csv came from.
CLEAR_DIFFERENCE_MINUTES = 0.05

rng = np.random.default_rng(random_seed())
features, target = lab_data.deliveries()

# Fresh orders, written as the lab's CSVs are; the reference predicts on the values read back from
# that text, exactly what predict.py reads.
count = int(rng.integers(30, 61))
drawn = lab_data.make_orders(rng, count)
order_ids = [f"Q{number}" for number in rng.choice(np.arange(10000, 100000), count, replace=False)]
rows = [[lab_data.csv_cell(name, value) for name, value in zip(lab_data.FEATURES, row)] for row in drawn]
orders_path = challenge_dir() / f"{probe_name('orders')}.csv"
orders_path.write_text(
    ",".join([ID_COLUMN, *lab_data.FEATURES]) + "\n"
    + "".join(",".join([order_id, *row]) + "\n" for order_id, row in zip(order_ids, rows))
)
orders = np.array([[float(cell) for cell in row] for row in rows])


def distinct(predictions: list[np.ndarray], candidate: np.ndarray) -> bool:
    """Whether `candidate` differs clearly from each earlier model and from any constant."""
    if len(np.unique(np.round(candidate, 2))) < 3:
        return False
    return all(np.mean(np.abs(candidate - other) > CLEAR_DIFFERENCE_MINUTES) >= 0.5 for other in predictions)


trees, predictions = [], []
for depth in rng.permutation(np.arange(3, 11)):
    tree = lab_data.train_tree(features, target, rng, int(depth))
    predicted = lab_data.predict(tree, orders)
    if distinct(predictions, predicted):
        trees.append(tree)
        predictions.append(predicted)
    if len(trees) == VERSIONS:
        break
if len(trees) < VERSIONS:
    raise SystemExit("could not train four clearly different trees")

sklearn_version = lab_data.sklearn_version()
experiment_id = registry.create_experiment(probe_name("serving"))
model_name = probe_name("delivery-eta")
registry.create_model(model_name)
now = int(time.time() * 1000)
versions, reference = [], {}
for n, (tree, predicted) in enumerate(zip(trees, predictions)):
    error = round(float(rng.uniform(2.4, 5.5)), 4)
    run = registry.log_run(
        experiment_id, f"tree-max_depth={tree.max_depth}", now - (VERSIONS - n) * 1000,
        {"model": "tree", "max_depth": tree.max_depth, "min_samples_leaf": tree.min_samples_leaf},
        {METRIC: error, SECOND_METRIC: round(error * 1.3, 4)}, lab_data.pickled(tree), sklearn_version,
    )
    version = registry.register(model_name, run)
    versions.append(version)
    reference[version] = [float(value) for value in predicted]

first, second, in_production = (str(v) for v in rng.permutation(versions[:-1]))
newest = versions[-1]
registry.set_alias(model_name, CHAMPION, first)
registry.set_alias(model_name, CHALLENGER, newest)
registry.set_stage(model_name, in_production, "Production")

(challenge_dir() / ENV_FILE).write_text(f"{MODEL_VARIABLE}={model_name}\n{ORDERS_VARIABLE}={orders_path}\n")
plan = {
    "model_name": model_name,
    "experiment_id": experiment_id,
    "order_ids": order_ids,
    "first": first,
    "second": second,
    "in_production": in_production,
    "newest": newest,
    "reference": reference,
}
(state_dir() / PLAN_FILE).write_text(json.dumps(plan))
print(f"{count} orders; {VERSIONS} versions; @champion on {first}, then {second}")
