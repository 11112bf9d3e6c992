"""Makes the lab's fixed data: workspace/data/deliveries.csv, 2,000 synthetic past deliveries with
how long each took, and workspace/data/new_orders.csv, 20 incoming orders to predict.

The CSVs are committed; this script documents where they came from and rebuilds them byte for
byte (fixed seed) with the sandbox image's numpy 1.24 and pandas 1.5:

    cd labs/model-registry && python3 dataset/make_deliveries.py

Columns: distance_km, items, prep_minutes (kitchen time), hour (10-23), is_weekend, raining,
courier_months (courier experience) and, in deliveries.csv only, the target delivery_minutes;
new_orders.csv starts with an order_id instead. Rush hours and rain bend the relationship, so a
boosted ensemble beats a single decision tree.

checks/lab_data.py draws the same numbers with numpy alone (the grader trains its own models on
them, and draws fresh orders like them): keep the two in step.
"""
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20240605
ROWS = 2000
NEW_ORDERS = 20
DATA = Path(__file__).resolve().parent.parent / "workspace" / "data"


def make_orders(rng: np.random.Generator, rows: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "distance_km": np.round(np.clip(rng.gamma(2.2, 1.6, rows), 0.3, 14.0), 2),
            "items": rng.integers(1, 9, rows),
            "prep_minutes": np.round(np.clip(rng.normal(14, 5, rows), 4, 40), 1),
            "hour": rng.choice(np.arange(10, 24), rows),
            "is_weekend": (rng.random(rows) < 2 / 7).astype(int),
            "raining": (rng.random(rows) < 0.18).astype(int),
            "courier_months": rng.integers(0, 60, rows),
        }
    )


def delivery_minutes(orders: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    rush_hour = orders["hour"].isin([12, 13, 18, 19, 20]).astype(float)
    minutes = (
        6
        + 3.1 * orders["distance_km"]
        + 0.75 * orders["prep_minutes"]
        + 0.6 * orders["items"]
        + 6 * rush_hour * (1 + 0.08 * orders["distance_km"])
        + 5.5 * orders["raining"] * (1 + 0.1 * orders["distance_km"])
        + 2.0 * orders["is_weekend"]
        - 4 * np.tanh(orders["courier_months"] / 12)
        + rng.normal(0, 2.5, len(orders))
    )
    return np.round(np.clip(minutes, 8, None), 1)


if __name__ == "__main__":
    rng = np.random.default_rng(SEED)
    DATA.mkdir(parents=True, exist_ok=True)
    past = make_orders(rng, ROWS)
    past["delivery_minutes"] = delivery_minutes(past, rng)
    past.to_csv(DATA / "deliveries.csv", index=False)
    new = make_orders(rng, NEW_ORDERS)
    new.insert(0, "order_id", [f"A{1000 + i}" for i in range(NEW_ORDERS)])
    new.to_csv(DATA / "new_orders.csv", index=False)
    print(f"wrote {DATA / 'deliveries.csv'} and {DATA / 'new_orders.csv'}")
