"""YAML for MLmodel files and ``log_dict(..., "x.yaml")``, through PyYAML's safe loader and dumper
(an artifact never builds Python objects). PyYAML is in the lab image, as it is among MLflow's own
dependencies; it is imported only when YAML is needed, so the rest of the client stays standard
library only."""


def _yaml():
    try:
        import yaml  # noqa: PLC0415
    except ImportError as error:  # pragma: no cover - the image has it
        raise ImportError(
            "Reading and writing MLmodel files and YAML artifacts needs PyYAML "
            "(Debian: python3-yaml; pip: pyyaml)."
        ) from error
    return yaml


def dump(data):
    """YAML text of ``data`` (block style, keys in insertion order)."""
    return _yaml().safe_dump(data, default_flow_style=False, sort_keys=False)


def load(text):
    """The data in YAML ``text``."""
    return _yaml().safe_load(text)
