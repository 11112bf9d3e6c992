"""Grader run of steps 1 to 3, before the learner's command: fresh orders for this grading in the
challenge folder (which the learner's command copies over data/orders.csv in its copy of the
workspace before running train.py or sweep.py), the grader's own copy of them in state_dir() for
the check to retrain on, and a snapshot of the runs already on the tracking server, so the check
counts only the runs the command logs. Runs as the grader: it makes the challenge and keeps the
reference; it runs no learner code."""
import random

from academy_check import challenge_dir, random_seed, state_dir
from expectations import CHALLENGE_FILE, CHALLENGE_ROWS, STATE_ORDERS
from logged_runs import GraderRunAbort, LabServer, take_snapshot
from orders import make_orders

seed = random_seed()
rows = random.Random(seed).randint(*CHALLENGE_ROWS)
orders = make_orders(seed, rows)
(challenge_dir() / CHALLENGE_FILE).write_text(orders)
(state_dir() / STATE_ORDERS).write_text(orders)

take_snapshot(LabServer(GraderRunAbort()))
print(f"{rows} fresh orders ready")
