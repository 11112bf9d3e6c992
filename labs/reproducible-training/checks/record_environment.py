"""Step 2: requirements.txt pins, with ==, the installed version of every third-party package that
train.py imports directly. The step's run executes train.py and prints those imports
(train_and_print_imports.py); this check maps them to installed distributions.

Transitive dependencies (scipy, threadpoolctl, python-dateutil...) are not required, but every
line that is present must be an exact, correct pin of an installed distribution.
"""
import json
import sys
from importlib import metadata

from academy_check import (
    Check,
    installed_version,
    normalize_name,
    parse_requirements,
    read_text,
    same_version,
)
from expectations import IMPORTS_MARKER, REQUIREMENTS_FILE

check = Check()
(run,) = check.require_runs(1)
check.require_success(run, label="`python3 train.py`")

marker = run.marker(IMPORTS_MARKER)
try:
    imported = json.loads(marker) if marker is not None else None
except ValueError:
    imported = None
if not isinstance(imported, list) or not all(isinstance(name, str) for name in imported):
    check.fail(
        "The check could not see which modules train.py imports: make sure it runs to its end "
        "without calling os._exit() or replacing sys.stdout."
    )

# Third-party distributions train.py imports directly: normalised name -> (name, a module it gave).
providers = metadata.packages_distributions()
required: dict[str, tuple[str, str]] = {}
for module in sorted(set(imported)):
    if module in sys.stdlib_module_names:
        continue
    for distribution in providers.get(module, []):
        required.setdefault(normalize_name(distribution), (distribution, module))

path = check.workspace / REQUIREMENTS_FILE
if not path.exists() and not path.is_symlink():
    check.fail(
        f"There is no {REQUIREMENTS_FILE} in your work folder; create it with one `name==version` "
        "line per package train.py imports."
    )
requirements, unreadable = parse_requirements(read_text(path, REQUIREMENTS_FILE))

for number, text in unreadable:
    check.detail(
        f"{REQUIREMENTS_FILE} line {number}",
        False,
        f"{REQUIREMENTS_FILE} line {number} (`{text[:80]}`) is not a requirement pip can read; "
        "write it as `name==version`.",
    )


def judge(requirement, display_name, installed):
    """Records whether one requirement line pins `installed` exactly."""
    label = f"{display_name} pinned (line {requirement.line_number})"
    expected = f"{display_name}=={installed}"
    written = f"{requirement.name}{requirement.spec}"
    if requirement.url:
        check.detail(label, False, f"{REQUIREMENTS_FILE} gives {requirement.name} as a URL; "
                     f"pin the installed version instead: {expected}.")
    elif not requirement.specifiers:
        check.detail(label, False, f"{REQUIREMENTS_FILE} lists {requirement.name} without a version; "
                     f"pin the installed one exactly: {expected}.")
    elif requirement.pinned_version is None:
        check.detail(label, False, f"{REQUIREMENTS_FILE} has {written}, which allows other versions; "
                     f"pin the installed one exactly: {expected}.")
    else:
        check.detail(
            label,
            same_version(requirement.pinned_version, installed),
            f"{REQUIREMENTS_FILE} pins {written}, but this sandbox has {display_name} {installed}; "
            f"write {expected}.",
            pass_message=f"{written} matches the installed version.",
        )


by_key: dict[str, list] = {}
for requirement in requirements:
    by_key.setdefault(requirement.key, []).append(requirement)

for key, (distribution, module) in sorted(required.items()):
    installed = installed_version(distribution)
    if installed is None:  # packages_distributions() named it, so this means a broken install
        check.error()
    lines = by_key.get(key, [])
    if not lines:
        what = f"{distribution}," if normalize_name(module) == key else (
            f"{distribution}, the package that provides the {module} module,")
        check.detail(
            f"{distribution} pinned",
            False,
            f"{REQUIREMENTS_FILE} does not list {what} which train.py imports; "
            f"add {distribution}=={installed}.",
        )
    for requirement in lines:
        judge(requirement, distribution, installed)

# Lines for packages train.py does not import directly: welcome, if they are exact and correct.
for key, lines in by_key.items():
    if key in required:
        continue
    for requirement in lines:
        installed = installed_version(requirement.name)
        if installed is not None:
            judge(requirement, requirement.name, installed)
            continue
        provided_by = providers.get(requirement.name, [])
        if provided_by:
            why = (f"{requirement.name} is a module name, and the package that provides it is "
                   f"{provided_by[0]}: write {provided_by[0]}=={installed_version(provided_by[0])}")
        else:
            why = "remove the line, because a lock lists only what is installed"
        check.detail(
            f"{requirement.name} (line {requirement.line_number})",
            False,
            f"{REQUIREMENTS_FILE} lists {requirement.name}, which is not installed in this sandbox; {why}.",
        )

pinned = ", ".join(f"{name} {installed_version(name)}" for name, _ in sorted(required.values()))
check.done(
    f"{REQUIREMENTS_FILE} pins exactly the installed versions of what train.py imports ({pinned})."
    if pinned
    else f"{REQUIREMENTS_FILE} is consistent with the sandbox; train.py imports no third-party package."
)
