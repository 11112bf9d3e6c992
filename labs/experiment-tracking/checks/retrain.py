"""The grader's own training, to check what a learner's run logged: the same estimator as
workspace/train.py (GradientBoostingClassifier), trained with the params the run logged on the
grading's fresh orders, with train.py's split and seed. The grader never loads anything the
learner's code made; it retrains from the logged params and the rows it generated itself.

Imported by the checks only (numpy and scikit-learn take most of a second to import)."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

from expectations import FEATURES, MAX_DEPTH, MAX_ROUNDS, SEED, VALIDATION_SHARE

# Every setting the estimator takes; a logged param of that name is passed on, others are ignored.
KNOWN = set(GradientBoostingClassifier().get_params())
_INTEGER = re.compile(r"^[-+]?\d+$")


@dataclass
class Orders:
    train_features: np.ndarray
    val_features: np.ndarray
    train_target: np.ndarray
    val_target: np.ndarray


def load_orders(path: Path) -> Orders:
    """The grader's copy of the fresh orders, split as train.py splits them (stratified, a quarter
    aside, SEED): the same rows land on the same side as in the learner's run."""
    table = np.loadtxt(path, delimiter=",", skiprows=1)
    features, target = table[:, : len(FEATURES)], table[:, len(FEATURES)].astype(int)
    parts = train_test_split(features, target, test_size=VALIDATION_SHARE, random_state=SEED,
                             stratify=target)
    return Orders(*parts)


def parse_value(text: str):
    """A param as logged (always text) back to the Python value it was: 100, 0.1, None, 'sqrt'."""
    text = text.strip()
    if _INTEGER.match(text):
        return int(text)
    try:
        return float(text)
    except ValueError:
        pass
    return {"None": None, "True": True, "False": False}.get(text, text)


def estimator_params(logged: dict[str, str]) -> tuple[dict, str | None]:
    """The estimator's settings from a run's params, and what is wrong with them (or None)."""
    params = {key: parse_value(value) for key, value in logged.items() if key in KNOWN}
    params.setdefault("random_state", SEED)
    rounds, depth = params.get("n_estimators", 100), params.get("max_depth", 3)
    if not isinstance(rounds, int) or not 1 <= rounds <= MAX_ROUNDS:
        return params, f"n_estimators = {logged.get('n_estimators')!r}: the check retrains up to {MAX_ROUNDS} rounds"
    if depth is not None and (not isinstance(depth, int) or not 1 <= depth <= MAX_DEPTH):
        return params, f"max_depth = {logged.get('max_depth')!r}: the check retrains trees up to depth {MAX_DEPTH}"
    if depth is None:
        return params, f"max_depth = None: the check retrains trees up to depth {MAX_DEPTH}"
    return params, None


@dataclass
class Reference:
    """What the grader's retraining scored on the validation orders."""

    model: GradientBoostingClassifier
    orders: Orders
    auc: float
    accuracy: float

    def importances(self) -> dict[str, float]:
        return dict(zip(FEATURES, (float(value) for value in self.model.feature_importances_)))

    def curve(self) -> list[float]:
        """The validation log loss after each boosting round (round 1 first)."""
        target = self.orders.val_target
        losses = []
        for probabilities in self.model.staged_predict_proba(self.orders.val_features):
            late = np.clip(probabilities[:, 1], 1e-15, 1 - 1e-15)
            losses.append(float(-np.mean(target * np.log(late) + (1 - target) * np.log(1 - late))))
        return losses


def retrain(orders: Orders, params: dict) -> Reference:
    """Trains with `params` (raises ValueError/TypeError when the estimator refuses them)."""
    model = GradientBoostingClassifier(**params).fit(orders.train_features, orders.train_target)
    late = model.predict_proba(orders.val_features)[:, 1]
    return Reference(
        model=model,
        orders=orders,
        auc=float(roc_auc_score(orders.val_target, late)),
        accuracy=float(np.mean((late >= 0.5) == orders.val_target)),
    )


def agrees(logged: float | None, expected: float, tolerance: float) -> bool:
    return logged is not None and math.isfinite(logged) and abs(logged - expected) <= tolerance
