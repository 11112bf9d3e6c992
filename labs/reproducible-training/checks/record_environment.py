"""Step 2: requirements.txt pins, with ==, the installed version of every third-party package that
train.py imports directly.

Which modules train.py imports comes from two sources, and the check takes both:
- what run_train.py saw train.py import while it ran (its "import" reports, one per module as it is
  imported, and its "imports" report at the end, recognised by this grading's token: a list
  train.py prints itself is not read, and a forged report can only add modules, never remove one);
- the import statements of train.py, read (never run) by the check itself.
The installed versions are read by the grader from the sandbox's installed distributions
(importlib.metadata), never from anything the learner's code printed.

Transitive dependencies (scipy, threadpoolctl, python-dateutil...) are not required, but every
line that is present must be an exact, correct pin of an installed distribution. Failures name
the package and what is wrong with its line, never the version to write: finding it is the step.
"""
import ast
import sys
from importlib import metadata

from academy_check import Check, installed_version, normalize_name, parse_requirements, read_text, same_version
from challenge import reports, require_challenge
from expectations import REQUIREMENTS_FILE, TRAIN_SCRIPT

check = Check()
grader_run, run = check.require_runs(2)
state = require_challenge(check, grader_run)
check.require_success(run, "`python3 train.py`")

found = reports(run, state["token"])
# The list run_train.py reports at the end, and each module it reported the moment it was imported
# (so that ending the process early cannot hide one).
seen = found.get("imports", []) + [[name] for name in found.get("import", []) if isinstance(name, str)]
if not seen or not all(isinstance(item, list) and all(isinstance(n, str) for n in item) for item in seen):
    problem = ("The check could not see which modules train.py imported: train.py must run to its end "
               "without ending the process itself (os._exit) or closing its output.")
    check.detail("imports seen", False, problem)
    check.fail(problem)
imported = {name for item in seen for name in item}


def import_statements(source: str) -> set[str]:
    """The top-level modules named by the absolute import statements of `source`."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # the run succeeded, so this cannot be the file it ran; rely on the run
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return {name.partition(".")[0] for name in names}


workspace = check.workspace
for name in import_statements(read_text(workspace / TRAIN_SCRIPT, TRAIN_SCRIPT)):
    # A module of the learner's own (a .py file or a package folder beside train.py) is not a package.
    if not (workspace / f"{name}.py").exists() and not (workspace / name).is_dir():
        imported.add(name)

# Third-party distributions train.py imports: normalised name -> (name, a module it gave).
providers = metadata.packages_distributions()
required: dict[str, tuple[str, str]] = {}
for module in sorted(imported):
    if module in sys.stdlib_module_names:
        continue
    for distribution in providers.get(module, []):
        required.setdefault(normalize_name(distribution), (distribution, module))
check.detail("imports seen", True, "", pass_message="The check saw which modules train.py imports.")

path = workspace / REQUIREMENTS_FILE
if not path.exists() and not path.is_symlink():
    problem = (f"There is no {REQUIREMENTS_FILE} in your work folder; create it with one line per package "
               "train.py imports.")
    check.detail("requirements.txt found", False, problem)
    check.fail(problem)
requirements, unreadable = parse_requirements(read_text(path, REQUIREMENTS_FILE))


def join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


if unreadable:
    check.detail(
        "requirements.txt readable",
        False,
        f"{REQUIREMENTS_FILE} has lines pip cannot read as a requirement: "
        + join([f"line {number} (`{text[:60]}`)" for number, text in unreadable])
        + "; write each as a package name and its version.",
    )

by_key: dict[str, list] = {}
for requirement in requirements:
    by_key.setdefault(requirement.key, []).append(requirement)

# Every imported package has a line.
missing = []
for key, (distribution, module) in sorted(required.items()):
    if key not in by_key:
        missing.append(distribution if normalize_name(module) == key
                       else f"{distribution} (the package that provides the {module} module)")
listed = ", ".join(distribution for distribution, _ in sorted(required.values()))
check.detail(
    "imported packages listed",
    not missing,
    f"{REQUIREMENTS_FILE} does not list {join(missing)}, which train.py imports; a lock needs a line for "
    "every package the code imports, even one that another package already depends on." if missing else "",
    pass_message=f"{REQUIREMENTS_FILE} lists every package train.py imports ({listed})."
    if listed else "train.py imports no third-party package.",
)

# Every line pins exactly one version of an installed package, and it is the installed one.
bare, ranges, urls, wrong, right, unknown = [], [], [], [], [], []
for requirement in requirements:
    installed = installed_version(requirement.name)
    written = f"{requirement.name}{requirement.spec}"
    where = f"(line {requirement.line_number})"
    if installed is None:
        provided_by = providers.get(requirement.name, [])
        unknown.append(
            f"{requirement.name} {where} is a module name, and the package that provides it is {provided_by[0]}"
            if provided_by else f"{requirement.name} {where} is not installed in this sandbox"
        )
    elif requirement.url:
        urls.append(f"{requirement.name} {where}")
    elif not requirement.specifiers:
        bare.append(f"{requirement.name} {where}")
    elif requirement.pinned_version is None:
        ranges.append(f"{written} {where}")
    elif not same_version(requirement.pinned_version, installed):
        wrong.append(f"{written} {where}")
    else:
        right.append(f"{requirement.name} {installed}")


def verb(items: list[str], one: str, several: str) -> str:
    return f"{join(items)} {one if len(items) == 1 else several}"


loose = [verb(items, one, several) for items, one, several in (
    (bare, "has no version", "have no version"),
    (ranges, "allows other versions", "allow other versions"),
    (urls, "is given as a URL", "are given as URLs"),
) if items]
check.detail(
    "pins exact",
    not loose,
    f"In {REQUIREMENTS_FILE}, {'; '.join(loose)}. A lock pins each package to exactly one version, with ==."
    if loose else "",
    pass_message=f"Every line of {REQUIREMENTS_FILE} pins exactly one version.",
)
if wrong or right:
    check.detail(
        "pins match installed",
        not wrong,
        f"In {REQUIREMENTS_FILE}, {verb(wrong, 'is not the version', 'are not the versions')} installed in "
        "this sandbox; ask this sandbox's Python which version it has." if wrong else "",
        pass_message="Every pinned version is the one installed in this sandbox.",
    )
if unknown:
    check.detail(
        "only installed packages",
        False,
        f"In {REQUIREMENTS_FILE}, {join(unknown)}; a lock lists installed packages, by their package names.",
    )

pinned = ", ".join(f"{name} {installed_version(name)}" for name, _ in sorted(required.values()))
check.done(
    f"{REQUIREMENTS_FILE} pins exactly the installed versions of what train.py imports ({pinned})."
    if pinned
    else f"{REQUIREMENTS_FILE} is consistent with the sandbox; train.py imports no third-party package."
)
