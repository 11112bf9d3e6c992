"""Trains the delivery-time model: how many minutes will an order take to arrive?

Reads data/deliveries.csv, trains a random forest on 80% of the deliveries, prints how far
off its estimates are on the other 20%, and saves the model to model.joblib.

    python3 train.py
"""
import joblib
import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score
from sklearn.model_selection import train_test_split

DATA_PATH = "data/deliveries.csv"
MODEL_PATH = "model.joblib"
TARGET = "delivery_minutes"


def load_deliveries(path):
    deliveries = pd.read_csv(path)
    # Shuffle the rows so the order they were exported in cannot matter.
    return deliveries.sample(frac=1).reset_index(drop=True)


def evaluate(model, features, target):
    predicted = model.predict(features)
    return {
        "mae": mean_absolute_error(target, predicted),  # average error, in minutes
        "rmse": np.sqrt(mean_squared_error(target, predicted)),  # punishes big misses more
        "r2": r2_score(target, predicted),  # share of the variation explained (1 is perfect)
    }


def main():
    deliveries = load_deliveries(DATA_PATH)
    features = deliveries.drop(columns=[TARGET])
    target = deliveries[TARGET]
    train_features, test_features, train_target, test_target = train_test_split(
        features, target, test_size=0.2
    )

    model = RandomForestRegressor(n_estimators=60, min_samples_leaf=3)
    model.fit(train_features, train_target)

    metrics = evaluate(model, test_features, test_target)
    for name, value in metrics.items():
        print(f"{name}: {value:.3f}")

    joblib.dump(model, MODEL_PATH)
    print(f"saved the model to {MODEL_PATH}")


if __name__ == "__main__":
    main()
