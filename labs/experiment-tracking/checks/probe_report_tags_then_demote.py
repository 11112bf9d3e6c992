"""Run 3 of step tag-best, after the first `python3 tag_best.py`: prints where the best tag went
(ACADEMY_PROBE_AFTER_FIRST=<the probe's best tag>, ACADEMY_TAGGED_AFTER_FIRST=<JSON list of the
run ids tagged best=true>), then logs a val_auc below every other run's on check-probe, so the
second `python3 tag_best.py` must take the tag off it. Prints nothing when there is no probe.

Runs as the learner, between two runs of the learner's script, because only runs can go there;
it needs nothing the learner lacks: the tracking server's REST API, with the standard library.
"""
import json
import os
import time
import urllib.request

API = os.environ.get("MLFLOW_TRACKING_URI", "http://127.0.0.1:5000") + "/api/2.0/mlflow/"


def call(path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(API + path, data, {"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(request, timeout=10))


def search(where):
    found = call("experiments/get-by-name?experiment_name=late-orders")
    experiment = found["experiment"]["experiment_id"]
    body = {"experiment_ids": [experiment], "filter": where, "max_results": 50000}
    return call("runs/search", body).get("runs", [])


def value(run, kind, key):
    items = run["data"].get(kind, [])
    return next((item["value"] for item in items if item["key"] == key), None)


probes = search("tags.academy_probe = 'true'")
if probes:
    probe = probes[0]["info"]["run_id"]
    print("ACADEMY_PROBE_AFTER_FIRST=" + (value(probes[0], "tags", "best") or ""))
    tagged = [run["info"]["run_id"] for run in search("tags.best = 'true'")]
    print("ACADEMY_TAGGED_AFTER_FIRST=" + json.dumps(tagged))
    finished = search("attributes.status = 'FINISHED'")
    scores = [value(run, "metrics", "val_auc") for run in finished
              if run["info"]["run_id"] != probe]
    time.sleep(0.005)  # a later timestamp makes this the probe's latest val_auc
    lowest = min(score for score in scores if score is not None) / 2
    call("runs/log-metric", {"run_id": probe, "key": "val_auc", "value": lowest,
                             "timestamp": int(time.time() * 1000), "step": 0})
