"""JSON from the instance to the generated dataclasses in types.py."""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from typing import Any


@cache
def _hints(cls) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def decode(target: Any, value: Any) -> Any:
    """`value` decoded as `target` (a dataclass, list[...], X | None, datetime or a scalar)."""
    return None if value is None else _decoder(target)(value)


@cache
def _decoder(target: Any) -> Callable[[Any], Any]:
    """A function decoding JSON as `target`, worked out once per type: a warm page decodes
    thousands of values, and asking `typing` about each one's type every time was most of it."""
    origin = typing.get_origin(target)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(target) if a is not type(None)]
        return _decoder(inner[0])
    if origin is list:
        (element,) = typing.get_args(target)
        return _list_decoder(element)
    if dataclasses.is_dataclass(target):
        return _dataclass_decoder(target)
    if target is datetime:
        return parse_datetime
    return _same


def _same(value: Any) -> Any:
    return value


def _list_decoder(element: Any) -> Callable[[Any], Any]:
    def decode_list(value: Any) -> list:
        if not isinstance(value, list):
            return []
        one = _decoder(element)
        return [None if v is None else one(v) for v in value]

    return decode_list


def _dataclass_decoder(target: Any) -> Callable[[Any], Any]:
    fields: list[tuple[str, str, Callable]] = []  # filled on first use: types may nest

    def decode_object(value: Any) -> Any:
        if not isinstance(value, dict):
            return None
        if not fields:
            hints = _hints(target)
            fields.extend(
                (f.name, f.metadata.get("key", f.name), _decoder(hints[f.name]))
                for f in dataclasses.fields(target)
            )
        arguments = {}
        for name, key, decode_field in fields:
            raw = value.get(key)
            arguments[name] = None if raw is None else decode_field(raw)
        return target(**arguments)

    return decode_object


def parse_datetime(value: Any) -> datetime | None:
    """TI's dates ("2024-02-20T00:00:00.000Z", or a plain date); None if unreadable."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
