"""Cheat: tags the run whose id was copied once into best_run.txt (the best run at that moment),
and takes the tag off every other run, without searching for the best run when it runs.

    python3 tag_best.py
"""
import labkit as mlflow
from labkit import MlflowClient

with open("best_run.txt") as handle:
    BEST_RUN = handle.read().strip()


def main():
    client = MlflowClient()
    client.set_tag(BEST_RUN, "best", "true")
    earlier = mlflow.search_runs(experiment_names=["late-orders"], filter_string="tags.best = 'true'")
    for run_id in earlier.run_id:
        if run_id != BEST_RUN:
            client.set_tag(run_id, "best", "false")
    print(f"best run: {BEST_RUN}")


if __name__ == "__main__":
    main()
