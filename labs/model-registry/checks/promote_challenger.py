"""Step 2: promote.py moves @champion to the challenger when the challenger's val_mae is lower than or
equal to the champion's (or when there is no champion yet), exiting 0, and otherwise leaves
@champion where it was and exits non-zero.

The step's runs (lab.yaml): 1 (make_gate_cases.py, as the grader) makes one registered model per
case, with versions from runs whose val_mae the grader chose; 2 (promote_each_model.sh, as the
learner) runs promote.py once per model, with MODEL_NAME naming it. The check then reads each
model's @champion from the registry and compares it with what the rule demands for that case
(plan.json), then deletes the grading's models, runs and experiment. Stages are not looked at: a
promote.py that also moves the legacy stages passes as well as one that does not.
"""
import json
import re

import registry_probe as registry
from academy_check import Check, LearnerFileError, last_line, read_text, state_dir
from academy_tracking import TrackingServer
from expectations import (CHALLENGER, CHAMPION, GATE_LOG, GATE_MARKER, METRIC, PLAN_FILE,
                          PROMOTE_SCRIPT)

LABEL = f"`python3 {PROMOTE_SCRIPT}`"
# The order of the details: the first failing one leads the message and picks the hint.
DETAILS = {
    "first": "crowns the first challenger",
    "better": "promotes a better challenger",
    "worse": "refuses a worse challenger",
    "equal": "promotes an equal challenger",
    "slightly better": "promotes a slightly better challenger",
    "slightly worse": "refuses a slightly worse challenger",
}
EXIT_DETAIL = "exits non-zero when refusing"

check = Check()
setup, gate = check.require_runs(2)
if setup.as_user != "grader" or setup.exit_code != 0:
    print(f"promote_challenger: the cases were not made: {setup.problem()}\n{setup.stderr[-3000:]}")
    check.error()
plan = json.loads((state_dir() / PLAN_FILE).read_text())
cases = {case["kind"]: case for case in plan["cases"]}


def outcomes() -> dict[str, list[tuple[int, int]]]:
    """model name -> [(n, exit status)] from promote_each_model.sh's lines: one per model, unless
    something else wrote lines like them into the run's output. The lines are found anywhere in the
    output, not only at the start of a line: text written before the script's own line (without a
    newline) cannot hide it."""
    found = {}
    for match in re.finditer(re.escape(GATE_MARKER) + r"(\d+) (\S+) (-?\d+)", gate.stdout):
        found.setdefault(match.group(2), []).append((int(match.group(1)), int(match.group(3))))
    return found


def said(n: int) -> tuple[str, bool]:
    """The last line promote.py wrote in case n, and whether it crashed with a traceback."""
    try:
        text = read_text(gate.path(GATE_LOG.format(n=n)), GATE_LOG.format(n=n))
    except LearnerFileError:
        return "", False
    return last_line(text, 200), "Traceback (most recent call last)" in text


def value(number: float) -> str:
    return f"{METRIC} {number:.4f}"


def story(case: dict) -> str:
    champion_value, challenger_value = case["values"]
    if case["champion"] is None:
        return (f"The check's model {case['model']} had no @{CHAMPION} yet and @{CHALLENGER} on version "
                f"{case['challenger']} ({value(challenger_value)})")
    return (f"The check's model {case['model']} had @{CHAMPION} on version {case['champion']} "
            f"({value(champion_value)}) and @{CHALLENGER} on version {case['challenger']} ({value(challenger_value)})")


try:
    if gate.timed_out or gate.error is not None or gate.exit_code != 0:
        check.require_success(gate, f"{LABEL}, run once per model of the check,")
    statuses = outcomes()
    server = TrackingServer(check)
    refusals = []
    for kind, name in DETAILS.items():
        case = cases[kind]
        if len(statuses.get(case["model"], [])) != 1:
            # promote_each_model.sh prints exactly one line per model: none means the run was cut
            # short, several that promote.py wrote lines of its own into the run's output.
            check.detail(name, False, f"{story(case)}: the check could not tell how {LABEL} ended for this model "
                         f"({len(statuses.get(case['model'], []))} status lines instead of one). Let {PROMOTE_SCRIPT} "
                         "print only its own messages and end by itself.")
            continue
        ((n, status),) = statuses[case["model"]]
        last, crashed = said(n)
        holder = server.version_by_alias(case["model"], CHAMPION)
        now = holder["version"] if holder else None
        where = f"@{CHAMPION} on version {now}" if now else f"@{CHAMPION} unset"
        ran = f"{LABEL} exited with status {status}" + (f" ({last})" if status != 0 and last else "")
        if case["expect"] == "promote":
            promoted = now == case["challenger"]
            if promoted and status == 0:
                check.detail(name, True, "", pass_message=f"{story(case)}: promoted, exit status 0.")
                continue
            if crashed:
                problem = f"{story(case)}: {LABEL} crashed: {last or 'see its traceback'}."
            elif promoted:
                problem = (f"{story(case)}: {LABEL} moved @{CHAMPION} to version {now} but {ran}; exit with "
                           "status 0 when the challenger is promoted, so a pipeline goes on.")
            else:
                rule = {
                    "first": "with no champion yet, any challenger becomes the champion",
                    "better": "its challenger is better",
                    "equal": "its challenger is exactly as good, and at least as good is enough",
                    "slightly better": "its challenger is better, if only in the third decimal",
                }[kind]
                problem = f"{story(case)}, and {rule}; but {ran} and left {where}."
            check.detail(name, False, problem)
        else:
            refusals.append((case, status, last))
            if now == case["champion"] and not crashed:
                check.detail(name, True, "", pass_message=f"{story(case)}: refused, {where}.")
                continue
            if crashed:
                problem = (f"{story(case)}: {LABEL} crashed instead of refusing: {last or 'see its traceback'}. "
                           "A refusal says why and exits on purpose.")
            else:
                did = f"moved @{CHAMPION} to version {now}" if now == case["challenger"] else f"left {where}"
                if kind == "slightly worse":
                    problem = (f"{story(case)}: the challenger is worse, if only in the third decimal, yet {LABEL} "
                               f"{did}. Compare the two values exactly as the runs hold them, without rounding.")
                else:
                    problem = (f"{story(case)}: the challenger is worse, yet {LABEL} {did}. A worse challenger must "
                               f"leave @{CHAMPION} where it is.")
            check.detail(name, False, problem)
    quiet = [case for case, status, _ in refusals if status == 0]
    if refusals:
        check.detail(
            EXIT_DETAIL,
            not quiet,
            f"{story(quiet[0])}, a worse challenger: {LABEL} exited with status 0. When it refuses, it must exit "
            "with a non-zero status, so that a pipeline running it stops there." if quiet else "",
            pass_message=f"Every refusal exited with a non-zero status "
                         f"({', '.join(str(status) for _, status, _ in refusals)}).",
        )
    check.done(
        f"{LABEL} decided all {len(cases)} cases of the check by the rule: it promoted the first, the better, the "
        f"slightly better and the equal challengers, and refused the worse and the slightly worse ones."
    )
finally:
    registry.clean_up([plan["experiment_id"]], [case["model"] for case in plan["cases"]])
