"""Step 3: predict.py writes predictions.csv (order_id, predicted_minutes, one row per new order)
with the model version that @champion points to, and follows the alias when it moves.

The step's runs (lab.yaml): 1 notes @champion and another version with a different model, 2 runs
predict.py, 3 points @champion at the other version, 4 runs predict.py again, and 5 puts @champion
back and prints each version's own predictions (computed as the learner: a check never unpickles a
model); 1, 3 and 5 are the scripts plan_champion_swap.py, move_champion_to_other.py and
restore_champion_and_predict.py. This check puts @champion back too, in case a run was cut short.
"""
import csv
import io
import json
import math

from academy_check import Check, decimals, read_text, to_number
from expectations import (
    CHAMPION,
    ID_COLUMN,
    MODEL_NAME,
    NEW_ORDERS,
    PREDICTION_COLUMN,
    PREDICTIONS,
    REFERENCE_MARKER,
    SWAP_MARKER,
)
from registry_state import restore_champion
from academy_tracking import TrackingServer

SCRIPT = "predict.py"

check = Check()
plan, as_champion, _, as_other, restore = check.require_runs(5)
server = TrackingServer(check)
restore_champion(server)

swap_text = plan.marker(SWAP_MARKER)
if swap_text == "none":
    check.fail(f"'{MODEL_NAME}' has no @{CHAMPION} yet, so there is nothing to serve: finish step 2 first.")
try:
    swap = json.loads(swap_text or "null")
    reference = json.loads(restore.marker(REFERENCE_MARKER) or "null")
except ValueError:
    swap = reference = None
if not isinstance(swap, dict) or not isinstance(reference, dict):
    for run in (plan, restore):
        print(f"served_predictions: {run.problem()} {run.stderr[-2000:]}")
    check.error()
champion, other = str(swap["champion"]), swap.get("other")

check.require_success(as_champion)

order_ids = [row[ID_COLUMN] for row in csv.DictReader(io.StringIO(read_text(as_champion.path(NEW_ORDERS), NEW_ORDERS)))]


def read_predictions(run, when: str) -> list[str]:
    """The predicted_minutes texts of predictions.csv, in order, after checking its shape."""
    path = run.path(PREDICTIONS)
    if not path.exists() and not path.is_symlink():
        check.fail(f"`python3 {SCRIPT}` did not write {PREDICTIONS} in the folder it ran in{when}.")
    if not run.written_during_run(PREDICTIONS):
        check.fail(f"{PREDICTIONS} is older than the check's run of `python3 {SCRIPT}`{when}; make {SCRIPT} "
                   "write it every time it runs.")
    rows = list(csv.DictReader(io.StringIO(read_text(path, PREDICTIONS))))
    columns = list(rows[0].keys()) if rows else []
    for column in (ID_COLUMN, PREDICTION_COLUMN):
        if column not in columns:
            check.fail(f"{PREDICTIONS} has no {column} column (its columns: {', '.join(map(str, columns)) or 'none'}); "
                       f"write the columns {ID_COLUMN} and {PREDICTION_COLUMN}.")
    ids = [row[ID_COLUMN] for row in rows]
    if ids != order_ids:
        check.fail(f"{PREDICTIONS} has {len(ids)} rows with the {ID_COLUMN}s {', '.join(ids[:3])}…; expected one row "
                   f"per order of {NEW_ORDERS}, in the same order ({len(order_ids)} rows: "
                   f"{', '.join(order_ids[:3])}…).")
    return [row[PREDICTION_COLUMN] or "" for row in rows]


def mismatch(written: list[str], expected: list[float]) -> tuple[str, str, float] | None:
    """The first (order id, written value, expected value) that disagree, or None. A value may be
    rounded to two decimals (46.0 for 45.996 is fine: a CSV writer drops trailing zeros)."""
    for order_id, text, value in zip(order_ids, written, expected):
        number = to_number(text)
        if number is None or not math.isfinite(number):
            return order_id, text, value
        places = min(max(decimals(text.strip()) or 0, 2), 6)
        if abs(number - value) > 0.5 * 10.0 ** -places + 1e-9:
            return order_id, text, value
    return None


written = read_predictions(as_champion, "")
wrong = mismatch(written, reference[champion])
if wrong:
    order_id, text, value = wrong
    if to_number(text) is None:
        check.fail(f"{PREDICTIONS} has '{text[:30]}' as the {PREDICTION_COLUMN} of {order_id}; write a number.")
    if (decimals(text.strip()) or 0) < 2:
        check.fail(f"{PREDICTIONS} has {text} as the {PREDICTION_COLUMN} of {order_id}; write the predictions "
                   "unrounded, or with at least two decimals.")
    check.fail(
        f"{PREDICTIONS} says order {order_id} takes {text} minutes, but version {champion}, the "
        f"@{CHAMPION}, predicts {value:.2f}; predict with the model that models:/{MODEL_NAME}@{CHAMPION} loads."
    )

if not other:
    check.fail(
        f"To test that {SCRIPT} follows @{CHAMPION}, the check needs another version of '{MODEL_NAME}' with a "
        "different model, and there is none: finish step 2 (it leaves an archived version and a refused one)."
    )
other = str(other)
check.require_success(as_other, f"`python3 {SCRIPT}` (with @{CHAMPION} moved to version {other})")
moved = read_predictions(as_other, f" while @{CHAMPION} pointed at version {other}")
if mismatch(moved, reference[other]):
    if not mismatch(moved, reference[champion]):
        check.fail(
            f"When the check pointed @{CHAMPION} at version {other} for a moment, {SCRIPT} still predicted with "
            f"version {champion}: load the model through models:/{MODEL_NAME}@{CHAMPION} each time it runs, "
            "rather than a fixed version, stage, run or file."
        )
    order_id, text, value = mismatch(moved, reference[other])
    check.fail(
        f"When the check pointed @{CHAMPION} at version {other} for a moment, {PREDICTIONS} said order "
        f"{order_id} takes {text} minutes, but version {other} predicts {value:.2f}; load the model through "
        f"models:/{MODEL_NAME}@{CHAMPION}."
    )

check.done(
    f"{SCRIPT} wrote {len(order_ids)} predictions with version {champion}, the @{CHAMPION} (order "
    f"{order_ids[0]}: {reference[champion][0]:.1f} minutes), and switched to version {other} when the check "
    f"pointed @{CHAMPION} there for a moment."
)
