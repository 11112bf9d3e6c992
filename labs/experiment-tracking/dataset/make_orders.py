"""Makes workspace/data/orders.csv, the lab's fixed dataset: 3,000 synthetic food orders, each
labelled with whether it arrived late.

The CSV is committed; this script documents where it came from and rebuilds it byte for byte
(fixed seed) with the sandbox image's numpy 1.24 and pandas 1.5:

    cd labs/experiment-tracking && python3 dataset/make_orders.py

Columns: distance_km, items, prep_minutes (kitchen time), hour (10-23), is_weekend, raining,
courier_months (courier experience), promised_minutes (the estimate the app showed the customer)
and the target, late: 1 when the order arrived more than 4 minutes after the promised time.
The app's promise only looks at distance and kitchen time, so rush hours, rain, big orders and new
couriers are what make an order late; a classifier can learn that.
"""
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20240602
ROWS = 3000
OUTPUT = Path(__file__).resolve().parent.parent / "workspace" / "data" / "orders.csv"


def make_orders(rng: np.random.Generator, rows: int) -> pd.DataFrame:
    distance = np.round(np.clip(rng.gamma(2.2, 1.6, rows), 0.3, 14.0), 2)
    items = rng.integers(1, 9, rows)
    prep = np.round(np.clip(rng.normal(14, 5, rows), 4, 40), 1)
    hour = rng.choice(np.arange(10, 24), rows)
    weekend = (rng.random(rows) < 2 / 7).astype(int)
    raining = (rng.random(rows) < 0.18).astype(int)
    courier_months = rng.integers(0, 60, rows)
    rush_hour = np.isin(hour, [12, 13, 18, 19, 20]).astype(float)
    actual_minutes = (
        6
        + 3.1 * distance
        + 0.75 * prep
        + 0.6 * items
        + 6 * rush_hour
        + 5.5 * raining
        + 2.0 * weekend
        - 0.06 * courier_months
        + 0.36 * raining * distance
        + rng.normal(0, 4.0, rows)
    )
    promised = np.round(11 + 3.2 * distance + 0.8 * prep)
    return pd.DataFrame(
        {
            "distance_km": distance,
            "items": items,
            "prep_minutes": prep,
            "hour": hour,
            "is_weekend": weekend,
            "raining": raining,
            "courier_months": courier_months,
            "promised_minutes": promised.astype(int),
            "late": (actual_minutes > promised + 4).astype(int),
        }
    )


if __name__ == "__main__":
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    make_orders(np.random.default_rng(SEED), ROWS).to_csv(OUTPUT, index=False)
    print(f"wrote {OUTPUT}")
