"""The helper every lab check imports: read the step's runs, inspect what they left, report a result.

A check runs inside the sandbox as the `grader` user, after the step's `runs`, in the grader's
clean room (clean_room.py): a private folder holding the lab's checks/, this file and runs.json,
which the runner wrote from what it recorded of each run. It must print exactly one JSON object
on stdout (docs/authoring-labs.md):

    {"status": "pass"|"fail"|"error", "message": "...", "details": [{"name", "status", "message"}]}

A typical check:

    from academy_check import Check, sha256_file

    check = Check()
    first, second = check.require_runs(2)
    check.require_success(first)          # a crash or timeout fails the check, quoting stderr
    check.require_success(second)
    a, b = sha256_file(first.path("model.joblib")), sha256_file(second.path("model.joblib"))
    check.detail("same model", a == b, f"model.joblib differed between two runs ({a} vs {b}).")
    check.done("Both runs saved the same model.")

Checks challenge, they do not believe: a grader run (`{script: checks/x.py, as: grader}`) makes
fresh inputs in challenge_dir() and keeps its own reference result in state_dir(); a learner run
computes on those inputs; the check compares. probe_name() and random_seed() differ at every
grading and no learner can read them before they are used.

What the helper guarantees, so that checks stay short:
- stdout belongs to the result: while a check runs, print() goes to stderr.
- An unexpected exception becomes an "error" result with a generic message. The traceback goes to
  stderr (the grader's diagnostics), never into the message: learners must not see a check's source.
- A LearnerFileError (a learner's file is missing, a link, unreadable, too big or not valid JSON)
  becomes a "fail" whose message is the exception's text.
- A check that ends without reporting gives an "error".
Learner files are read without following symbolic links, only when they are regular files and up
to a size limit. Learner code is never imported, run or unpickled here: that would run it as the
grader. Standard library only (Python 3.11).
"""
from __future__ import annotations

import atexit
import hashlib
import hmac
import json
import math
import os
import re
import stat
import sys
import traceback
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import metadata
from pathlib import Path
from typing import NoReturn

DEFAULT_WORKSPACE = "/home/learner/work"
# The runner's per-grading secret (hex), from which probe names and the random seed derive.
PROBE_SEED_VARIABLE = "ACADEMY_PROBE_SEED"
PROBE_NAME_HEX_DIGITS = 16
# The result's limits (lab-runner/grading/check-result.ts): longer text is cut there anyway.
MESSAGE_MAX_CHARS = 1000
DETAIL_NAME_MAX_CHARS = 200
DETAILS_MAX = 50
# Files a check reads whole (JSON, text) are small; anything bigger is a learner mistake.
READ_LIMIT_BYTES = 1024 * 1024
# A run's startedAtMs (taken in the sandbox, before the workspace is copied) and file times come
# from the same kernel clock; file times lag it by up to one clock tick. The slack absorbs that,
# while a file left in the workspace by an earlier run keeps its older time.
CLOCK_SLACK_MS = 100
GENERIC_ERROR = (
    "The check itself failed while looking at your work. That is a problem with the lab, not with "
    "your work: try again, and tell your instructor if it keeps happening."
)


class LearnerFileError(Exception):
    """A learner's file cannot be used; str(error) is a one-sentence message for the learner.

    Left uncaught in a check, it becomes a "fail" result with that message.
    """


# ---------------------------------------------------------------------------------------------
# Runs


@dataclass(frozen=True)
class Run:
    """One of the step's `runs`, as the runner recorded it in runs.json."""

    command: str
    dir: Path
    exit_code: int | None
    timed_out: bool
    stdout: str
    stderr: str
    started_at_ms: int
    duration_ms: int
    # Set when the run could not start at all (e.g. copying the workspace failed).
    error: str | None = None
    # Who ran it: "learner" (in a copy of the workspace) or "grader" (in the clean room).
    as_user: str = "learner"

    @classmethod
    def from_json(cls, item: dict) -> Run:
        return cls(
            command=str(item["command"]),
            dir=Path(item["dir"]),
            exit_code=item.get("exitCode"),
            timed_out=bool(item.get("timedOut", False)),
            stdout=item.get("stdout") or "",
            stderr=item.get("stderr") or "",
            started_at_ms=int(item.get("startedAtMs", 0)),
            duration_ms=int(item.get("durationMs", 0)),
            error=item.get("error"),
            as_user=str(item.get("as", "learner")),
        )

    def label(self) -> str:
        """How messages name the run: its command in backticks, or "your code" if it is long."""
        command = self.command.strip()
        if "\n" in command or len(command) > 80:
            return "your code"
        return f"`{command}`"

    def problem(self, label: str | None = None) -> str | None:
        """None if the run exited 0; else one sentence saying what went wrong, for the learner."""
        name = label or self.label()
        if self.error is not None:
            return f"{name} could not be started for the check: {self.error}."
        if self.timed_out:
            seconds = max(1, round(self.duration_ms / 1000))
            return f"{name} was still running after {seconds} s and was stopped; make it finish faster."
        if self.exit_code == 0:
            return None
        code = self.exit_code
        # A signal shows as a negative status (the run's process itself) or 128 + n (a shell's child).
        signal_number = -code if code is not None and code < 0 else code - 128 if code and code > 128 else 0
        if signal_number == 9:
            reason = " (it was killed, most often because it ran out of memory)"
        elif signal_number:
            reason = f" (it was killed by signal {signal_number})"
        else:
            reason = ""
        said = last_line(self.stderr) or last_line(self.stdout)
        said = f": {said}" if said else " without an error message"
        return f"{name} exited with status {code}{reason}{said}"

    def path(self, relative: str) -> Path:
        """A path inside the run's folder (where the command ran). The folder, and the one holding
        it, must not have become symbolic links: a later run may have put one in their place to
        send the check elsewhere."""
        for folder in (self.dir.parent, self.dir):
            if folder.is_symlink():
                raise LearnerFileError(
                    f"The folder {self.label()} ran in ({self.dir}) was replaced by a link after it ran."
                )
        return self.dir / _relative(relative)

    def metrics(self) -> dict[str, str]:
        """The `name: value` metric lines the run printed on stdout (see parse_metrics)."""
        return parse_metrics(self.stdout)

    def marker(self, prefix: str) -> str | None:
        """The rest of the last stdout line that starts with `prefix`, or None."""
        found = None
        for line in self.stdout.splitlines():
            if line.startswith(prefix):
                found = line[len(prefix):].strip()
        return found

    def written_during_run(self, relative: str) -> bool:
        """Whether the file was last modified after the run started (the grader copies the
        workspace with its file times, so a file the run did not write keeps its old time)."""
        info = file_info(self.path(relative), relative)
        return info.st_mtime_ns // 1_000_000 >= self.started_at_ms - CLOCK_SLACK_MS


def _relative(relative: str) -> str:
    parts = Path(relative).parts
    if not parts or Path(relative).is_absolute() or ".." in parts:
        raise ValueError(f"expected a path inside the folder, got {relative!r}")
    return relative


# ---------------------------------------------------------------------------------------------
# The grading's runs, folders and secrets (set by the clean room for checks and grader runs)


def _files_dir() -> Path:
    return Path(os.environ.get("ACADEMY_FILES") or os.getcwd())


def runs(files: str | Path | None = None) -> list[Run]:
    """The runs so far, in the order of `runs` in lab.yaml (all of them, for a check). Raises
    ValueError when runs.json is unreadable, which the runner never writes."""
    path = Path(files or _files_dir()) / "runs.json"
    if not path.exists():
        return []
    items = json.loads(path.read_text(encoding="utf-8"))
    try:
        return [Run.from_json(item) for item in items]
    except (KeyError, TypeError) as problem:
        raise ValueError(f"runs.json: {problem!r}") from None


def state_dir() -> Path:
    """The grader's private folder of this grading (ACADEMY_STATE): what a grader run keeps for a
    later grader run or the check, such as the reference result of a challenge."""
    return Path(os.environ["ACADEMY_STATE"])


def challenge_dir() -> Path:
    """The folder for a challenge's fresh inputs (ACADEMY_CHALLENGE): the grader writes there,
    learner runs read it through their own ACADEMY_CHALLENGE and cannot change it."""
    folder = Path(os.environ["ACADEMY_CHALLENGE"])
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise RuntimeError(f"{folder} is not the grader's folder")
    return folder


def _secret(purpose: str) -> str:
    seed = os.environ.get(PROBE_SEED_VARIABLE)
    if not seed:
        raise RuntimeError(f"{PROBE_SEED_VARIABLE} is not set: only the grader has it")
    return hmac.new(bytes.fromhex(seed), purpose.encode(), hashlib.sha256).hexdigest()


def probe_name(prefix: str) -> str:
    """A name no learner can guess, the same for every grader process of one grading and different
    at the next: `probe_name("probe-run")` gives e.g. 'probe-run-3f2a9c0d1e4b5a6f'."""
    return f"{prefix}-{_secret('probe-name:' + prefix)[:PROBE_NAME_HEX_DIGITS]}"


def random_seed() -> int:
    """A seed for random.Random or numpy, the same for every grader process of one grading and
    different at the next, so a challenge cannot be known in advance."""
    return int(_secret("random-seed")[:8], 16)


# ---------------------------------------------------------------------------------------------
# Learner files


def file_info(path: Path, name: str | None = None) -> os.stat_result:
    """lstat() of a learner's file that must be a regular file; else LearnerFileError."""
    name = name or Path(path).name
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise LearnerFileError(f"{name} was not found.") from None
    except NotADirectoryError:
        raise LearnerFileError(f"{name} was not found (a part of its path is a file).") from None
    except PermissionError:
        raise LearnerFileError(f"{name} could not be read; make it readable (chmod a+r).") from None
    if stat.S_ISLNK(info.st_mode):
        raise LearnerFileError(f"{name} is a symbolic link; the check only reads real files.")
    if stat.S_ISDIR(info.st_mode):
        raise LearnerFileError(f"{name} is a folder; a file was expected.")
    if not stat.S_ISREG(info.st_mode):
        raise LearnerFileError(f"{name} is not a regular file.")
    return info


def _open_learner_file(path: Path, name: str):
    file_info(path, name)
    try:
        # O_NOFOLLOW and O_NONBLOCK: a link or FIFO swapped in after the lstat cannot trap us.
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        raise LearnerFileError(f"{name} was not found.") from None
    except PermissionError:
        raise LearnerFileError(f"{name} could not be read; make it readable (chmod a+r).") from None
    except OSError:
        raise LearnerFileError(f"{name} could not be opened; it must be a regular, readable file.") from None
    handle = os.fdopen(fd, "rb")
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        handle.close()
        raise LearnerFileError(f"{name} is not a regular file.")
    return handle


def read_bytes(path: Path, name: str | None = None, limit: int = READ_LIMIT_BYTES) -> bytes:
    """The bytes of a learner's regular file, at most `limit`; else LearnerFileError."""
    name = name or Path(path).name
    with _open_learner_file(Path(path), name) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise LearnerFileError(f"{name} is larger than {limit // 1024} KB, too large for this check.")
    return data


def read_text(path: Path, name: str | None = None, limit: int = READ_LIMIT_BYTES) -> str:
    """A learner's UTF-8 text file (a leading byte-order mark is dropped); else LearnerFileError."""
    name = name or Path(path).name
    try:
        return read_bytes(path, name, limit).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LearnerFileError(f"{name} is not UTF-8 text.") from None


def read_json(path: Path, name: str | None = None, limit: int = READ_LIMIT_BYTES):
    """A learner's JSON file, parsed; else LearnerFileError naming the syntax error's position."""
    name = name or Path(path).name
    text = read_text(path, name, limit)
    try:
        return json.loads(text)
    except json.JSONDecodeError as problem:
        raise LearnerFileError(
            f"{name} is not valid JSON: {problem.msg} at line {problem.lineno}, column {problem.colno}."
        ) from None


def sha256_file(path: Path, name: str | None = None) -> str:
    """The hex SHA-256 of a learner's regular file of any size (what `sha256sum` prints)."""
    digest = hashlib.sha256()
    with _open_learner_file(Path(path), name or Path(path).name) as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def short_hash(value: str, length: int = 12) -> str:
    """A hash shortened for a message: '3f2a9c…'."""
    value = str(value)
    return value if len(value) <= length else value[:length] + "…"


def last_line(text: str, limit: int = 300) -> str:
    """The last non-empty line of `text`, stripped and cut to `limit` characters."""
    for line in reversed(text.splitlines()):
        line = line.strip()
        if line:
            return line if len(line) <= limit else line[: limit - 1] + "…"
    return ""


# ---------------------------------------------------------------------------------------------
# Printed metrics

_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?:nan|inf(?:inity)?)"
_METRIC_LINE = re.compile(rf"^\s*([A-Za-z_][\w.\-]*)\s*:\s*({_NUMBER})(?:\s.*)?$", re.IGNORECASE)


def parse_metrics(text: str) -> dict[str, str]:
    """Metrics printed as `name: value` lines, e.g. "mae: 4.213" or "r2 : 0.81 (test set)".

    Returns lowercased name -> the value exactly as printed (compare text to catch any difference;
    convert with to_number). Lines whose value is not a number are ignored; a name printed twice
    keeps its last value.
    """
    metrics: dict[str, str] = {}
    for line in text.splitlines():
        match = _METRIC_LINE.match(line)
        if match:
            metrics[match.group(1).lower()] = match.group(2)
    return metrics


def to_number(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def decimals(value) -> int | None:
    """Digits after the decimal point as written ("4.213" -> 3, 4.2 -> 1, 7 -> 0); None if not finite."""
    try:
        exponent = Decimal(str(value)).as_tuple().exponent
    except InvalidOperation:
        return None
    if not isinstance(exponent, int):
        return None
    return max(0, -exponent)


def agree_when_rounded(a, b) -> bool:
    """Whether two numbers are equal within the rounding of the less precise one: 3.68 and "3.683"
    agree (3.683 rounds to 3.68), 3.69 and "3.683" do not, 4 and "3.683" do (0 decimals)."""
    x, y = to_number(str(a)), to_number(str(b))
    if x is None or y is None or not (math.isfinite(x) and math.isfinite(y)):
        return False
    places = min(p for p in (decimals(a), decimals(b)) if p is not None)
    return abs(x - y) <= 0.5 * 10.0 ** -places * (1 + 1e-9) + 1e-12


# ---------------------------------------------------------------------------------------------
# Requirements files and installed packages


def normalize_name(name: str) -> str:
    """A distribution name as PEP 503 compares them: 'Scikit_Learn' and 'scikit-learn' are equal."""
    return re.sub(r"[-_.]+", "-", name).lower().strip()


@dataclass(frozen=True)
class Requirement:
    """One requirement line, e.g. `numpy == 1.24.2  # comment` -> name 'numpy', (('==', '1.24.2'),)."""

    line_number: int
    text: str
    name: str
    specifiers: tuple[tuple[str, str], ...]
    url: str | None = None

    @property
    def key(self) -> str:
        return normalize_name(self.name)

    @property
    def spec(self) -> str:
        """The version part as written, normalised: '==1.24.2', '>=1.0,<2', '' for a bare name."""
        if self.url:
            return f" @ {self.url}"
        return ",".join(op + version for op, version in self.specifiers)

    @property
    def pinned_version(self) -> str | None:
        """The version if the line pins exactly one (== or ===, no wildcard), else None."""
        if self.url or len(self.specifiers) != 1:
            return None
        op, version = self.specifiers[0]
        if op in ("==", "===") and "*" not in version:
            return version
        return None


_NAME = re.compile(r"^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*(.*)$")
_SPECIFIER = re.compile(r"^\s*(===|==|!=|~=|<=|>=|<|>)\s*([A-Za-z0-9.*+!_-]+)\s*$")


def parse_requirements(text: str) -> tuple[list[Requirement], list[tuple[int, str]]]:
    """Reads a requirements file the way pip does, for the parts a lock uses.

    Handles comments (whole-line and ` # ...`), blank lines, `\\` line continuations, extras
    (`pandas[excel]==1.5.3`), environment markers (`; python_version >= "3.8"`, ignored), per-line
    options (`--hash=...`, ignored), option lines (`-r`, `--index-url`, ignored), URLs
    (`name @ https://...`) and any spacing around operators. Returns (requirements, unreadable)
    where unreadable lists (line number, text) of lines that are not a requirement.
    """
    requirements: list[Requirement] = []
    unreadable: list[tuple[int, str]] = []
    logical: list[tuple[int, str]] = []
    pending, start = "", 0
    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        if not pending:
            start = number
        if raw.endswith("\\"):
            pending += raw[:-1] + " "
            continue
        logical.append((start, pending + raw))
        pending = ""
    if pending:
        logical.append((start, pending))

    for number, raw in logical:
        line = re.sub(r"(^|\s)#.*$", "", raw).strip()
        if not line or line.startswith("-"):
            continue
        line = re.split(r"\s--?[A-Za-z]", " " + line, maxsplit=1)[0].strip()
        line = line.split(";", 1)[0].strip()
        match = _NAME.match(line)
        if not match:
            unreadable.append((number, raw.strip()))
            continue
        name, rest = match.group(1), match.group(2).strip()
        if rest.startswith("@"):
            requirements.append(Requirement(number, raw.strip(), name, (), url=rest[1:].strip()))
            continue
        if rest.startswith("(") and rest.endswith(")"):
            rest = rest[1:-1].strip()
        specifiers = []
        for part in rest.split(",") if rest else []:
            found = _SPECIFIER.match(part)
            if not found:
                break
            specifiers.append((found.group(1), found.group(2)))
        else:
            requirements.append(Requirement(number, raw.strip(), name, tuple(specifiers)))
            continue
        unreadable.append((number, raw.strip()))
    return requirements, unreadable


def same_version(a: str, b: str) -> bool:
    """Version equality as `==` means it for plain release numbers: '1.24' equals '1.24.0'.
    Other versions ('4.0.2+dfsg', '2.0rc1') must match exactly, ignoring case and a leading 'v'."""

    def norm(version: str) -> str:
        version = version.strip().lower()
        return version[1:] if version.startswith("v") else version

    x, y = norm(a), norm(b)
    release = re.compile(r"^\d+(\.\d+)*$")
    if release.match(x) and release.match(y):
        def numbers(v: str) -> list[int]:
            parts = [int(p) for p in v.split(".")]
            while len(parts) > 1 and parts[-1] == 0:
                parts.pop()
            return parts

        return numbers(x) == numbers(y)
    return x == y


def installed_version(distribution: str) -> str | None:
    """The version of an installed distribution (any spelling of its name), or None."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        pass
    wanted = normalize_name(distribution)
    for dist in metadata.distributions():
        if normalize_name(dist.metadata.get("Name") or "") == wanted:
            return dist.version
    return None


# ---------------------------------------------------------------------------------------------
# The check and its result


class Check:
    """Collects details and prints the one result. See the module docstring for an example.

    Constructing it redirects print() to stderr and arranges for any way the check ends (an
    exception, falling off the end) to still print a valid result.
    """

    def __init__(self, workspace: str | Path | None = None, files: str | Path | None = None,
                 runs: list[Run] | None = None):
        self.workspace = Path(workspace or os.environ.get("ACADEMY_WORKSPACE") or DEFAULT_WORKSPACE)
        self.files = Path(files or _files_dir())
        self.details: list[dict] = []
        self._result_out = sys.stdout
        self._reported = False
        sys.stdout = sys.stderr
        sys.excepthook = self._excepthook
        atexit.register(self._at_exit)
        self.runs = runs if runs is not None else self._load_runs()

    def _load_runs(self) -> list[Run]:
        try:
            return runs(self.files)
        except ValueError as problem:
            print(f"academy_check: unreadable runs.json: {problem!r}", file=sys.stderr)
            self.error(GENERIC_ERROR)

    # -- details --------------------------------------------------------------------------------

    def detail(self, name: str, ok: bool, message: str, pass_message: str | None = None) -> bool:
        """Records one finding; `message` says what to fix when it fails. Returns `ok`."""
        shown = (pass_message or name) if ok else message
        self.details.append({"name": _cut(str(name), DETAIL_NAME_MAX_CHARS),
                             "status": "pass" if ok else "fail",
                             "message": _cut(str(shown), MESSAGE_MAX_CHARS)})
        return bool(ok)

    @property
    def failed(self) -> bool:
        return any(item["status"] != "pass" for item in self.details)

    # -- runs -----------------------------------------------------------------------------------

    def require_runs(self, count: int) -> list[Run]:
        """The step's first `count` runs; an "error" if lab.yaml gave the step fewer."""
        if len(self.runs) < count:
            print(f"academy_check: expected {count} runs, runs.json has {len(self.runs)}", file=sys.stderr)
            self.error(GENERIC_ERROR)
        return self.runs[:count]

    def require_success(self, run: Run, label: str | None = None) -> Run:
        """Fails the check at once, with the run's last error line, unless the run exited 0."""
        problem = run.problem(label)
        if problem is not None:
            self.detail(f"{label or run.label()} runs", False, problem)
            self.fail(problem)
        return run

    # -- results --------------------------------------------------------------------------------

    def fail(self, message: str) -> NoReturn:
        """Reports "fail" with `message` (what to fix, one sentence) and the details so far."""
        self._emit("fail", message)

    def error(self, message: str = GENERIC_ERROR) -> NoReturn:
        """Reports "error": the check could not decide. Never for a mistake in the learner's work."""
        self._emit("error", message)

    def done(self, pass_message: str) -> NoReturn:
        """Reports "pass" if every detail passed, else "fail" with the first failing detail's message."""
        for item in self.details:
            if item["status"] != "pass":
                self._emit("fail", item["message"])
        self._emit("pass", pass_message)

    def _write(self, status: str, message: str) -> None:
        if self._reported:
            return
        self._reported = True
        result = {"status": status, "message": _cut(str(message).strip() or status, MESSAGE_MAX_CHARS),
                  "details": self.details[:DETAILS_MAX]}
        sys.stderr.flush()
        self._result_out.write(json.dumps(result) + "\n")
        self._result_out.flush()

    def _emit(self, status: str, message: str) -> NoReturn:
        self._write(status, message)
        raise SystemExit(0)

    def _excepthook(self, kind, value, trace) -> None:
        if isinstance(value, LearnerFileError):
            self._write("fail", str(value))
        else:
            traceback.print_exception(kind, value, trace, file=sys.stderr)
            self._write("error", GENERIC_ERROR)
        sys.stderr.flush()
        os._exit(0)

    def _at_exit(self) -> None:
        if not self._reported:
            print("academy_check: the check ended without reporting a result", file=sys.stderr)
            self._write("error", GENERIC_ERROR)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
