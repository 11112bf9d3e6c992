"""Step 1: two runs of `python3 train.py`, each in a fresh copy of the workspace, print the same
metrics and save byte-identical model files."""
from academy_check import Check, sha256_file, short_hash
from expectations import METRICS, MODEL_FILE

check = Check()
runs = check.require_runs(2)
for run in runs:
    check.require_success(run)

first, second = (run.metrics() for run in runs)
for name in METRICS:
    if name not in first or name not in second:
        check.fail(
            f"train.py did not print {name}; keep printing each metric on its own line, "
            f"like `{name}: 0.123`."
        )
for name in METRICS:
    check.detail(
        f"{name} identical",
        first[name] == second[name],
        f"{name} differed between two runs: {first[name]} vs {second[name]}; "
        "something random in train.py is still unseeded.",
        pass_message=f"{name} was {first[name]} in both runs.",
    )

hashes = []
for number, run in enumerate(runs, start=1):
    if not run.path(MODEL_FILE).exists() and not run.path(MODEL_FILE).is_symlink():
        check.fail(f"Run {number} of train.py did not save {MODEL_FILE} in the folder it ran in.")
    if not run.written_during_run(MODEL_FILE):
        check.fail(
            f"{MODEL_FILE} was not written by run {number} of train.py (the file is older than the run); "
            "make train.py save the model every time it runs."
        )
    hashes.append(sha256_file(run.path(MODEL_FILE), MODEL_FILE))

check.detail(
    f"{MODEL_FILE} identical",
    hashes[0] == hashes[1],
    f"{MODEL_FILE} differed between two runs (sha256 {short_hash(hashes[0])} vs "
    f"{short_hash(hashes[1])}); every random choice, including the model's own, needs a fixed seed.",
    pass_message=f"Both runs saved {MODEL_FILE} with sha256 {short_hash(hashes[0])}.",
)

check.done(
    "Two runs printed identical metrics ("
    + ", ".join(f"{name} {first[name]}" for name in METRICS)
    + f") and saved byte-identical {MODEL_FILE} files (sha256 {short_hash(hashes[0])})."
)
