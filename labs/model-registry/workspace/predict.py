"""Predicts how long new orders will take to arrive, with the model the registry calls @champion.

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

MODEL_NAME = os.environ.get("MODEL_NAME", "delivery-eta")
ORDERS_PATH = os.environ.get("ORDERS_PATH", "data/new_orders.csv")
OUTPUT_PATH = "predictions.csv"


def load_champion():
    # TODO (step 3): load the version of MODEL_NAME that the "champion" alias points to, through
    # the registry (a models:/ URI), and return it.
    raise NotImplementedError("load_champion() is not written yet")


def main():
    orders = pd.read_csv(ORDERS_PATH)
    features = orders.drop(columns=["order_id"])
    model = load_champion()

    # TODO (step 3): predict the minutes for every order and write OUTPUT_PATH with the columns
    # order_id and predicted_minutes.


if __name__ == "__main__":
    main()
