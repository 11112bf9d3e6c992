"""The lab's data and models as the grader makes them, for its challenges: the 2,000 past deliveries
of workspace/data/deliveries.csv, rebuilt from their generator (dataset/make_deliveries.py, same
seed, same draws, so the same numbers) instead of read from the learner's workspace; fresh orders
drawn like them from the grading's seed; and decision trees trained on them, pickled as a
scikit-learn model for the tracking server.

Imported by the grader runs that register models of their own (numpy and scikit-learn, about a
second to import); the checks themselves stay on the standard library.
"""
import pickle
import warnings

import numpy as np
from sklearn.tree import DecisionTreeRegressor

# dataset/make_deliveries.py: keep in step with it.
DATA_SEED = 20240605
DATA_ROWS = 2000
FEATURES = ["distance_km", "items", "prep_minutes", "hour", "is_weekend", "raining", "courier_months"]
# How each feature is written in a CSV, as pandas writes the lab's files: decimals, or None for ints.
DECIMALS = {"distance_km": 2, "prep_minutes": 1}


def make_orders(rng: np.random.Generator, rows: int) -> np.ndarray:
    """`rows` orders, one column per FEATURES entry, drawn exactly as make_deliveries.py draws them."""
    columns = [
        np.round(np.clip(rng.gamma(2.2, 1.6, rows), 0.3, 14.0), 2),
        rng.integers(1, 9, rows),
        np.round(np.clip(rng.normal(14, 5, rows), 4, 40), 1),
        rng.choice(np.arange(10, 24), rows),
        (rng.random(rows) < 2 / 7).astype(int),
        (rng.random(rows) < 0.18).astype(int),
        rng.integers(0, 60, rows),
    ]
    return np.column_stack([column.astype(float) for column in columns])


def delivery_minutes(orders: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    distance, items, prep, hour, weekend, raining, courier = orders.T
    rush_hour = np.isin(hour, [12, 13, 18, 19, 20]).astype(float)
    minutes = (
        6
        + 3.1 * distance
        + 0.75 * prep
        + 0.6 * items
        + 6 * rush_hour * (1 + 0.08 * distance)
        + 5.5 * raining * (1 + 0.1 * distance)
        + 2.0 * weekend
        - 4 * np.tanh(courier / 12)
        + rng.normal(0, 2.5, len(orders))
    )
    return np.round(np.clip(minutes, 8, None), 1)


def deliveries() -> tuple[np.ndarray, np.ndarray]:
    """(features, delivery_minutes) of the lab's 2,000 past deliveries."""
    rng = np.random.default_rng(DATA_SEED)
    past = make_orders(rng, DATA_ROWS)
    return past, delivery_minutes(past, rng)


def csv_cell(feature: str, value: float) -> str:
    places = DECIMALS.get(feature)
    return str(int(value)) if places is None else repr(round(float(value), places))


def train_tree(features: np.ndarray, target: np.ndarray, rng: np.random.Generator,
               depth: int) -> DecisionTreeRegressor:
    """A real delivery-time model: a decision tree of `depth` fitted on a random 80 % of the rows."""
    rows = rng.choice(len(features), size=int(0.8 * len(features)), replace=False)
    tree = DecisionTreeRegressor(max_depth=depth, min_samples_leaf=int(rng.integers(5, 15)),
                                 random_state=int(rng.integers(1 << 30)))
    tree.fit(features[rows], target[rows])
    # Fitted on an array, so it knows its columns by position; name them as train.py's models (fitted
    # on a DataFrame) do, so a predict.py passing a DataFrame gets no feature-name warning.
    tree.feature_names_in_ = np.array(FEATURES, dtype=object)
    return tree


def predict(model: DecisionTreeRegressor, orders: np.ndarray) -> np.ndarray:
    """The model's predictions for rows of FEATURES (an array: the names are known to match)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "X does not have valid feature names"
        return model.predict(orders)


def pickled(model) -> bytes:
    """The model as labkit.sklearn.log_model stores it in model.pkl."""
    return pickle.dumps(model, protocol=pickle.DEFAULT_PROTOCOL)


def sklearn_version() -> str:
    import sklearn

    return sklearn.__version__
