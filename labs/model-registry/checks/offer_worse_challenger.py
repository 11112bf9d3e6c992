"""Run 4 of step promote, before the last `python3 promote.py`: points @challenger at a version
worse than the champion (a higher val_mae), which promote.py must then refuse. The worse version
is registered once, from the finished run with the highest val_mae, tagged academy_check=worse,
and reused by later checks. Prints ACADEMY_DECOY={"version", "val_mae", "champion_val_mae"}, or
ACADEMY_DECOY=none when there is no champion or no worse run (checks/expectations.py).

Runs as the learner, between two runs of the learner's script, because only runs can go there;
it needs nothing the learner lacks: the tracking server's REST API, with the standard library.
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


def offered_before(version):
    """Whether an earlier check registered `version` as the worse one, still worse than `bar`."""
    tagged = any(t["key"] == "academy_check" for t in version.get("tags", []))
    return tagged and (error(version.get("run_id")) or 0) > bar


try:
    champion = call("registered-models/alias?name=delivery-eta&alias=champion")["model_version"]
    bar = error(champion.get("run_id"))
except urllib.error.HTTPError:  # no champion yet
    bar = None
where = urllib.parse.quote("name = 'delivery-eta'")
found = call("model-versions/search?filter=" + where)["model_versions"]
worse = next((v for v in found if offered_before(v)), None) if bar else None
if bar and worse is None:
    experiment = call("experiments/get-by-name?experiment_name=delivery-eta")["experiment"]
    where = f"attributes.status = 'FINISHED' AND metrics.val_mae > {bar!r}"
    search = {"experiment_ids": [experiment["experiment_id"]], "filter": where,
              "order_by": ["metrics.val_mae DESC"]}
    for run in call("runs/search", search).get("runs", [])[:1]:
        tags = [{"key": "academy_check", "value": "worse"}]
        body = {"name": "delivery-eta", "source": run["info"]["artifact_uri"] + "/model",
                "run_id": run["info"]["run_id"], "tags": tags}
        worse = call("model-versions/create", body)["model_version"]
if worse is None:
    print("ACADEMY_DECOY=none")
else:
    call("registered-models/alias",
         {"name": "delivery-eta", "alias": "challenger", "version": worse["version"]})
    decoy = {"version": worse["version"], "val_mae": error(worse["run_id"]),
             "champion_val_mae": bar}
    print("ACADEMY_DECOY=" + json.dumps(decoy))
