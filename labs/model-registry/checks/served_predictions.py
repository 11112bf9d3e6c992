"""Step 3: predict.py predicts with whichever version holds @champion when it runs.

The step's runs (lab.yaml): 1 (make_serving_challenge.py, as the grader) registers four decision
trees it trained as versions of a registered model of this grading, puts @champion on one of them
and writes fresh orders; 2 runs `python3 predict.py` with MODEL_NAME and ORDERS_PATH naming them;
3 (move_champion.py, as the grader) moves @champion to another version; 4 runs predict.py again.
The grader knows each version's predictions (plan.json): predictions.csv of run 2 must be those of
the first champion, and of run 4 those of the second. Nothing of the learner's is loaded here.
Finally the check deletes the grading's model, runs and experiment.
"""
import csv
import io
import json
import math

import registry_probe as registry
from academy_check import Check, decimals, read_text, state_dir, to_number
from expectations import (CHAMPION, ID_COLUMN, MODEL_VARIABLE, ORDERS_VARIABLE, PLAN_FILE,
                          PREDICT_SCRIPT, PREDICTION_COLUMN, PREDICTIONS)

LABEL = f"`python3 {PREDICT_SCRIPT}`"

check = Check()
setup, first_run, move, second_run = check.require_runs(4)
if setup.as_user != "grader" or setup.exit_code != 0 or move.as_user != "grader":
    print(f"served_predictions: the challenge was not made: {setup.problem()}\n{setup.stderr[-3000:]}")
    check.error()
plan = json.loads((state_dir() / PLAN_FILE).read_text())
order_ids = plan["order_ids"]
reference = plan["reference"]
first, second = plan["first"], plan["second"]


def read_predictions(run, when: str) -> tuple[list[str] | None, str | None]:
    """The predicted_minutes texts of the run's predictions.csv, in order, or a problem with the file."""
    path = run.path(PREDICTIONS)
    if not path.exists() and not path.is_symlink():
        return None, f"{LABEL} did not write {PREDICTIONS} in the folder it ran in{when}."
    if not run.written_during_run(PREDICTIONS):
        return None, (f"{PREDICTIONS} is older than the check's run of {LABEL}{when}; make {PREDICT_SCRIPT} "
                      "write it every time it runs.")
    rows = list(csv.DictReader(io.StringIO(read_text(path, PREDICTIONS))))
    columns = list(rows[0].keys()) if rows else []
    for column in (ID_COLUMN, PREDICTION_COLUMN):
        if column not in columns:
            found = ", ".join(str(name) for name in columns) or "none"
            return None, (f"{PREDICTIONS} has no {column} column{when} (its columns: {found[:200]}); write the "
                          f"columns {ID_COLUMN} and {PREDICTION_COLUMN}.")
    ids = [row[ID_COLUMN] for row in rows]
    if ids != order_ids:
        return None, (
            f"{PREDICTIONS}{when} has {len(ids)} rows, with the {ID_COLUMN}s {', '.join(ids[:3])[:80]}…; expected "
            f"one row per order of the file ${ORDERS_VARIABLE} names ({len(order_ids)} orders: "
            f"{', '.join(order_ids[:3])}…), in the same order. Read the orders from ${ORDERS_VARIABLE}."
        )
    return [row[PREDICTION_COLUMN] or "" for row in rows], None


def mismatch(written: list[str], expected: list[float]) -> tuple[str, str, float] | None:
    """The first (order id, written value, expected value) that disagree, or None.

    Tolerance: the learner's predict.py loads the very model the grader trained and predicts on the
    same numbers, so a correct predictions.csv holds the grader's values exactly, or rounded by the
    learner: a value agrees when it is within half a unit of its last written decimal (at least two
    decimals, at most six; 46.0 for 45.996 is fine, a CSV writer drops trailing zeros). Any other
    version, or a constant, misses by more than 0.05 minutes on at least half of the orders
    (make_serving_challenge.py makes sure of that), so it can never agree everywhere.
    """
    for order_id, text, value in zip(order_ids, written, expected):
        number = to_number(text)
        if number is None or not math.isfinite(number):
            return order_id, text, value
        places = min(max(decimals(text.strip()) or 0, 2), 6)
        if abs(number - value) > 0.5 * 10.0 ** -places + 1e-9:
            return order_id, text, value
    return None


def whose(written: list[str]) -> str | None:
    """Which version of the grading's model predicts exactly these numbers, if one does."""
    return next((version for version in reference if not mismatch(written, reference[version])), None)


def describe(version: str) -> str:
    if version == plan["newest"]:
        return f"version {version}, the newest version, which holds @challenger"
    if version == plan["in_production"]:
        return f"version {version}, the one in the legacy Production stage"
    return f"version {version}"


def compare(written: list[str], champion: str, when: str) -> str | None:
    """None when the predictions are the champion's; else what is wrong, for the learner."""
    wrong = mismatch(written, reference[champion])
    if wrong is None:
        return None
    order_id, text, value = wrong
    if to_number(text) is None or not math.isfinite(to_number(text)):
        return f"{PREDICTIONS}{when} has '{text[:30]}' as the {PREDICTION_COLUMN} of order {order_id}; write a number."
    if (decimals(text.strip()) or 0) < 2 and abs(to_number(text) - value) < 0.5:
        return (f"{PREDICTIONS}{when} has {text} as the {PREDICTION_COLUMN} of order {order_id}, rounded too much: "
                "write the predictions unrounded, or with at least two decimals.")
    other = whose(written)
    if other is not None:
        return (f"{PREDICTIONS}{when} holds the predictions of {describe(other)}, but @{CHAMPION} pointed at "
                f"version {champion}. Serve the version that holds @{CHAMPION} of the model named by "
                f"${MODEL_VARIABLE} at the moment {PREDICT_SCRIPT} runs.")
    return (f"{PREDICTIONS}{when} says order {order_id} takes {text} minutes, but version {champion}, which held "
            f"@{CHAMPION}, predicts {value:.2f}, and no version of the check's model predicts these numbers. "
            f"Predict every order of ${ORDERS_VARIABLE} with the model that @{CHAMPION} of ${MODEL_VARIABLE} "
            "points to.")


try:
    check.require_success(first_run, LABEL)
    written, problem = read_predictions(first_run, "")
    check.detail(PREDICTIONS, problem is None, problem or "",
                 pass_message=f"{PREDICTIONS} has one row per order ({len(order_ids)}), in order.")
    if problem:
        check.fail(problem)
    problem = compare(written, first, "")
    check.detail("champion's predictions", problem is None, problem or "",
                 pass_message=f"{PREDICTIONS} holds the predictions of version {first}, the @{CHAMPION}.")
    if problem:
        check.fail(problem)

    when = f" (after the check moved @{CHAMPION} to version {second})"
    if move.exit_code != 0:
        problem = (f"After the first run of {LABEL}, the check could not move @{CHAMPION} of its model to version "
                   f"{second}: the model or its versions had changed. {PREDICT_SCRIPT} should only read the registry.")
    elif second_run.problem(LABEL):
        problem = f"{second_run.problem(LABEL)}{when}"
    else:
        moved, problem = read_predictions(second_run, when)
        if problem is None and compare(moved, second, when):
            if not mismatch(moved, reference[first]):
                problem = (f"When the check moved @{CHAMPION} from version {first} to version {second}, "
                           f"{PREDICT_SCRIPT} still predicted with version {first}. Ask the registry which version "
                           f"holds @{CHAMPION} every time {PREDICT_SCRIPT} runs, rather than a fixed version, a run, "
                           "a stage or a saved copy.")
            else:
                problem = compare(moved, second, when)
    check.detail(f"follows @{CHAMPION}", problem is None, problem or "",
                 pass_message=f"After the check moved @{CHAMPION} to version {second}, {PREDICT_SCRIPT} served it.")
    check.done(
        f"{PREDICT_SCRIPT} predicted {len(order_ids)} fresh orders with version {first}, the @{CHAMPION} "
        f"(order {order_ids[0]}: {reference[first][0]:.1f} minutes), and with version {second} once the check "
        f"moved @{CHAMPION} there."
    )
finally:
    registry.clean_up([plan["experiment_id"]], [plan["model_name"]])
