"""Run 1 of step serve-champion: plans the swap that tests predict.py. Notes @champion's version
and the newest version whose model differs from it (another val_mae) in tags of the registered
model, academy_champion_before_check and academy_check_other, so the later runs (and the check,
if a run was cut short) can move @champion and put it back. Prints
ACADEMY_SWAP={"champion", "other"}, or ACADEMY_SWAP=none when there is no champion yet
(checks/expectations.py).

Runs as the learner, before the learner's script, because only runs can go there; it needs
nothing the learner lacks: the tracking server's REST API, with the standard library.
"""
import json
import os
import urllib.error
import urllib.parse
import urllib.request

API = os.environ.get("MLFLOW_TRACKING_URI", "http://127.0.0.1:5000") + "/api/2.0/mlflow/"


def call(path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(API + path, data, {"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(request, timeout=10))


def error(run_id):
    metrics = call("runs/get?run_id=" + run_id)["run"]["data"].get("metrics", []) if run_id else []
    return next((m["value"] for m in metrics if m["key"] == "val_mae"), None)


try:
    champion = call("registered-models/alias?name=delivery-eta&alias=champion")["model_version"]
except urllib.error.HTTPError:  # no champion yet
    print("ACADEMY_SWAP=none")
    raise SystemExit
where = urllib.parse.quote("name = 'delivery-eta'")
found = call("model-versions/search?filter=" + where)["model_versions"]
own = error(champion.get("run_id"))
newest_first = sorted(found, key=lambda v: -int(v["version"]))
other = next((v for v in newest_first if error(v.get("run_id")) not in (None, own)), None)
for key, value in (("academy_champion_before_check", champion), ("academy_check_other", other)):
    if value is not None:
        call("registered-models/set-tag",
             {"name": "delivery-eta", "key": key, "value": value["version"]})
swap = {"champion": champion["version"], "other": other and other["version"]}
print("ACADEMY_SWAP=" + json.dumps(swap))
