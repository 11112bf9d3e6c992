"""Cheat: four trainings with hand-picked combinations that are not a grid: learning_rate and
max_depth both change from run to run, so most combinations of the values tried are never run.

    python3 sweep.py
"""
from train import train_and_log

TRIALS = [
    {"n_estimators": 100, "learning_rate": 0.05, "max_depth": 2},
    {"n_estimators": 100, "learning_rate": 0.1, "max_depth": 3},
    {"n_estimators": 100, "learning_rate": 0.2, "max_depth": 4},
    {"n_estimators": 100, "learning_rate": 0.3, "max_depth": 5},
]


def main():
    for params in TRIALS:
        run_name = f"lr={params['learning_rate']}-depth={params['max_depth']}"
        metrics = train_and_log(params, run_name=run_name)
        print(f"{run_name}: val_auc {metrics['val_auc']:.4f}")


if __name__ == "__main__":
    main()
