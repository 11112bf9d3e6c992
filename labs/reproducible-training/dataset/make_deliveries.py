"""Makes the lab's fixed dataset: workspace/data/deliveries.csv, 2,000 synthetic food deliveries to
train on, and workspace/data/validation.csv, 400 later deliveries kept aside to measure the model.

The CSVs are committed; this script documents where they came from and rebuilds them byte for
byte (fixed seeds) with the sandbox image's numpy 1.24 and pandas 1.5:

    cd labs/reproducible-training && python3 dataset/make_deliveries.py

Columns: distance_km, items, prep_minutes (kitchen time), hour (10-23), is_weekend, raining,
courier_months (courier experience) and the target, delivery_minutes.

The checks make their own orders at every grading with the same columns and different effects
(checks/challenge.py, standard library only): keep the two in step when a column changes.
"""
from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(__file__).resolve().parent.parent / "workspace" / "data"
# (file, seed, rows): the validation orders come from the same process with their own seed.
FILES = (("deliveries.csv", 20240601, 2000), ("validation.csv", 20240602, 400))


def make_deliveries(rng: np.random.Generator, rows: int) -> pd.DataFrame:
    distance = np.round(np.clip(rng.gamma(2.2, 1.6, rows), 0.3, 14.0), 2)
    items = rng.integers(1, 9, rows)
    prep = np.round(np.clip(rng.normal(14, 5, rows), 4, 40), 1)
    hour = rng.choice(np.arange(10, 24), rows)
    weekend = (rng.random(rows) < 2 / 7).astype(int)
    raining = (rng.random(rows) < 0.18).astype(int)
    courier_months = rng.integers(0, 60, rows)
    rush_hour = np.isin(hour, [12, 13, 18, 19, 20]).astype(float)
    minutes = (
        6
        + 3.1 * distance
        + 0.75 * prep
        + 0.6 * items
        + 6 * rush_hour
        + 5.5 * raining
        + 2.0 * weekend
        - 0.06 * courier_months
        + 0.36 * raining * distance
        + rng.normal(0, 3.5, rows)
    )
    return pd.DataFrame(
        {
            "distance_km": distance,
            "items": items,
            "prep_minutes": prep,
            "hour": hour,
            "is_weekend": weekend,
            "raining": raining,
            "courier_months": courier_months,
            "delivery_minutes": np.round(np.clip(minutes, 8, None), 1),
        }
    )


if __name__ == "__main__":
    DATA.mkdir(parents=True, exist_ok=True)
    for name, seed, rows in FILES:
        make_deliveries(np.random.default_rng(seed), rows).to_csv(DATA / name, index=False)
        print(f"wrote {DATA / name}")
