"""The reference model of step 1: the forest the step asks for, trained by the grader on this
grading's training orders as the lab's train.py trains it (the rows shuffled, then the forest),
with the learner's seed. Imports numpy and scikit-learn (about 0.6 s): only the check that needs
the reference imports this file.
"""
import numpy as np
from sklearn.ensemble import RandomForestRegressor

from expectations import FOREST


def reference_predictions(state: dict, seed: int) -> list[float]:
    """What the reference forest, seeded with `seed`, predicts for the validation orders.

    `deliveries.sample(frac=1, random_state=seed)` orders the rows as
    `np.random.RandomState(seed).permutation(n)` does, and the forest converts its input to
    float32 either way, so a train.py written like the solution saves exactly this forest."""
    train = np.array(state["train"], dtype=float)
    order = np.random.RandomState(seed).permutation(len(train))
    features, target = train[order, :-1], train[order, -1]
    forest = RandomForestRegressor(**FOREST, random_state=seed).fit(features, target)
    validation = np.array(state["validation"], dtype=float)[:, :-1]
    return [float(value) for value in forest.predict(validation)]
