"""What the lab asks the learner to log; shared by the lab's checks. Keep in step with the step
texts (steps/*.mdx) and step 4's probe scripts (probe_*.py), which cannot import this file."""

EXPERIMENT = "late-orders"
DATA_FILE = "data/orders.csv"
TARGET = "late"
# The columns train.py learns from, in the order of data/orders.csv.
FEATURES = (
    "distance_km",
    "items",
    "prep_minutes",
    "hour",
    "is_weekend",
    "raining",
    "courier_months",
    "promised_minutes",
)

# Step 1: one run with these params, metrics (as train.py prints them), tag and artifact.
HYPERPARAMETERS = ("n_estimators", "learning_rate", "max_depth")
METRICS = ("val_auc", "val_accuracy")
DATA_TAG = "data_sha256"
IMPORTANCES_ARTIFACT = "feature_importances.json"

# Step 2: the learning curve, one value per boosting round, and the round where it is lowest.
CURVE_METRIC = "val_log_loss"
BEST_ROUND_METRIC = "best_round"

# Step 3: a sweep of at least this many runs with different hyperparameters.
MIN_SWEEP_RUNS = 4

# Step 4: exactly the finished run with the highest PRIMARY_METRIC carries BEST_TAG=BEST_VALUE.
PRIMARY_METRIC = "val_auc"
BEST_TAG = "best"
BEST_VALUE = "true"
# Lines step 4's probe scripts print (probe_*.py): the probe run's id ("none" when there is nothing
# to compete with), the probe's best tag after each tag_best.py and which runs carried best=true
# after the first.
PROBE_MARKER = "ACADEMY_PROBE="
PROBE_AFTER_FIRST_MARKER = "ACADEMY_PROBE_AFTER_FIRST="
PROBE_AFTER_SECOND_MARKER = "ACADEMY_PROBE_AFTER_SECOND="
TAGGED_AFTER_FIRST_MARKER = "ACADEMY_TAGGED_AFTER_FIRST="
