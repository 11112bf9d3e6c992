"""The learner run of every step of this lab: train.py on the check's orders, then the saved model
on the check's validation orders. In the run's fresh copy of the workspace it:

1. puts the challenge folder's deliveries.csv and validation.csv in place of data/deliveries.csv
   and data/validation.csv, when make_challenge.py wrote them for this grading (make_token.py
   writes only the token: train.py then trains on the lab's own data, and 3 is skipped);
2. runs train.py as `python3 train.py` would, noting the top-level modules that code in the run's
   folder imports itself (not those imported by libraries), and reports each one as it is first
   imported ("import") and all of them once train.py has ended ("imports");
3. loads the model.joblib train.py saved, reports its sha256 and random_state ("model") and its
   predictions for the check's validation orders ("predictions", or "predictions-error").

Each report is one line, `<token> <kind> <JSON>`, with the grading's token read before train.py
starts, written to a copy of stdout taken then, so that it is written even when train.py replaces
sys.stdout.

Runs as the learner because it runs the learner's train.py and unpickles their model: a check,
running as the grader, never does either. Everything it prints is still a claim: the checks
compare it with what they compute from the orders they kept. Run as `python3 -c`, so its own
frames are "<string>" and its imports never count, and the run's folder comes first on sys.path,
as for `python3 train.py`. It cannot import its neighbours in checks/: the file names and the
target column below repeat challenge.py and expectations.py (keep them in step).
"""
import builtins
import hashlib
import importlib
import io
import json
import os
import runpy
import shutil
import sys
import traceback

DATA_FOLDER = "data"
DATA_FILES = ("deliveries.csv", "validation.csv")
MODEL_FILE = "model.joblib"
TARGET = "delivery_minutes"

folder = os.getcwd()
challenge = os.environ["ACADEMY_CHALLENGE"]
with open(os.path.join(challenge, "token")) as token_file:
    token = token_file.read().strip()
report_fd = os.dup(1)


def report(kind, value):
    # On a line of its own, even after text train.py wrote without a newline.
    data = f"\n{token} {kind} {json.dumps(value)}\n".encode()
    while data:
        data = data[os.write(report_fd, data):]


# 1. The check's orders, in place of the lab's (a link at these paths is replaced, not followed).
with_orders = all(os.path.isfile(os.path.join(challenge, name)) for name in DATA_FILES)
if with_orders:
    if os.path.islink(DATA_FOLDER):
        os.remove(DATA_FOLDER)
    os.makedirs(DATA_FOLDER, exist_ok=True)
    for name in DATA_FILES:
        target = os.path.join(DATA_FOLDER, name)
        if os.path.lexists(target) and not os.path.isdir(target):
            os.remove(target)
        shutil.copyfile(os.path.join(challenge, name), target)

# 2. train.py, with its own imports noted.
imported = set()


def note(name, depth):
    """Counts `name` if the code importing it, `depth` frames above note's caller, is a file in
    the run's folder."""
    try:
        source = sys._getframe(depth + 1).f_code.co_filename
    except ValueError:
        return
    if source.startswith("<"):
        return
    if os.path.abspath(os.path.join(folder, source)).startswith(folder + os.sep):
        module = name.partition(".")[0]
        if module not in imported:
            imported.add(module)
            # Reported at once, not only at the end: train.py cannot take back a module it imported
            # by ending the process early, nor import one unseen by closing the report's output.
            try:
                report("import", module)
            except OSError:
                try:
                    os.write(2, b"train.py closed an output it did not open; the check cannot see its imports.\n")
                finally:
                    os._exit(70)


real_import, real_import_module = builtins.__import__, importlib.import_module


def tracking_import(name, globals=None, locals=None, fromlist=(), level=0):
    if level == 0:
        note(name, 1)
    return real_import(name, globals, locals, fromlist, level)


def tracking_import_module(name, package=None):
    if not name.startswith("."):
        note(name, 1)
    return real_import_module(name, package)


status = 0
builtins.__import__, importlib.import_module = tracking_import, tracking_import_module
try:
    sys.argv = ["train.py"]
    runpy.run_path("train.py", run_name="__main__")
except SystemExit as stop:
    if stop.code not in (None, 0):
        status = stop.code if isinstance(stop.code, int) else 1
        if not isinstance(stop.code, int):
            print(stop.code, file=sys.stderr)
except BaseException:  # noqa: BLE001 - reported as `python3 train.py` would, then the run fails
    traceback.print_exc()
    status = 1
finally:
    builtins.__import__, importlib.import_module = real_import, real_import_module
    sys.stdout.flush()
    sys.stderr.flush()
    report("imports", sorted(imported))
if status or not with_orders:
    sys.exit(status)

# 3. The saved model on the check's validation orders.
try:
    with open(MODEL_FILE, "rb") as model_file:
        model_bytes = model_file.read()
    import joblib
    import numpy
    import pandas

    model = joblib.load(io.BytesIO(model_bytes))
    seed = None
    if hasattr(model, "get_params"):
        seed = model.get_params().get("random_state")
        seed = int(seed) if isinstance(seed, (int, numpy.integer)) and not isinstance(seed, bool) else None
    report("model", {"sha256": hashlib.sha256(model_bytes).hexdigest(), "random_state": seed})
    orders = pandas.read_csv(os.path.join(challenge, DATA_FILES[1])).drop(columns=[TARGET])
    predictions = [float(value) for value in numpy.ravel(model.predict(orders))]
except Exception as problem:  # noqa: BLE001 - any failure is the learner's model's, reported as such
    name = MODEL_FILE if isinstance(problem, FileNotFoundError) else type(problem).__name__
    detail = f"{name} was not found" if isinstance(problem, FileNotFoundError) else f"{name}: {problem}"
    report("predictions-error", detail[:300])
else:
    report("predictions", predictions)
