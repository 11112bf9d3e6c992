"""Helper of the cheat fixed-run-id, run once by its setup before the check: finds the best finished
run of late-orders as it is now and writes its id to best_run.txt, as a learner would copy it from
the Experiments tab."""
import labkit as mlflow

runs = mlflow.search_runs(experiment_names=["late-orders"], filter_string="attributes.status = 'FINISHED'",
                          order_by=["metrics.val_auc DESC"])
with open("best_run.txt", "w") as handle:
    handle.write(runs.iloc[0].run_id + "\n")
