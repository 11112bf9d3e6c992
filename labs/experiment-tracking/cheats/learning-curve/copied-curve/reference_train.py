"""The reference solution of step 2, which the cheat's setup runs once before the check.

Trains the late-order classifier: will an order arrive more than 4 minutes after the time the
app promised the customer?

Reads data/orders.csv, keeps a quarter of the orders aside as a validation set, trains a gradient
boosting classifier on the rest and prints how well it does on the validation orders:

- val_auc: how well it ranks late orders above on-time ones (0.5 is guessing, 1 is perfect);
- val_accuracy: the share of validation orders it labels correctly.

Every training is recorded as one run in the tracking server's "late-orders" experiment: its
hyperparameters, its validation metrics, the validation loss after every boosting round (a
learning curve) with the round where it was lowest, the SHA-256 of the data it learned from and
the importance of each feature.

    python3 train.py
"""
import hashlib

import labkit as mlflow  # MLflow's API; with real MLflow this line is `import mlflow`
import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import accuracy_score, log_loss, roc_auc_score
from sklearn.model_selection import train_test_split

DATA_PATH = "data/orders.csv"
TARGET = "late"
SEED = 42
EXPERIMENT = "late-orders"
# The hyperparameters: settings that training does not learn by itself.
PARAMS = {"n_estimators": 100, "learning_rate": 0.1, "max_depth": 3}


def load_splits(path=DATA_PATH):
    """Returns train_features, val_features, train_target, val_target."""
    orders = pd.read_csv(path)
    features = orders.drop(columns=[TARGET])
    # stratify keeps the share of late orders the same in both parts.
    return train_test_split(
        features, orders[TARGET], test_size=0.25, random_state=SEED, stratify=orders[TARGET]
    )


def train(params, features, target):
    model = GradientBoostingClassifier(**params, random_state=SEED)
    return model.fit(features, target)


def evaluate(model, features, target):
    late_probability = model.predict_proba(features)[:, 1]
    return {
        "val_auc": roc_auc_score(target, late_probability),
        "val_accuracy": accuracy_score(target, late_probability >= 0.5),
    }


def log_learning_curve(model, features, target):
    """Logs val_log_loss after every boosting round (step = the round, from 1) and best_round,
    the round where it was lowest. Returns best_round."""
    losses = []
    # staged_predict_proba gives the predictions after each round: a learning curve for free.
    for round_number, probabilities in enumerate(model.staged_predict_proba(features), start=1):
        loss = log_loss(target, probabilities[:, 1])
        mlflow.log_metric("val_log_loss", loss, step=round_number)
        losses.append(loss)
    best_round = losses.index(min(losses)) + 1
    mlflow.log_metric("best_round", best_round)
    return best_round


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as data_file:
        for block in iter(lambda: data_file.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def train_and_log(params, run_name=None):
    """Trains with `params` as one tracked run and returns its validation metrics."""
    mlflow.set_experiment(EXPERIMENT)  # created on first use
    train_features, val_features, train_target, val_target = load_splits()
    with mlflow.start_run(run_name=run_name):
        mlflow.log_params(params)
        # The data is an input too: its hash tells later whether two runs learned from the same rows.
        mlflow.set_tag("data_sha256", sha256_of(DATA_PATH))

        model = train(params, train_features, train_target)
        metrics = evaluate(model, val_features, val_target)
        mlflow.log_metrics(metrics)
        log_learning_curve(model, val_features, val_target)

        importances = dict(zip(train_features.columns, model.feature_importances_))
        mlflow.log_dict(
            {name: round(float(value), 6) for name, value in importances.items()},
            "feature_importances.json",
        )
    # Leaving the `with` block ends the run and marks it FINISHED (FAILED if the code raised).
    return metrics


def main():
    metrics = train_and_log(PARAMS, run_name="baseline")
    for name, value in metrics.items():
        print(f"{name}: {value:.4f}")


if __name__ == "__main__":
    main()
