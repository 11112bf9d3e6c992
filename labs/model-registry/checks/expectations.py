"""What the lab asks for; shared by the lab's checks and grader runs. Keep in step with the step
texts (steps/*.mdx), the starter files and promote_each_model.sh (a learner script, which cannot
import this file).

Every check works on experiments and registered models the grader makes for that grading (their
names come from probe_name()), never on the learner's own delivery-eta: the learner's scripts read
the names from the environment variables below, which default to delivery-eta.
"""

METRIC = "val_mae"  # lower is better
SECOND_METRIC = "val_rmse"
MODEL_FOLDER = "model"  # where train.py logs each model: runs:/<run id>/model
CHALLENGER = "challenger"
CHAMPION = "champion"

# The environment variables the scripts read, and the file of the challenge folder that sets them
# for a learner run: `env $(cat "$ACADEMY_CHALLENGE/registry.env") python3 <script>`.
EXPERIMENT_VARIABLE = "EXPERIMENT_NAME"
MODEL_VARIABLE = "MODEL_NAME"
ORDERS_VARIABLE = "ORDERS_PATH"
ENV_FILE = "registry.env"

# Step 1: register_best.py.
REGISTER_SCRIPT = "register_best.py"

# Step 2: promote.py, run once per registered model named in models.txt by promote_each_model.sh,
# which prints one line per model: ACADEMY_GATE=<n> <model name> <exit status>, and leaves
# promote.py's output in gate-<n>.log.
PROMOTE_SCRIPT = "promote.py"
MODELS_FILE = "models.txt"
GATE_MARKER = "ACADEMY_GATE="
GATE_LOG = "gate-{n}.log"

# Step 3: predict.py's output.
PREDICT_SCRIPT = "predict.py"
PREDICTIONS = "predictions.csv"
ID_COLUMN = "order_id"
PREDICTION_COLUMN = "predicted_minutes"

# What the grader keeps in state_dir() between its runs and the check.
PLAN_FILE = "plan.json"
