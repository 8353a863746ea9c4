"""JSON from the instance to the generated dataclasses in types.py."""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import UTC, datetime
from functools import cache
from typing import Any


@cache
def _hints(cls) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def decode(target: Any, value: Any) -> Any:
    """`value` decoded as `target` (a dataclass, list[...], X | None, datetime or a scalar)."""
    if value is None:
        return None
    origin = typing.get_origin(target)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(target) if a is not type(None)]
        return decode(inner[0], value)
    if origin is list:
        (element,) = typing.get_args(target)
        return [decode(element, v) for v in value] if isinstance(value, list) else []
    if dataclasses.is_dataclass(target):
        if not isinstance(value, dict):
            return None
        hints = _hints(target)
        return target(
            **{
                f.name: decode(hints[f.name], value.get(f.metadata.get("key", f.name)))
                for f in dataclasses.fields(target)
            }
        )
    if target is datetime:
        return parse_datetime(value)
    return value


def parse_datetime(value: Any) -> datetime | None:
    """TI's dates ("2024-02-20T00:00:00.000Z", or a plain date); None if unreadable."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
