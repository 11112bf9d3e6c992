"""What train.py must produce in this lab; shared by the lab's checks."""

MODEL_FILE = "model.joblib"
METRICS_FILE = "metrics.json"
HASH_KEY = "model_sha256"
# The metrics train.py prints as `name: value` lines, and later also writes to metrics.json.
METRICS = ("mae", "rmse", "r2")
REQUIREMENTS_FILE = "requirements.txt"
# The line step 2's run prints after train.py ends: the top-level modules imported by code in
# the run's folder, as a JSON list. Keep in step with that run's train_and_print_imports.py.
IMPORTS_MARKER = "ACADEMY_IMPORTS="
