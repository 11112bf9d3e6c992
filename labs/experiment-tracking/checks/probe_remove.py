"""Grader run 3 of step tag-best, after the second `python3 tag_best.py`: keeps in state_dir() which
runs carry the best tag now and a fingerprint of every run, then deletes the probes, so that they
never outlive the check (tag_best_run.py deletes any left, should this run not have happened). Runs
as the grader: it changes the server after the learner's script."""
from probes import best_tags, connect, fingerprint, load_state, save_state

state = load_state()
if state.get("probes"):
    server = connect()
    experiment = state["experiment_id"]
    state["tags_2"] = best_tags(server, experiment)
    state["seen_3"] = fingerprint(server, experiment)
    save_state(state)
    for run_id in state["probes"].values():
        server.delete_run(run_id)
    print("probes deleted")
