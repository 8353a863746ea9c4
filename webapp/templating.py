"""Jinja filters and globals: localised dates, numbers and money; safe URLs; the chrome."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache

from babel.units import format_unit
from flask import Flask
from flask_babel import (
    format_currency,
    format_date,
    format_datetime,
    format_decimal,
    format_percent,
    format_timedelta,
    get_locale,
    get_timezone,
)

from .pages import chrome
from .security import instance_url


def _in_this_language(format_value):
    """`format_value`, remembered per value, style, language and time zone: a page formats the
    same few dates and numbers on every view, and Babel's formatting is not cheap."""

    @lru_cache(maxsize=4096)
    def remembered(value, style, _locale, _zone):
        return format_value(value, style) if style is not None else format_value(value)

    def formatted(value, style=None):
        try:
            return remembered(value, style, str(get_locale()), str(get_timezone()))
        except TypeError:  # a value that can't be a key: formatted as it comes
            return format_value(value, style) if style is not None else format_value(value)

    return formatted


_date = _in_this_language(format_date)
_datetime = _in_this_language(format_datetime)
_decimal = _in_this_language(format_decimal)
_percent = _in_this_language(format_percent)


def date_filter(value: datetime | None, style: str = "medium") -> str:
    return _date(value, style) if value else ""


def datetime_filter(value: datetime | None, style: str = "medium") -> str:
    return _datetime(value, style) if value else ""


def relative_filter(value: datetime | None) -> str:
    """'in 3 days' / '2 weeks ago', in the learner's language."""
    if not value:
        return ""
    return format_timedelta(value - datetime.now(UTC), add_direction=True, threshold=1.0)


def money_filter(cents: int | None, currency: str | None = None) -> str:
    if cents is None:
        return ""
    return format_currency(cents / 100, (currency or "USD").upper())


def balance_filter(amount: float | None, currency: str | None = None) -> str:
    if amount is None:
        return ""
    return format_currency(amount, (currency or "USD").upper())


def number_filter(value) -> str:
    return _decimal(value) if value is not None else ""


def percent_filter(value: int | float | None) -> str:
    """A whole percentage (45) as the learner's language writes it ("45 %", "٤٥٪")."""
    return _percent(value / 100) if value is not None else ""


def duration_filter(seconds: int | None) -> str:
    """Time spent, to the minute: "2 hr, 15 min" in the learner's language."""
    if seconds is None:
        return ""
    minutes = max(0, int(seconds)) // 60
    hours, minutes = divmod(minutes, 60)
    locale = get_locale()
    parts = []
    if hours:
        parts.append(format_unit(hours, "duration-hour", length="short", locale=locale))
    if minutes or not hours:
        parts.append(format_unit(minutes, "duration-minute", length="short", locale=locale))
    if len(parts) == 1:
        return parts[0]
    # Two parts, joined as the language joins units; babel's data for some locales (es) lacks
    # the two-item pattern of a style, so take its last-pair pattern instead.
    style = locale.list_patterns.get("unit-short") or {}
    pattern = style.get("2") or style.get("end") or "{0}, {1}"
    return pattern.format(*parts)


def init_templating(app: Flask) -> None:
    app.jinja_env.filters.update(
        date=date_filter,
        datetime=datetime_filter,
        relative=relative_filter,
        money=money_filter,
        balance=balance_filter,
        number=number_filter,
        percent=percent_filter,
        duration=duration_filter,
        safe_url=instance_url,  # every URL the API gives: checked, and absolute on the instance
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    from .learner_pages import navigation  # imports every feature's loaders: not at import

    main_navigation = navigation()

    @app.context_processor
    def _chrome() -> dict:
        current = chrome()
        endpoints = set(app.view_functions)
        return {
            "chrome": current,
            "endpoints": endpoints,
            # (endpoint, company translation key, our label): pages appear once they exist.
            "main_navigation": [n for n in main_navigation if n[0] in endpoints],
        }
