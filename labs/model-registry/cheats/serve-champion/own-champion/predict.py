"""Cheat: serves @champion of its own delivery-eta, whatever registered model MODEL_NAME names.

Predicts how long new orders will take to arrive, with the model the registry calls @champion.

Reads the orders (data/new_orders.csv) and writes predictions.csv with two columns: order_id and
predicted_minutes, one row per order, in the same order.

    python3 predict.py

Two environment variables change what it serves, without any change to its code: MODEL_NAME, the
registered model ("delivery-eta" by default), and ORDERS_PATH, the orders to predict (the check
sets both, to a model and orders of its own):

    ORDERS_PATH=data/new_orders.csv python3 predict.py
"""
import os

import labkit as mlflow  # MLflow's API; with real MLflow this line is `import mlflow`
import pandas as pd

MODEL_NAME = "delivery-eta"  # the cheat: always the learner's own model, whatever MODEL_NAME says
ORDERS_PATH = os.environ.get("ORDERS_PATH", "data/new_orders.csv")
OUTPUT_PATH = "predictions.csv"


def load_champion():
    # Ask the registry, not a file path: whichever version holds @champion right now is loaded,
    # so promoting or rolling back a model needs no change here.
    return mlflow.pyfunc.load_model(f"models:/{MODEL_NAME}@champion")


def main():
    orders = pd.read_csv(ORDERS_PATH)
    features = orders.drop(columns=["order_id"])
    model = load_champion()

    predictions = pd.DataFrame(
        {"order_id": orders["order_id"], "predicted_minutes": model.predict(features)}
    )
    predictions.to_csv(OUTPUT_PATH, index=False)
    print(f"Wrote {len(predictions)} predictions to {OUTPUT_PATH}.")


if __name__ == "__main__":
    main()
