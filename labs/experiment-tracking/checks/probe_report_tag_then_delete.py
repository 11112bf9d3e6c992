"""Run 5 of step tag-best, after the second `python3 tag_best.py`: prints the best tag check-probe
carries now (ACADEMY_PROBE_AFTER_SECOND=<tag>, empty when it has none) and deletes the probe, so
it never outlives the check (checks/tag_best_run.py deletes it too if a run was cut short).

Runs as the learner, after the learner's script, because only runs can go there; it needs nothing
the learner lacks: the tracking server's REST API, with the standard library.
"""
import json
import os
import urllib.request

API = os.environ.get("MLFLOW_TRACKING_URI", "http://127.0.0.1:5000") + "/api/2.0/mlflow/"


def call(path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(API + path, data, {"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(request, timeout=10))


found = call("experiments/get-by-name?experiment_name=late-orders")
experiment = found["experiment"]["experiment_id"]
probes = call("runs/search", {"experiment_ids": [experiment],
                              "filter": "tags.academy_probe = 'true'"}).get("runs", [])
for probe in probes:
    tag = next((t["value"] for t in probe["data"].get("tags", []) if t["key"] == "best"), "")
    print("ACADEMY_PROBE_AFTER_SECOND=" + tag)
    call("runs/delete", {"run_id": probe["info"]["run_id"]})
