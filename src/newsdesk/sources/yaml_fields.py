"""Typed readers of a source file's fields: each returns the value or raises
ConfigError naming the file (``where``) and the field."""

from __future__ import annotations

import re
from typing import Any

import jmespath
import jmespath.exceptions

from newsdesk.errors import ConfigError

__all__ = [
    "allow_private",
    "check_jmespath",
    "flag",
    "importance",
    "mapping",
    "number",
    "string",
    "strings",
]


def check_jmespath(expression: Any, key: str, where: str) -> None:
    try:
        jmespath.compile(str(expression))
    except jmespath.exceptions.JMESPathError as exc:
        raise ConfigError(f"field {key!r}: bad JMESPath {expression!r}: {exc}", where=where) from None


def string(data: dict[str, Any], key: str, where: str, *, required: bool = False, prefix: str = "") -> str | None:
    value = data.get(key)
    if value is None or value == "":
        if required:
            raise ConfigError(f"field '{prefix}{key}': required", where=where)
        return None
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise ConfigError(f"field '{prefix}{key}': text expected, not {type(value).__name__}", where=where)
    return str(value)


def strings(data: dict[str, Any], key: str, where: str, *, prefix: str = "") -> list[str]:
    value = data.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"field '{prefix}{key}': a list of text expected", where=where)
    return value


def importance(data: dict[str, Any], where: str) -> dict[str, int]:
    levels = mapping(data, "importance", where)
    for raw, level in levels.items():
        if isinstance(level, bool) or level not in (0, 1, 2):
            raise ConfigError(f"field 'importance': {raw!r} must map to 0, 1 or 2, not {level!r}", where=where)
    return {str(raw): int(level) for raw, level in levels.items()}


def mapping(data: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        raise ConfigError(f"field '{key}': a mapping expected", where=where)
    return value


def number(data: dict[str, Any], key: str, where: str, default: Any, kind: type, *, prefix: str = "") -> Any:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or (kind is int and not isinstance(value, int)):
        raise ConfigError(f"field '{prefix}{key}': a number expected, not {value!r}", where=where)
    if value < 0 or (key in ("interval", "timeout", "max_items") and value == 0):
        raise ConfigError(f"field '{prefix}{key}': must be positive, not {value!r}", where=where)
    return kind(value)


def allow_private(data: dict[str, Any], where: str) -> bool | tuple[str, ...]:
    value = data.get("allow_private", False)
    if isinstance(value, list):
        entries = tuple(str(v).lower() for v in value)
        for entry in entries:
            if not re.fullmatch(r"[\w.\-\[\]:]+:\d+", entry):
                raise ConfigError(f"field 'allow_private': {entry!r} is not host:port", where=where)
        return entries
    return flag(data, "allow_private", where, default=False)


def flag(data: dict[str, Any], key: str, where: str, *, default: bool = True) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise ConfigError(f"field '{key}': true or false, not {value!r}", where=where)
    return value
