"""Grader run 3 of step serve-champion, between the two runs of predict.py: points @champion of the
grading's registered model at the second version plan.json names, as a promotion or a rollback
would, so the second predict.py must serve another model without any change to its code.

Runs as the grader: it moves the alias of the grader's own model. It exits non-zero when the
server refuses (the model or the version is gone); the check then reports it.
"""
import json

import registry_probe as registry
from academy_check import state_dir
from expectations import CHAMPION, PLAN_FILE

plan = json.loads((state_dir() / PLAN_FILE).read_text())
registry.set_alias(plan["model_name"], CHAMPION, plan["second"])
print(f"@champion moved from version {plan['first']} to version {plan['second']}")
