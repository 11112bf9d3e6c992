"""What the lab asks the learner to log, and how the grader retrains to check it; shared by the lab's
checks and grader runs. Keep in step with the step texts (steps/*.mdx), workspace/train.py (the
split, the seed, the columns) and the learner commands of lab.yaml, which name orders.csv."""

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

# The split and seed of workspace/train.py (load_splits, SEED): the grader retrains with them.
SEED = 42
VALIDATION_SHARE = 0.25

# Steps 1 to 3: the grader's fresh orders, written into the challenge folder under this name. The
# learner command copies them over data/orders.csv in its copy of the workspace before it runs
# train.py or sweep.py. A random number of rows between these bounds, so that neither the data nor
# its size can be known in advance; fewer rows than the lab's 3,000 keep the retraining quick.
CHALLENGE_FILE = "orders.csv"
CHALLENGE_ROWS = (1200, 1800)
# What the grader keeps in state_dir(): the orders (its own copy), their SHA-256, and the ids of
# every run on the server before the learner's command ran.
STATE_ORDERS = "orders.csv"
STATE_SNAPSHOT = "runs-before.json"

# Step 1: one run with these params, metrics, tag and artifact.
HYPERPARAMETERS = ("n_estimators", "learning_rate", "max_depth")
METRICS = ("val_auc", "val_accuracy")
DATA_TAG = "data_sha256"
IMPORTANCES_ARTIFACT = "feature_importances.json"

# Step 2: the learning curve, one value per boosting round, and the round where it is lowest.
CURVE_METRIC = "val_log_loss"
BEST_ROUND_METRIC = "best_round"

# Step 3: a full grid of at least this many runs with different hyperparameters.
MIN_SWEEP_RUNS = 4
# The grader retrains at most this many runs of a sweep, picked at random when there are more, to
# keep the check quick (each retraining costs about as much as one trial of the learner's sweep).
# A sweep that skips the work on a share of its runs is still caught: every run retrained must
# agree, and which runs are picked changes at every check.
MAX_RETRAINED_RUNS = 4

# How far a logged number may be from the grader's retraining. The grader trains the same
# estimator with the same params, seed, split and rows, with the same scikit-learn, so a correct
# run gives the grader's numbers to the last bit (checked over many fresh datasets). The tolerance
# only lets a learner round what they log to 3 decimals. A dummy model, other params, other rows
# or numbers typed in miss by far more: val_auc moves by about 0.02 between two fresh datasets,
# val_accuracy by whole validation rows (1/300 or more) and each log loss of a curve by 0.01 or
# more between params, and all of them must match at once.
METRIC_TOLERANCE = 6e-4
# Importances are shares that add up to 1; 3 decimals again.
IMPORTANCE_TOLERANCE = 6e-4
# What the grader agrees to retrain: more would take it longer than the step's time limit.
MAX_ROUNDS = 500
MAX_DEPTH = 8

# Step 4: exactly the finished run with the highest PRIMARY_METRIC carries BEST_TAG=BEST_VALUE.
PRIMARY_METRIC = "val_auc"
BEST_TAG = "best"
BEST_VALUE = "true"
# What step 4's grader runs keep in state_dir(): the probes they added and what they saw.
STATE_PROBES = "probes.json"
