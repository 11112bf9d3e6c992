"""The grader run of step record-environment: only this grading's report token in the challenge
folder, for run_train.py (the step needs none of the check's orders: train.py trains on the lab's
own data), and kept in the grader's state for the check.

Runs as the grader: it makes what the learner's run reports with, and never runs learner code.
"""
from challenge import make_token

make_token()
print("token ready")
