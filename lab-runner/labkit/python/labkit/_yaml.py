"""Just enough YAML for MLmodel files and ``log_dict(..., "x.yaml")``.

PyYAML is used when it is installed (it is in the lab image); otherwise a small emitter and
parser cover what labkit writes: nested mappings, lists and scalars.
"""

import json
import re

_PLAIN = re.compile(r"^[A-Za-z_/][A-Za-z0-9_.\-/ ]*$")
_KEYWORDS = {"null", "~", "true", "false", "yes", "no", "on", "off", "y", "n"}


def _yaml_module():
    try:
        import yaml  # noqa: PLC0415

        return yaml
    except ImportError:
        return None


def _scalar(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _KEYWORDS and not text.endswith(" "):
        return text
    return json.dumps(text)


def _emit(value, indent, lines):
    pad = "  " * indent
    if isinstance(value, dict):
        if not value:
            lines[-1] += " {}"
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{_scalar(key)}:")
                _emit(item, indent + 1, lines)
            else:
                lines.append(f"{pad}{_scalar(key)}: {_inline(item)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}-")
                _emit(item, indent + 1, lines)
            else:
                lines.append(f"{pad}- {_inline(item)}")


def _inline(value):
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return _scalar(value)


def dump(data):
    """YAML text of ``data`` (block style, keys in insertion order)."""
    yaml = _yaml_module()
    if yaml is not None:
        return yaml.safe_dump(data, default_flow_style=False, sort_keys=False)
    lines = [""]
    _emit(data, 0, lines)
    return "\n".join(line for line in lines if line) + "\n"


def _parse_scalar(text):
    text = text.strip()
    if text in ("", "null", "~", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    if text == "{}":
        return {}
    if text == "[]":
        return []
    if text.startswith('"'):
        return json.loads(text)
    if text.startswith("'") and text.endswith("'"):
        return text[1:-1].replace("''", "'")
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _split_key(text):
    """``key: value`` → (key, value text); the key may be quoted."""
    if text.startswith(("'", '"')):
        quote = text[0]
        end = text.index(quote, 1)
        return _parse_scalar(text[: end + 1]), text[end + 1 :].lstrip()[1:]
    key, _, rest = text.partition(":")
    return key.strip(), rest


def _parse_block(lines, start, indent):
    """Parses the block of ``lines`` starting at ``start`` indented by ``indent``; returns (value, next index)."""
    first = lines[start][1]
    if first.startswith("- ") or first == "-":
        result = []
        i = start
        while i < len(lines) and lines[i][0] == indent and (lines[i][1].startswith("- ") or lines[i][1] == "-"):
            rest = lines[i][1][2:].strip() if lines[i][1] != "-" else ""
            if rest == "":
                value, i = _parse_block(lines, i + 1, lines[i + 1][0]) if i + 1 < len(lines) and lines[i + 1][0] > indent else (None, i + 1)
            else:
                value, i = _parse_scalar(rest), i + 1
            result.append(value)
        return result, i
    result = {}
    i = start
    while i < len(lines) and lines[i][0] == indent:
        key, rest = _split_key(lines[i][1])
        if rest.strip() == "":
            if i + 1 < len(lines) and lines[i + 1][0] > indent:
                value, i = _parse_block(lines, i + 1, lines[i + 1][0])
            elif i + 1 < len(lines) and lines[i + 1][0] == indent and lines[i + 1][1].startswith("- "):
                value, i = _parse_block(lines, i + 1, indent)
            else:
                value, i = None, i + 1
        else:
            value, i = _parse_scalar(rest), i + 1
        result[key] = value
    return result, i


def load(text):
    """The data in YAML ``text``."""
    yaml = _yaml_module()
    if yaml is not None:
        return yaml.safe_load(text)
    lines = []
    for raw in text.splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        stripped = raw.lstrip(" ")
        lines.append((len(raw) - len(stripped), stripped.rstrip()))
    if not lines:
        return None
    value, _ = _parse_block(lines, 0, lines[0][0])
    return value
