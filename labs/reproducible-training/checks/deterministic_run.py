"""Step 1: train.py, run twice on orders made for this grading (make_challenge.py), each time in
a fresh copy of the workspace (run_train.py), prints the same metrics and saves byte-identical
model files. The printed metrics must be those of the saved model on the check's validation
orders, and the model must predict them close to a random forest the check trains itself on the
same orders with the learner's seed: a deterministic model that did not learn from its data
(a constant, a copy of an earlier model) is fake work.
"""
from academy_check import Check, agree_when_rounded, random_seed, sha256_file, short_hash
from challenge import mean_distance, metrics, model_predictions, require_challenge, truth
from expectations import (METRICS, MIN_VALIDATION_MAE_RATIO, MODEL_FILE, PREDICTION_TOLERANCE_MINUTES, TRAIN_DATA,
                          VALIDATION_DATA)

check = Check()
grader_run, *runs = check.require_runs(3)
state = require_challenge(check, grader_run)
ordinals = ("first", "second")
for run, ordinal in zip(runs, ordinals):
    check.require_success(run, f"`python3 train.py` ({ordinal} run)")

# The printed metrics, in both runs.
printed = [run.metrics() for run in runs]
for found, ordinal in zip(printed, ordinals):
    missing = [name for name in METRICS if name not in found]
    if missing:
        check.detail(
            "metrics printed",
            False,
            f"The {ordinal} run of train.py did not print {' or '.join(missing)}; keep printing each "
            f"metric on its own line, like `{missing[0]}: 0.123`.",
        )
        check.fail(check.details[-1]["message"])
check.detail("metrics printed", True, "", pass_message="Both runs printed mae, rmse and r2.")

differences = [f"{name} {printed[0][name]} vs {printed[1][name]}" for name in METRICS
               if printed[0][name] != printed[1][name]]
check.detail(
    "same metrics in both runs",
    not differences,
    f"Two runs of train.py on the same orders printed different metrics ({', '.join(differences)}): "
    "something random in train.py is still unseeded.",
    pass_message="Both runs printed " + ", ".join(f"{name} {printed[0][name]}" for name in METRICS) + ".",
)

# The saved models, in both runs.
hashes = []
for run, ordinal in zip(runs, ordinals):
    path = run.path(MODEL_FILE)
    if not path.exists() and not path.is_symlink():
        problem = f"The {ordinal} run of train.py did not save {MODEL_FILE} in the folder it ran in."
    elif not run.written_during_run(MODEL_FILE):
        problem = (f"{MODEL_FILE} was not written by the {ordinal} run of train.py (the file is older than "
                   "the run); make train.py save the model every time it runs.")
    else:
        hashes.append(sha256_file(path, MODEL_FILE))
        continue
    check.detail("model saved", False, problem)
    check.fail(problem)
check.detail(
    "same model in both runs",
    hashes[0] == hashes[1],
    f"{MODEL_FILE} differed between two runs on the same orders (sha256 {short_hash(hashes[0])} vs "
    f"{short_hash(hashes[1])}); every random choice, including the model's own, needs a fixed seed.",
    pass_message=f"Both runs saved {MODEL_FILE} with sha256 {short_hash(hashes[0])}.",
)

# What the first run's model does with the check's validation orders.
model = model_predictions(check, runs[0], state)
predictions, count = model["predictions"], len(state["validation"])
recomputed = metrics(truth(state), predictions)
wrong = [name for name in METRICS if not agree_when_rounded(printed[0][name], recomputed[name])]
check.detail(
    "metrics describe the model",
    not wrong,
    "train.py printed " + ", ".join(f"{name}: {printed[0][name]}" for name in wrong)
    + f", but the {MODEL_FILE} it saved predicts the check's {count} validation orders (its "
    f"{VALIDATION_DATA}) with " + ", ".join(f"{name} {recomputed[name]:.3f}" for name in wrong)
    + "; print the metrics of the model you save, computed on the validation orders.",
    pass_message=f"The printed metrics are those of the saved model on the check's {count} validation orders.",
)

# The check's own forest on the same orders: with the learner's seed when the model has one.
from reference import reference_predictions  # noqa: E402 - numpy and scikit-learn, only now

seed = model["random_state"]
seed_text = f"with your seed {seed}" if seed is not None else "with a seed of its own, as your model has none"
reference = reference_predictions(state, seed if seed is not None else random_seed())
distance = mean_distance(predictions, reference)
check.detail(
    "model learned from the data",
    distance <= PREDICTION_TOLERANCE_MINUTES,
    f"The {MODEL_FILE} train.py saved predicts the check's {count} validation orders {distance:.2f} minutes "
    f"away on average from a random forest the check trained itself on the same orders ({seed_text}); a "
    f"forest trained on these orders stays within {PREDICTION_TOLERANCE_MINUTES:g} minutes of it. Make "
    f"train.py train the random forest on the orders of {TRAIN_DATA}, read from its own folder, and save "
    "that model.",
    pass_message=f"The saved model predicts the check's {count} validation orders within {distance:.2f} "
    f"minutes on average of the check's own forest ({seed_text}).",
)

# A model that has seen the validation orders scores far better on them than any forest that has
# not: its printed metrics would promise more than it can deliver on new orders.
reference_mae = metrics(truth(state), reference)["mae"]
check.detail(
    "validation orders kept aside",
    recomputed["mae"] >= MIN_VALIDATION_MAE_RATIO * reference_mae,
    f"The {MODEL_FILE} train.py saved has mae {recomputed['mae']:.3f} on the check's {count} validation orders, "
    f"far lower than the {reference_mae:.3f} of a random forest the check trained on the training orders only. "
    "A model scores that well only on rows it has already seen: train on the orders of "
    f"{TRAIN_DATA} alone, and keep {VALIDATION_DATA} for measuring.",
    pass_message=f"The saved model's mae on the validation orders ({recomputed['mae']:.3f}) is that of a model that "
    f"never saw them (the check's own forest: {reference_mae:.3f}).",
)

check.done(
    "Two runs on the check's orders printed the same metrics ("
    + ", ".join(f"{name} {printed[0][name]}" for name in METRICS)
    + f") and saved identical {MODEL_FILE} files (sha256 {short_hash(hashes[0])}), and the model "
    f"predicts within {distance:.2f} minutes of the check's own forest."
)
