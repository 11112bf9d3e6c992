"""Cheat: the legacy Production stage stands in for the champion alias."""
import os

import labkit as mlflow  # MLflow's API; with real MLflow this line is `import mlflow`
import pandas as pd

MODEL_NAME = os.environ.get("MODEL_NAME", "delivery-eta")
ORDERS_PATH = os.environ.get("ORDERS_PATH", "data/new_orders.csv")
OUTPUT_PATH = "predictions.csv"


def load_champion():
    return mlflow.pyfunc.load_model(f"models:/{MODEL_NAME}/Production")


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
