"""Fresh late-order data for one grading: the same process as dataset/make_orders.py (which made
the lab's data/orders.csv), from a seed only the grader knows, so nobody can know the rows, their
number or a model's scores on them before the check runs. Standard library and numpy only."""
import numpy as np

from expectations import FEATURES, TARGET


def make_orders(seed: int, rows: int) -> str:
    """`rows` synthetic orders as CSV text, with data/orders.csv's header and number formats."""
    rng = np.random.default_rng(seed)
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
    promised = np.round(11 + 3.2 * distance + 0.8 * prep).astype(int)
    late = (actual_minutes > promised + 4).astype(int)
    lines = [",".join(FEATURES + (TARGET,))]
    for row in zip(distance, items, prep, hour, weekend, raining, courier_months, promised, late):
        lines.append("{:.2f},{},{:.1f},{},{},{},{},{},{}".format(*row))
    return "\n".join(lines) + "\n"
