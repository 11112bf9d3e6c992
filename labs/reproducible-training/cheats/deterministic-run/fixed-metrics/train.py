# Cheat: trains the seeded forest for real, but prints metrics typed in from an earlier run.
"""Trains the delivery-time model: how many minutes will an order take to arrive?

Reads the past deliveries in data/deliveries.csv, trains a random forest on them, prints how far
off its estimates are on the later deliveries of data/validation.csv (kept aside for measuring,
never trained on), and saves the model to model.joblib.

    python3 train.py
"""
import joblib
import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score

TRAIN_PATH = "data/deliveries.csv"
VALIDATION_PATH = "data/validation.csv"
MODEL_PATH = "model.joblib"
TARGET = "delivery_minutes"
# One seed for every random choice below: the shuffle and the forest's sampling.
SEED = 42


def load_deliveries(path):
    deliveries = pd.read_csv(path)
    # Shuffle the rows so the order they were exported in cannot matter.
    return deliveries.sample(frac=1, random_state=SEED).reset_index(drop=True)


def evaluate(model, features, target):
    predicted = model.predict(features)
    return {
        "mae": mean_absolute_error(target, predicted),  # average error, in minutes
        "rmse": np.sqrt(mean_squared_error(target, predicted)),  # punishes big misses more
        "r2": r2_score(target, predicted),  # share of the variation explained (1 is perfect)
    }


def main():
    deliveries = load_deliveries(TRAIN_PATH)
    validation = pd.read_csv(VALIDATION_PATH)

    model = RandomForestRegressor(n_estimators=60, min_samples_leaf=3, random_state=SEED)
    model.fit(deliveries.drop(columns=[TARGET]), deliveries[TARGET])

    # The metrics of a good run on the lab's own data, typed in once.
    metrics = {"mae": 3.021, "rmse": 3.802, "r2": 0.874}
    for name, value in metrics.items():
        print(f"{name}: {value:.3f}")

    joblib.dump(model, MODEL_PATH)
    print(f"saved the model to {MODEL_PATH}")


if __name__ == "__main__":
    main()
