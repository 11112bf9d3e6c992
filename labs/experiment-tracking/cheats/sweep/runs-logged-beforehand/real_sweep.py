"""The reference sweep of step 3, which the cheat's setup runs once before the check.

A small grid search: one tracked run of train.py's training per combination of hyperparameters,
all in the "late-orders" experiment, so the tracking server can compare them.

    python3 sweep.py
"""
import itertools

from train import train_and_log

# Every combination of these values is tried: 2 x 2 = 4 runs. A bigger grid finds more, but the
# number of runs is the product of the list lengths, so it grows fast.
GRID = {
    "n_estimators": [100],
    "learning_rate": [0.05, 0.3],
    "max_depth": [2, 4],
}


def main():
    names = list(GRID)
    for values in itertools.product(*GRID.values()):
        params = dict(zip(names, values))
        run_name = "-".join(f"{name}={value}" for name, value in params.items())
        metrics = train_and_log(params, run_name=run_name)
        print(f"{run_name}: val_auc {metrics['val_auc']:.4f}")


if __name__ == "__main__":
    main()
