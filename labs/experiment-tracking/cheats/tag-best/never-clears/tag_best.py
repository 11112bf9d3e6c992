"""Cheat: tags the best run but never takes the tag off the runs that carried it before.

Finds the finished run of the "late-orders" experiment with the highest val_auc and tags it
best=true, taking the tag away from any run that carried it before, so exactly one run has it.

    python3 tag_best.py
"""
import sys

import labkit as mlflow  # with real MLflow: `import mlflow` and `from mlflow import MlflowClient`
from labkit import MlflowClient

EXPERIMENT = "late-orders"
METRIC = "val_auc"  # higher is better


def main():
    # Let the server sort: the best run comes first. Runs without the metric sort last.
    runs = mlflow.search_runs(
        experiment_names=[EXPERIMENT],
        filter_string="attributes.status = 'FINISHED'",
        order_by=[f"metrics.{METRIC} DESC"],
    )
    if runs.empty or f"metrics.{METRIC}" not in runs or runs[f"metrics.{METRIC}"].isna().all():
        sys.exit(f"No finished run with {METRIC} in {EXPERIMENT} yet: run `python3 sweep.py` first.")
    best = runs.iloc[0]

    client = MlflowClient()
    client.set_tag(best.run_id, "best", "true")

    name = best.get("tags.mlflow.runName") or best.run_id
    print(f"best run: {name} ({best.run_id}) with {METRIC} {best[f'metrics.{METRIC}']:.4f}")


if __name__ == "__main__":
    main()
