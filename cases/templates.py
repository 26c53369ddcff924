"""Notice and report templates: YAML files in ``config/templates/``, never strings in code.

A template maps keys to text with ``{placeholders}``; a placeholder the code does not
supply is a ``ConfigError`` naming the file, the key and the placeholder.
"""

from __future__ import annotations

import os
import string
from pathlib import Path

import yaml

from duluan.config.loader import CONFIG_DIR
from duluan.errors import ConfigError


class Template:
    def __init__(self, path: Path, data: dict):
        self.path, self.data = path, data

    def raw(self, key: str):
        if key not in self.data:
            raise ConfigError(str(self.path), None, f"template key {key!r} is missing", f"add {key}: … to the file")
        return self.data[key]

    def __call__(self, key: str, **values) -> str:
        text = str(self.raw(key))
        for _lit, field, _spec, _conv in string.Formatter().parse(text):
            if field is not None and field not in values:
                raise ConfigError(str(self.path), None, f"{key}: unknown placeholder {{{field}}}",
                                  f"use one of {', '.join(sorted(values)) or 'none'}")
        return text.format(**values)


def template_dir(config_dir: str | Path | None = None) -> Path:
    base = Path(config_dir) if config_dir else Path(os.environ.get("DULUAN_CONFIG_DIR", CONFIG_DIR))
    own = base / "templates"
    return own if own.is_dir() else CONFIG_DIR / "templates"


def load_template(name: str, config_dir: str | Path | None = None) -> Template:
    path = template_dir(config_dir) / f"{name}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(str(path), None, "template not found", "restore it from config/templates/") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise ConfigError(str(path), mark.line + 1 if mark else None, f"YAML syntax: {e}", "fix the quoting") from None
    if not isinstance(data, dict):
        raise ConfigError(str(path), None, "a template is a mapping of keys to text", "see config/templates/")
    return Template(path, data)
