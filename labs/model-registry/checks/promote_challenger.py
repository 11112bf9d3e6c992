"""Step 2: promote.py promotes a challenger that is at least as good as the champion (Staging, then
Production with the previous Production version archived, and @champion) and refuses a worse one.

The step's runs (lab.yaml) replay the story: 1 runs promote.py on whatever @challenger is now
(crowning step 1's version the first time; its result is not judged), 2 trains the boosting models
and registers the best as the new @challenger, 3 runs promote.py (it must promote), 4 points
@challenger at a worse version (tagged academy_check, reused across checks; the script
offer_worse_challenger.py) and 5 runs promote.py again (it must refuse, exit non-zero and change
nothing).
"""
import json

from academy_check import Check
from expectations import CHALLENGER, CHAMPION, DECOY_MARKER, METRIC, MODEL_NAME
from registry_state import validation_error, versions_registered_during
from academy_tracking import TrackingServer

SCRIPT = "promote.py"

check = Check()
_, retrain, promote, offer_worse, refuse = check.require_runs(5)
server = TrackingServer(check)
for needed, step in (("register_best.py", "step 1"), (SCRIPT, "the starter")):
    if not retrain.path(needed).exists() and not retrain.path(needed).is_symlink():
        check.fail(f"There is no {needed} in your work folder; this step needs the one from {step}.")
check.require_success(retrain, "`python3 train.py --model boosting && python3 register_best.py`")

registered = versions_registered_during(server, retrain)
registered = [v for v in registered if int(v.get("creation_timestamp") or 0) <= promote.started_at_ms]
if len(registered) != 1:
    check.fail(
        f"In the check's run of register_best.py, {len(registered)} versions were registered instead of "
        "one; make step 1 pass again first."
    )
candidate = registered[0]
number = candidate["version"]
candidate_error = validation_error(server, candidate)
story = (
    f"The check trained the boosting models, registered the best as version {number} "
    f"({METRIC} {candidate_error:.3f}) with @{CHALLENGER} on it, and ran `python3 {SCRIPT}`"
)

problem = promote.problem("it")
if problem:
    champion = server.version_by_alias(MODEL_NAME, CHAMPION)
    champion_error = validation_error(server, champion) if champion else None
    hint = ""
    if champion_error is not None and champion_error == candidate_error:
        hint = (f" Version {number} is exactly as good as the champion, version {champion['version']} "
                f"({METRIC} {champion_error:.3f}): promote a challenger that is at least as good (<=).")
    check.fail(f"{story}: {problem.rstrip('.')}.{hint}")

offered = offer_worse.marker(DECOY_MARKER)
if offered == "none":
    check.fail(
        f"{story}. To test the gate next, the check looked for a version worse than @{CHAMPION} (from a "
        f"finished run with a higher {METRIC} than the champion's run) and found none: run `python3 "
        "train.py` (the decision trees), then check again."
    )
try:
    decoy = json.loads(offered or "null")
except ValueError:
    decoy = None
if not isinstance(decoy, dict):
    print(f"promote_challenger: no worse candidate: {offer_worse.problem()} {offer_worse.stderr[-2000:]}")
    check.error()

versions = {version["version"]: version for version in server.model_versions(MODEL_NAME)}
champion = server.version_by_alias(MODEL_NAME, CHAMPION)
worse = versions.get(str(decoy["version"]), {})
worse_number = str(decoy["version"])

# The gate, first: if it let the worse version through, everything else follows from that.
if champion is not None and champion["version"] == worse_number:
    check.fail(
        f"{story}, which promoted it. Then the check pointed @{CHALLENGER} at version {worse_number} "
        f"({METRIC} {decoy['val_mae']:.3f}, worse than the champion's {decoy['champion_val_mae']:.3f}) "
        f"and ran `python3 {SCRIPT}` again: it made version {worse_number} the champion. Compare the "
        f"two versions' {METRIC} first, and refuse when the challenger's is higher."
    )
champion_stage = versions.get(champion["version"], {}).get("current_stage") if champion else None
if worse.get("current_stage") in ("Staging", "Production") and champion_stage != "Production":
    check.fail(
        f"After the check offered version {worse_number}, a worse challenger, `python3 {SCRIPT}` left it in "
        f"{worse['current_stage']}; decide first, and change nothing when the challenger is worse."
    )
if refuse.timed_out or refuse.exit_code == 0:
    check.fail(
        f"The check pointed @{CHALLENGER} at version {worse_number} ({METRIC} {decoy['val_mae']:.3f}, worse "
        f"than the champion's {decoy['champion_val_mae']:.3f}): `python3 {SCRIPT}` kept the champion, but "
        "exited with status 0. Exit with status 1 (sys.exit(1)) when you refuse, so a pipeline stops."
        if not refuse.timed_out else refuse.problem(f"`python3 {SCRIPT}`")
    )

# The promotion of the better version.
if champion is None:
    check.fail(f"{story}, but @{CHAMPION} is not set; point it at the version you promote.")
if champion["version"] != number:
    check.fail(
        f"{story}, but @{CHAMPION} points at version {champion['version']}, not {number}; point it at the "
        "challenger you promote."
    )
stage = versions.get(number, {}).get("current_stage", "None")
check.detail(
    f"version {number} in Production",
    stage == "Production",
    f"{story}: version {number} is @{CHAMPION} but in stage {stage}; move it to Staging, then to Production.",
    pass_message=f"Version {number} is in Production.",
)
others = [v["version"] for v in versions.values() if v["version"] != number and v.get("current_stage") == "Production"]
check.detail(
    "one version in Production",
    not others,
    f"{story}: version{'s' if len(others) > 1 else ''} {', '.join(others)} "
    f"{'are' if len(others) > 1 else 'is'} still in Production too; pass archive_existing_versions=True "
    "when you move the challenger to Production.",
    pass_message="No other version is in Production.",
)
archived = [v["version"] for v in versions.values() if v.get("current_stage") == "Archived"]
check.detail(
    "the previous version archived",
    bool(archived),
    f"{story}: no version of '{MODEL_NAME}' is Archived, although one was in Production before; pass "
    "archive_existing_versions=True when you move the challenger to Production.",
    pass_message=f"Archived: version{'s' if len(archived) > 1 else ''} {', '.join(archived[-3:])}.",
)

check.done(
    f"`python3 {SCRIPT}` moved version {number} ({METRIC} {candidate_error:.3f}) through Staging to "
    f"Production, archived the previous one and made it @{CHAMPION}; it then refused version "
    f"{worse_number} ({METRIC} {decoy['val_mae']:.3f}) with exit status {refuse.exit_code}."
)
