"""What the lab asks for; shared by the lab's checks. Keep in step with the step texts
(steps/*.mdx), the starter files and the scripts the steps run as the learner
(offer_worse_challenger.py, plan_champion_swap.py, move_champion_to_other.py,
restore_champion_and_predict.py), which cannot import this file."""

EXPERIMENT = "delivery-eta"
MODEL_NAME = "delivery-eta"
METRIC = "val_mae"  # lower is better
MODEL_ARTIFACT = "model"  # where train.py logs each model: runs:/<run id>/model
CHALLENGER = "challenger"
CHAMPION = "champion"

# Step 2: the worse candidate the check offers promote.py (a version tagged so, reused across
# checks) and the line offer_worse_challenger.py prints:
# {"version": "7", "val_mae": 5.2, "champion_val_mae": 2.3}, or "none" when there is no champion
# or no worse run.
DECOY_TAG = "academy_check"
DECOY_MARKER = "ACADEMY_DECOY="

# Step 3: predict.py's input and output, and what the scripts print: the plan
# {"champion": "6", "other": "1"} (or "none"), and each version's own predictions for the orders,
# {"6": [27.8, ...], "1": [...]}.
NEW_ORDERS = "data/new_orders.csv"
PREDICTIONS = "predictions.csv"
ID_COLUMN = "order_id"
PREDICTION_COLUMN = "predicted_minutes"
SWAP_MARKER = "ACADEMY_SWAP="
REFERENCE_MARKER = "ACADEMY_REFERENCE="
# While the check points @champion elsewhere, the registered model carries this tag holding the
# champion's version, so the alias can be put back even if a run was cut short.
RESTORE_TAG = "academy_champion_before_check"
OTHER_TAG = "academy_check_other"  # and this one the version @champion is moved to
