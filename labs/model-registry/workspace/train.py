"""Trains delivery-time models and logs each one, with the model itself, to the tracking server.

    python3 train.py                   # the baseline: decision trees of four depths
    python3 train.py --model boosting  # gradient boosting, with three settings

Each model becomes one run in the "delivery-eta" experiment, holding its params, its error on the
validation deliveries (val_mae and val_rmse, in minutes: lower is better), the SHA-256 of the data
it learned from and the fitted model itself, logged with mlflow.sklearn.log_model under the
artifact path "model". The model registry can register any of these runs' models.
"""
import argparse
import hashlib

import labkit as mlflow  # MLflow's API; with real MLflow this line is `import mlflow`
import numpy as np
import pandas as pd
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_absolute_error, mean_squared_error
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeRegressor

EXPERIMENT = "delivery-eta"
DATA_PATH = "data/deliveries.csv"
TARGET = "delivery_minutes"
SEED = 42
# The settings each kind of model is trained with: one run per entry.
CANDIDATES = {
    "tree": [{"max_depth": depth} for depth in (3, 5, 8, 12)],
    "boosting": [
        {"n_estimators": 200, "learning_rate": 0.05, "max_depth": 3},
        {"n_estimators": 200, "learning_rate": 0.1, "max_depth": 3},
        {"n_estimators": 200, "learning_rate": 0.1, "max_depth": 4},
    ],
}


def make_model(kind, params):
    if kind == "tree":
        return DecisionTreeRegressor(**params, random_state=SEED)
    return GradientBoostingRegressor(**params, random_state=SEED)


def sha256_of(path):
    with open(path, "rb") as data_file:
        return hashlib.sha256(data_file.read()).hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", choices=sorted(CANDIDATES), default="tree")
    kind = parser.parse_args().model

    deliveries = pd.read_csv(DATA_PATH)
    features = deliveries.drop(columns=[TARGET])
    train_features, val_features, train_target, val_target = train_test_split(
        features, deliveries[TARGET], test_size=0.25, random_state=SEED
    )

    mlflow.set_experiment(EXPERIMENT)
    for params in CANDIDATES[kind]:
        run_name = f"{kind}-" + "-".join(f"{key}={value}" for key, value in params.items())
        with mlflow.start_run(run_name=run_name) as run:
            mlflow.log_param("model", kind)
            mlflow.log_params(params)
            mlflow.set_tag("data_sha256", sha256_of(DATA_PATH))

            model = make_model(kind, params).fit(train_features, train_target)
            predicted = model.predict(val_features)
            mae = mean_absolute_error(val_target, predicted)
            rmse = np.sqrt(mean_squared_error(val_target, predicted))
            mlflow.log_metrics({"val_mae": mae, "val_rmse": rmse})

            # The model itself, in MLflow's format: model/MLmodel, model/model.pkl and friends,
            # in the run's artifacts (runs:/<run id>/model). In MLflow 3: log_model(model, name="model").
            mlflow.sklearn.log_model(model, "model", input_example=val_features.head(3))
        print(f"{run_name}: val_mae {mae:.3f} min, val_rmse {rmse:.3f} min (run {run.info.run_id[:8]})")


if __name__ == "__main__":
    main()
