"""Cheat helper (setup): prints the id of delivery-eta's best run, as a learner would copy it from
labkit runs list once."""
import labkit as mlflow

runs = mlflow.search_runs(experiment_names=["delivery-eta"], order_by=["metrics.val_mae ASC"], max_results=1)
print(runs.iloc[0].run_id)
