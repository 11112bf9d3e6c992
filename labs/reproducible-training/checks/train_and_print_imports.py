"""The run of step record-environment: runs train.py as `python3 train.py` would, then prints the
top-level modules that code in the run's folder imported itself (not those imported by
libraries): ACADEMY_IMPORTS=<sorted JSON list> (checks/expectations.py). The check maps them to
installed packages.

Runs as the learner because it runs the learner's train.py: a check, running as the grader, never
does. Run as `python3 -c`, so this program's own frames are "<string>" and its imports never count,
and the run's folder comes first on sys.path, as for `python3 train.py`.
"""
import builtins
import importlib
import json
import os
import runpy
import sys

folder = os.getcwd()
imported = set()


def note(name, depth):
    """Counts `name` if the code importing it, `depth` frames above note's caller, is a file in
    the run's folder."""
    try:
        source = sys._getframe(depth + 1).f_code.co_filename
    except ValueError:
        return
    if source.startswith("<"):
        return
    if os.path.abspath(os.path.join(folder, source)).startswith(folder + os.sep):
        imported.add(name.partition(".")[0])


real_import, real_import_module = builtins.__import__, importlib.import_module


def tracking_import(name, globals=None, locals=None, fromlist=(), level=0):
    if level == 0:
        note(name, 1)
    return real_import(name, globals, locals, fromlist, level)


def tracking_import_module(name, package=None):
    if not name.startswith("."):
        note(name, 1)
    return real_import_module(name, package)


builtins.__import__, importlib.import_module = tracking_import, tracking_import_module
try:
    sys.argv = ["train.py"]
    runpy.run_path("train.py", run_name="__main__")
finally:
    builtins.__import__, importlib.import_module = real_import, real_import_module
    print("ACADEMY_IMPORTS=" + json.dumps(sorted(imported)), flush=True)
