"""Read ``config/*.yaml`` into the pydantic models, failing with file, line and fix."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from duluan.errors import ConfigError

from .models import (
    AgenciesConfig,
    AlertsConfig,
    ProvincesConfig,
    RoutingConfig,
    Settings,
    SourcesConfig,
)

CONFIG_DIR = Path(__file__).resolve().parent
M = TypeVar("M", bound=BaseModel)
_ENV = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?\}")


def _expand(value: str, file: str, line: int) -> str:
    def sub(m: re.Match[str]) -> str:
        name, default = m.group(1), m.group(2)
        if name in os.environ:
            return os.environ[name]
        if default is not None:
            return default
        raise ConfigError(file, line, f"environment variable ${{{name}}} is not set",
                          f"export {name}=… or write ${{{name}:-default}}")
    return _ENV.sub(sub, value)


def _to_python(node: yaml.Node, file: str) -> Any:
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for k, v in node.value:
            key = _to_python(k, file)
            if key in out:
                raise ConfigError(file, k.start_mark.line + 1, f"key {key!r} appears twice", "keep one")
            out[key] = _to_python(v, file)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(v, file) for v in node.value]
    resolved = yaml.SafeLoader("").construct_object(node, deep=True)
    if isinstance(resolved, str):
        return _expand(resolved, file, node.start_mark.line + 1)
    return resolved


def _line_of(root: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """Line (1-based) of the deepest node that ``loc`` reaches."""
    node, line = root, (root.start_mark.line + 1) if root is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if k.value == part), None)
            if nxt is None:
                break
            line = next(k for k, v in node.value if v is nxt).start_mark.line + 1
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


_FIXES = {
    "missing": "add the key",
    "extra_forbidden": "remove it or check its spelling against config/models.py",
    "literal_error": "use one of the allowed values",
    "string_pattern_mismatch": "use the documented form",
    "too_short": "add at least one item",
}


def load_model(path: str | Path, model: type[M]) -> M:
    """Parse one YAML file into ``model``; any error becomes a ``ConfigError`` naming file and line."""
    path = Path(path)
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(file, None, "file not found", "check the path") from None
    except UnicodeDecodeError as e:
        raise ConfigError(file, None, f"not UTF-8 ({e.reason})", "save the file as UTF-8") from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as e:
        line = e.problem_mark.line + 1 if e.problem_mark else None
        raise ConfigError(file, line, f"YAML syntax: {e.problem}",
                          "check indentation and quoting on that line") from None
    data = _to_python(root, file) if root is not None else {}
    try:
        return model.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        loc = tuple(err["loc"])
        where = ".".join(str(p) for p in loc) or "(top level)"
        value = err.get("input")
        shown = f" (got {value!r})" if not isinstance(value, (dict, list)) else ""
        fix = _FIXES.get(err["type"], "see config/models.py for the allowed form")
        more = f" (+{len(e.errors()) - 1} more)" if len(e.errors()) > 1 else ""
        raise ConfigError(file, _line_of(root, loc), f"{where}: {err['msg']}{shown}{more}", fix) from None


@dataclass(frozen=True)
class Config:
    """Every configuration file of one installation."""

    provinces: ProvincesConfig
    sources: SourcesConfig
    agencies: AgenciesConfig
    routing: RoutingConfig
    alerts: AlertsConfig
    settings: Settings

    def check(self) -> None:
        """Cross-file checks: routing names agencies that exist."""
        ids = {a.id for a in self.agencies.agencies}
        for r in self.routing.routes:
            for a in [*r.lead, *r.support]:
                if a not in ids:
                    raise ConfigError("routing.yaml", None, f"route {r.topic!r} names unknown agency {a!r}",
                                      "add it to agencies.yaml or fix the id")


def load_config(directory: str | Path | None = None) -> Config:
    d = Path(directory) if directory else Path(os.environ.get("DULUAN_CONFIG_DIR", CONFIG_DIR))
    cfg = Config(
        provinces=load_model(d / "provinces.yaml", ProvincesConfig),
        sources=load_model(d / "sources.yaml", SourcesConfig),
        agencies=load_model(d / "agencies.yaml", AgenciesConfig),
        routing=load_model(d / "routing.yaml", RoutingConfig),
        alerts=load_model(d / "alerts.yaml", AlertsConfig),
        settings=load_model(d / "settings.yaml", Settings) if (d / "settings.yaml").exists() else Settings(),
    )
    cfg.check()
    return cfg


@lru_cache(maxsize=4)
def default_config() -> Config:
    return load_config()
