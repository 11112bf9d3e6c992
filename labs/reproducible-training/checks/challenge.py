"""The challenge every step of this lab is graded on, and what the checks read back from it.

At every grading, the grader run make_challenge.py draws new orders: the lab's columns with
effects of their own (the distance, the kitchen time, rain... weigh differently each time, so a
model trained on the lab's own data predicts them badly), a training file and a validation file
of random lengths, and a token no learner can know in advance. (make_token.py makes only the
token, for step 2, whose run trains on the lab's own data.) The learner run run_train.py puts both
files in place of data/deliveries.csv and data/validation.csv in its fresh copy of the workspace,
runs train.py, lets the saved model predict the validation orders and prints one report line per
finding, `<token> <kind> <JSON>`. The checks read only the lines carrying the token, and compare
what they say with what the grader computes itself from the orders it kept.

Standard library only: the grader run and the checks of steps 2 and 3 must start fast.
"""
from __future__ import annotations

import json
import math
import random
from pathlib import Path

from academy_check import Check, Run, challenge_dir, probe_name, random_seed, sha256_file, state_dir
from expectations import FEATURES, MODEL_FILE, TARGET

STATE_FILE = "challenge.json"
TOKEN_FILE = "token"
TRAIN_FILE = "deliveries.csv"
VALIDATION_FILE = "validation.csv"
TRAIN_ROWS = (1400, 1800)
VALIDATION_ROWS = (300, 400)
RUSH_HOURS = (12, 13, 18, 19, 20)
NOISE_MINUTES = 3.5
# The effects behind the lab's own data (dataset/make_deliveries.py), and the ranges the
# challenge draws its own from.
LAB_EFFECTS = {"base": 6.0, "distance_km": 3.1, "prep_minutes": 0.75, "items": 0.6, "rush": 6.0,
               "raining": 5.5, "is_weekend": 2.0, "courier_months": -0.06, "rain_distance": 0.36}
EFFECT_RANGES = {"base": (2.0, 20.0), "distance_km": (1.5, 5.0), "prep_minutes": (0.3, 1.2),
                 "items": (0.0, 2.0), "rush": (0.0, 12.0), "raining": (0.0, 12.0),
                 "is_weekend": (-3.0, 6.0), "courier_months": (-0.2, 0.0), "rain_distance": (0.0, 1.0)}
# Effects are drawn again until, on average over the validation orders, they move the expected
# delivery time at least this far from the lab's own effects (so a model trained on the lab's data
# is far off) and the expected times spread at least this far around their mean (so a constant is
# too).
MIN_SHIFT_MINUTES = 6.0
MIN_SPREAD_MINUTES = 6.0


# ---------------------------------------------------------------------------------------------
# Making the orders (grader run)


def order_features(rng: random.Random) -> dict:
    """One order's features, drawn like dataset/make_deliveries.py draws them."""
    return {
        "distance_km": round(min(max(rng.gammavariate(2.2, 1.6), 0.3), 14.0), 2),
        "items": rng.randint(1, 8),
        "prep_minutes": round(min(max(rng.gauss(14, 5), 4), 40), 1),
        "hour": rng.randint(10, 23),
        "is_weekend": int(rng.random() < 2 / 7),
        "raining": int(rng.random() < 0.18),
        "courier_months": rng.randint(0, 59),
    }


def expected_minutes(effects: dict, order: dict) -> float:
    return (effects["base"]
            + effects["distance_km"] * order["distance_km"]
            + effects["prep_minutes"] * order["prep_minutes"]
            + effects["items"] * order["items"]
            + effects["rush"] * (order["hour"] in RUSH_HOURS)
            + effects["raining"] * order["raining"]
            + effects["is_weekend"] * order["is_weekend"]
            + effects["courier_months"] * order["courier_months"]
            + effects["rain_distance"] * order["raining"] * order["distance_km"])


def draw_effects(rng: random.Random, orders: list[dict]) -> dict:
    """Effects for this grading, drawn again until they are far enough from the lab's own on
    `orders` (the validation orders, where the checks compare predictions)."""
    lab = [expected_minutes(LAB_EFFECTS, order) for order in orders]
    while True:
        effects = {name: rng.uniform(low, high) for name, (low, high) in EFFECT_RANGES.items()}
        expected = [expected_minutes(effects, order) for order in orders]
        shift = sum(abs(e - old) for e, old in zip(expected, lab)) / len(orders)
        mean = sum(expected) / len(expected)
        spread = sum(abs(e - mean) for e in expected) / len(expected)
        if shift >= MIN_SHIFT_MINUTES and spread >= MIN_SPREAD_MINUTES:
            return effects


def with_minutes(rng: random.Random, effects: dict, orders: list[dict]) -> list[list]:
    """The orders as rows in the lab's column order: the features, then delivery_minutes."""
    rows = []
    for order in orders:
        minutes = round(max(expected_minutes(effects, order) + rng.gauss(0, NOISE_MINUTES), 8.0), 1)
        rows.append([order[name] for name in FEATURES] + [minutes])
    return rows


def write_csv(path: Path, rows: list[list]) -> None:
    lines = [",".join((*FEATURES, TARGET))] + [",".join(repr(value) for value in row) for row in rows]
    path.write_text("\n".join(lines) + "\n")


def write_token(token: str) -> None:
    (challenge_dir() / TOKEN_FILE).write_text(token + "\n")


def make_challenge() -> dict:
    """Writes this grading's orders and token into the challenge folder and keeps them in the
    grader's state; returns the state."""
    rng = random.Random(random_seed())
    train = [order_features(rng) for _ in range(rng.randint(*TRAIN_ROWS))]
    validation = [order_features(rng) for _ in range(rng.randint(*VALIDATION_ROWS))]
    effects = draw_effects(rng, validation)
    state = {
        "token": probe_name("report"),
        "train": with_minutes(rng, effects, train),
        "validation": with_minutes(rng, effects, validation),
    }
    write_csv(challenge_dir() / TRAIN_FILE, state["train"])
    write_csv(challenge_dir() / VALIDATION_FILE, state["validation"])
    write_token(state["token"])
    (state_dir() / STATE_FILE).write_text(json.dumps(state))
    return state


def make_token() -> dict:
    """Only a report token, for a step whose run needs no orders of the check's (train.py then
    reads the lab's own data); returns the state."""
    state = {"token": probe_name("report"), "train": [], "validation": []}
    write_token(state["token"])
    (state_dir() / STATE_FILE).write_text(json.dumps(state))
    return state


def load_state() -> dict:
    return json.loads((state_dir() / STATE_FILE).read_text())


# ---------------------------------------------------------------------------------------------
# Reading the reports (checks)


def require_challenge(check: Check, run: Run) -> dict:
    """The state of this grading's challenge; an error when the grader run did not make it."""
    if run.as_user != "grader" or run.exit_code != 0 or not (state_dir() / STATE_FILE).exists():
        print(f"challenge: the grader run did not make the challenge: {run.stderr[-2000:]}")
        check.error()
    return load_state()


def reports(run: Run, token: str) -> dict[str, list]:
    """The report lines run_train.py printed with this grading's token, by kind, in order; a
    value that is not JSON counts as None. Lines without the token are the learner's own."""
    found: dict[str, list] = {}
    for line in run.stdout.splitlines():
        parts = line.split(" ", 2)
        if len(parts) != 3 or parts[0] != token:
            continue
        try:
            value = json.loads(parts[2])
        except ValueError:
            value = None
        found.setdefault(parts[1], []).append(value)
    return found


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def model_predictions(check: Check, run: Run, state: dict, which: str = "the model train.py saved") -> dict:
    """What the model saved by `run` said about the validation orders: {"predictions": [...],
    "random_state": int or None}. Records a failed "model predicts" detail and fails the check
    when there is nothing usable."""
    found = reports(run, state["token"])
    predicted, errors, models = found.get("predictions", []), found.get("predictions-error", []), found.get("model", [])
    count = len(state["validation"])
    problem = None
    if errors and isinstance(errors[0], str):
        problem = f"The check could not get predictions from {which}: {errors[0]}"
    elif len(predicted) != 1 or len(models) != 1:
        problem = ("The check could not read the predictions of the saved model from its run of train.py: "
                   "train.py must run to its end without ending the process itself (os._exit) or "
                   "closing its output, and must not print the check's own report lines.")
    elif not isinstance(predicted[0], list) or len(predicted[0]) != count:
        length = len(predicted[0]) if isinstance(predicted[0], list) else "no"
        problem = (f"{which[0].upper() + which[1:]} gave {length} predictions for the check's {count} "
                   "validation orders; it must predict one delivery time per order.")
    elif not all(is_number(value) for value in predicted[0]):
        problem = f"{which[0].upper() + which[1:]} predicted values that are not finite numbers."
    elif not isinstance(models[0], dict) or models[0].get("sha256") != sha256_file(run.path(MODEL_FILE), MODEL_FILE):
        problem = (f"The {MODEL_FILE} in the run's folder is not the one the check's predictions came from: "
                   "something replaced it after train.py ended.")
    if problem:
        check.detail("model predicts", False, problem)
        check.fail(problem)
    seed = models[0].get("random_state")
    valid_seed = isinstance(seed, int) and not isinstance(seed, bool) and 0 <= seed < 2**32
    return {"predictions": [float(value) for value in predicted[0]], "random_state": seed if valid_seed else None}


# ---------------------------------------------------------------------------------------------
# Metrics, as sklearn.metrics defines them


def truth(state: dict) -> list[float]:
    return [float(row[-1]) for row in state["validation"]]


def metrics(actual: list[float], predicted: list[float]) -> dict[str, float]:
    errors = [a - p for a, p in zip(actual, predicted)]
    mean = math.fsum(actual) / len(actual)
    total = math.fsum((a - mean) ** 2 for a in actual)
    squared = math.fsum(e * e for e in errors)
    return {
        "mae": math.fsum(abs(e) for e in errors) / len(errors),
        "rmse": math.sqrt(squared / len(errors)),
        "r2": 1.0 - squared / total if total else 0.0,
    }


def mean_distance(a: list[float], b: list[float]) -> float:
    return math.fsum(abs(x - y) for x, y in zip(a, b)) / len(a)
