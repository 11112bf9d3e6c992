"""Cheat: the sweep's runs were logged before the check (the setup ran a real sweep); this sweep.py
only prints what a sweep would, and logs nothing.

    python3 sweep.py
"""
for name in ("lr=0.05-depth=2", "lr=0.05-depth=4", "lr=0.3-depth=2", "lr=0.3-depth=4"):
    print(f"{name}: logged")
