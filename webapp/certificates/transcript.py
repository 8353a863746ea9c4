"""Transcript columns from the instance's certificate fields, and each cell's text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import format_date
from flask_babel import gettext as _

# CertificateDateFormatType -> a CLDR pattern (month names follow the learner's language).
DATE_PATTERNS = {
    "usLong": "MMMM d, yyyy",  # January 5, 2026
    "usShort": "MM/dd/yyyy",  # 01/05/2026
    "euroShort": "dd/MM/yyyy",  # 05/01/2026
    "iso8601": "yyyy-MM-dd",  # 2026-01-05
}
ISSUED_TYPES = frozenset({"contentCompletionDate", "dateLabel"})


@dataclass(frozen=True)
class Column:
    label: str
    type: str
    date_format: str | None = None
    text: str | None = None
    identifier_prefix: str | None = None
    award_label: str | None = None


def transcript_columns(fields) -> list[Column]:
    """The fields marked includeOnTranscript, in the instance's order; ours if it marks none."""
    columns = [
        Column(
            label=f.label,
            type=f.type,
            date_format=f.date_format,
            text=f.text,
            identifier_prefix=f.identifier_prefix,
            award_label=(f.award_type.label or f.award_type.plural_label) if f.award_type else None,
        )
        for f in fields
        if f and f.include_on_transcript
    ]
    return columns or [
        Column(_("Certificate"), "courseLabel"),
        Column(_("Completed"), "contentCompletionDate"),
        Column(_("Expires"), "expirationDateLabel"),
        Column(_("Certificate ID"), "identifier"),
    ]


def format_field_date(value: datetime | None, date_format: str | None) -> str:
    """A date as the field asks (usLong, usShort, euroShort, iso8601), else the locale's."""
    if value is None:
        return ""
    return format_date(value, DATE_PATTERNS.get(date_format or "", "medium"))


def identifier_text(identifier: str | None, prefix: str | None) -> str:
    if not identifier:
        return ""
    if prefix and not identifier.startswith(prefix):
        return prefix + identifier
    return identifier


def cell(column: Column, row, learner: str, client: str = "") -> str:
    """The text of one transcript cell; blank for field types a transcript can't fill."""
    kind = column.type
    if kind == "nameLabel":
        return learner
    if kind == "learnerClientNameLabel":
        return client
    if kind == "courseLabel":
        return row.title
    if kind in ISSUED_TYPES:
        return format_field_date(row.issued_at, column.date_format)
    if kind == "expirationDateLabel":
        return format_field_date(row.expires_at, column.date_format)
    if kind == "identifier":
        return identifier_text(row.identifier, column.identifier_prefix)
    if kind == "awardLabel":
        return column.award_label or ""
    if kind == "textLabel":
        return column.text or ""
    return ""
