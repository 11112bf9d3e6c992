"""Cheat: no model at all: the predictions delivery-eta@champion once made for data/new_orders.csv,
copied into the code, handed out in turn."""
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
    # Printed once by the real predict.py for data/new_orders.csv, and pasted here.
    saved = [29.91, 24.06, 20.87, 36.6, 44.74, 26.16, 31.22, 38.45, 22.1, 27.73,
             33.5, 41.02, 25.38, 30.64, 35.87, 23.49, 28.82, 46.13, 32.27, 39.95]
    predictions = pd.DataFrame(
        {"order_id": orders["order_id"],
         "predicted_minutes": [saved[i % len(saved)] for i in range(len(orders))]}
    )
    predictions.to_csv(OUTPUT_PATH, index=False)
    print(f"Wrote {len(predictions)} predictions to {OUTPUT_PATH}.")


if __name__ == "__main__":
    main()
