"""Run 5 of step serve-champion, after the second `python3 predict.py`: puts @champion back on the
version plan_champion_swap.py noted, removes its two tags, and prints what each of the two
versions predicts for data/new_orders.csv: ACADEMY_REFERENCE={"<version>": [minutes, ...], ...}
(checks/expectations.py), the reference the check compares predictions.csv with.

Runs as the learner because it unpickles the models, which runs whatever code they hold: a check,
running as the grader, never does.
"""
import json
import os
import pickle
import urllib.request

import pandas as pd

URI = os.environ.get("MLFLOW_TRACKING_URI", "http://127.0.0.1:5000")
TAGS = ("academy_champion_before_check", "academy_check_other")


def call(path, body=None, method=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(URI + "/api/2.0/mlflow/" + path, data,
                                     {"Content-Type": "application/json"}, method=method)
    return json.load(urllib.request.urlopen(request, timeout=10))


model = call("registered-models/get?name=delivery-eta")["registered_model"]
tags = {t["key"]: t["value"] for t in model.get("tags", [])}
versions = [tags[key] for key in TAGS if key in tags]
if versions:
    call("registered-models/alias",
         {"name": "delivery-eta", "alias": "champion", "version": versions[0]})
for key in TAGS:
    if key in tags:
        call("registered-models/delete-tag", {"name": "delivery-eta", "key": key}, "DELETE")
orders = pd.read_csv("data/new_orders.csv").drop(columns=["order_id"])
artifacts = URI + "/api/2.0/mlflow-artifacts/artifacts/"
reference = {}
for version in versions:
    uri = call("model-versions/get-download-uri?name=delivery-eta&version=" + version)
    url = uri["artifact_uri"].replace("mlflow-artifacts:/", artifacts) + "/model.pkl"
    model_file = urllib.request.urlopen(url, timeout=10).read()
    reference[version] = pickle.loads(model_file).predict(orders).tolist()
print("ACADEMY_REFERENCE=" + json.dumps(reference))
