"""Run 3 of step serve-champion, between two `python3 predict.py`: points @champion at the other
version plan_champion_swap.py noted (tag academy_check_other), so the second predict.py must
follow the alias. Prints nothing.

Runs as the learner, between two runs of the learner's script, because only runs can go there;
it needs nothing the learner lacks: the tracking server's REST API, with the standard library.
"""
import json
import os
import urllib.request

API = os.environ.get("MLFLOW_TRACKING_URI", "http://127.0.0.1:5000") + "/api/2.0/mlflow/"


def call(path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(API + path, data, {"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(request, timeout=10))


model = call("registered-models/get?name=delivery-eta")["registered_model"]
tags = {t["key"]: t["value"] for t in model.get("tags", [])}
if "academy_check_other" in tags:
    call("registered-models/alias", {"name": "delivery-eta", "alias": "champion",
                                     "version": tags["academy_check_other"]})
