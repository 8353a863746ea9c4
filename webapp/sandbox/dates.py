"""Dates as TI writes them: ISO 8601 in UTC with milliseconds ("2026-11-27T00:00:00.000Z")."""

from __future__ import annotations

from datetime import UTC, date, datetime


def iso(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse(value: str | None) -> datetime | None:
    """Reads what iso() writes, plus plain dates and offsets; None for None."""
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    if len(text) == 10:
        return datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def is_past(value: str | None, now: datetime) -> bool:
    moment = parse(value)
    return moment is not None and moment < now
