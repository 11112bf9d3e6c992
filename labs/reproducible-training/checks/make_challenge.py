"""The grader run that starts each step's grading: this grading's orders (a training file and a
validation file) and report token in the challenge folder, for run_train.py to use as the learner,
and the same kept in the grader's state for the check (challenge.py says how they are made).

Runs as the grader: it makes what the learner's code is tested on, and never runs learner code.
"""
from challenge import make_challenge

state = make_challenge()
print(f"challenge ready: {len(state['train'])} training and {len(state['validation'])} validation orders")
