"""Cheat: a model that ignores its inputs: the mean of the past deliveries for every order."""
import os

import labkit as mlflow  # MLflow's API; with real MLflow this line is `import mlflow`
import pandas as pd

MODEL_NAME = os.environ.get("MODEL_NAME", "delivery-eta")
ORDERS_PATH = os.environ.get("ORDERS_PATH", "data/new_orders.csv")
OUTPUT_PATH = "predictions.csv"


def load_champion():
    # Ask the registry, not a file path: whichever version holds @champion right now is loaded,
    # so promoting or rolling back a model needs no change here.
    return mlflow.pyfunc.load_model(f"models:/{MODEL_NAME}@champion")


def main():
    orders = pd.read_csv(ORDERS_PATH)
    features = orders.drop(columns=["order_id"])
    mean = pd.read_csv("data/deliveries.csv")["delivery_minutes"].mean()

    predictions = pd.DataFrame(
        {"order_id": orders["order_id"], "predicted_minutes": [mean] * len(orders)}
    )
    predictions.to_csv(OUTPUT_PATH, index=False)
    print(f"Wrote {len(predictions)} predictions to {OUTPUT_PATH}.")


if __name__ == "__main__":
    main()
