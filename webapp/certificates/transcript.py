"""Transcript columns from the instance's certificate fields, and each cell's text.

The instance's fields set the columns, their order, labels and date formats. A transcript is
one learner's, so the fields that read the same on every row (the learner's name, their
client, a fixed text) head the page instead of repeating down a column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import format_date, get_locale
from flask_babel import gettext as _

# CertificateDateFormatType -> how the date is written. usLong is a long date as the learner's
# language writes one ("September 2, 2026", "2 septembre 2026"); the numeric ones keep the
# instance's day and month order, which the column's heading spells out, as it can't be seen.
NUMERIC_PATTERNS = {
    "usShort": "MM/dd/yyyy",  # 09/02/2026
    "euroShort": "dd/MM/yyyy",  # 02/09/2026
    "iso8601": "yyyy-MM-dd",  # 2026-09-02
}
ISSUED_TYPES = frozenset({"contentCompletionDate", "dateLabel"})
DATE_TYPES = ISSUED_TYPES | {"expirationDateLabel"}
# Fields whose value is the same on every row: they head the transcript, not a column.
HEADING_TYPES = frozenset({"nameLabel", "learnerClientNameLabel", "textLabel"})
# The labels TI's standard fields come with (English): these are translated for learners who
# read another language. A label the instance wrote itself is kept as it is.
STANDARD_LABELS = {
    "nameLabel": {"learner name", "learner", "name", "full name"},
    "learnerClientNameLabel": {"client", "client name", "company", "organization"},
    "courseLabel": {"course", "course name", "course title", "content title", "title"},
    "contentCompletionDate": {
        "completion date",
        "completed",
        "completed on",
        "date completed",
        "certificate grant date",
        "grant date",
    },
    "dateLabel": {"date", "issued", "issued on", "issue date", "date issued"},
    "expirationDateLabel": {
        "expires",
        "expires on",
        "expiration date",
        "expiry date",
        "certificate expiration date",
    },
    "identifier": {"certificate id", "identifier", "certificate number", "id"},
}


def standard_label(kind: str) -> str | None:
    """Our own (translated) words for a standard field type."""
    labels = {
        "nameLabel": _("Learner"),
        "learnerClientNameLabel": _("Client"),
        "courseLabel": _("Course"),
        "contentCompletionDate": _("Completed"),
        "dateLabel": _("Issued"),
        "expirationDateLabel": _("Expires"),
        "identifier": _("Certificate ID"),
    }
    return labels.get(kind)


@dataclass(frozen=True)
class Column:
    label: str
    type: str
    date_format: str | None = None
    text: str | None = None
    identifier_prefix: str | None = None
    award_label: str | None = None
    award_type_id: str | None = None
    award_names: tuple[str, ...] = ()  # the award type's label and plural label

    @property
    def heading(self) -> str:
        """The label as the learner reads it: the instance's, unless it is a standard one in
        English and the learner reads another language."""
        label = " ".join((self.label or "").split())
        ours = standard_label(self.type)
        if not label:
            return ours or ""
        english = str(get_locale() or "en").split("_")[0] == "en"
        if ours and not english and label.casefold() in STANDARD_LABELS.get(self.type, ()):
            return ours
        return label

    @property
    def format_hint(self) -> str | None:
        """How a numeric date column is to be read (02/09/2026: 2 September or February 9?)."""
        if self.type not in DATE_TYPES:
            return None
        return {"usShort": _("MM/DD/YYYY"), "euroShort": _("DD/MM/YYYY")}.get(
            self.date_format or ""
        )

    @property
    def numeric(self) -> bool:
        return self.type in ("awardLabel",) or (
            self.type in DATE_TYPES and (self.date_format or "") in NUMERIC_PATTERNS
        )


@dataclass(frozen=True)
class Cell:
    text: str
    date: datetime | None = None  # for <time datetime>
    expired: bool = False  # the certificate expired: the cell says so
    row_header: bool = False  # the cell that names the row (the certificate's title)


@dataclass(frozen=True)
class Fact:
    """A field that reads the same on every row, shown once above the table."""

    label: str
    value: str


@dataclass
class Layout:
    facts: list[Column] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)


def column_of(f) -> Column:
    award = f.award_type
    return Column(
        label=f.label,
        type=f.type,
        date_format=f.date_format,
        text=f.text,
        identifier_prefix=f.identifier_prefix,
        award_label=(award.plural_label or award.label) if award else None,
        award_type_id=award.id if award else None,
        award_names=tuple(filter(None, (award.label, award.plural_label))) if award else (),
    )


def transcript_columns(fields) -> list[Column]:
    """The fields marked includeOnTranscript, in the instance's order; ours if it marks none."""
    columns = [column_of(f) for f in fields or [] if f and f.include_on_transcript]
    return columns or [
        Column(_("Certificate"), "courseLabel"),
        Column(_("Completed"), "contentCompletionDate"),
        Column(_("Expires"), "expirationDateLabel"),
        Column(_("Certificate ID"), "identifier"),
    ]


def layout(columns: list[Column]) -> Layout:
    """Which fields head the transcript and which make its table."""
    table = [c for c in columns if c.type not in HEADING_TYPES]
    if not any(c.type == "courseLabel" for c in table):
        table.insert(0, Column(_("Certificate"), "courseLabel"))  # every row needs its name
    return Layout(facts=[c for c in columns if c.type in HEADING_TYPES], columns=table)


def format_field_date(value: datetime | None, date_format: str | None) -> str:
    """A date as the field asks (usLong, usShort, euroShort, iso8601), in the learner's
    language; the language's own medium date for formats we don't know."""
    if value is None:
        return ""
    if date_format == "usLong":
        return format_date(value, "long")
    return format_date(value, NUMERIC_PATTERNS.get(date_format or "", "medium"))


def identifier_text(identifier: str | None, prefix: str | None) -> str:
    if not identifier:
        return ""
    if prefix and not identifier.startswith(prefix):
        return prefix + identifier
    return identifier


def fact_value(column: Column, learner: str, client: str = "") -> str:
    if column.type == "nameLabel":
        return learner
    if column.type == "learnerClientNameLabel":
        return client
    return column.text or ""


def cell(column: Column, row, learner: str = "", client: str = "", award: str = "") -> Cell:
    """One transcript cell; blank for field types a transcript can't fill. `award` is the
    amount of the column's award type the certificate brought, already written out."""
    kind = column.type
    if kind == "courseLabel":
        return Cell(row.title, row_header=True)
    if kind in ISSUED_TYPES:
        return Cell(format_field_date(row.issued_at, column.date_format), date=row.issued_at)
    if kind == "expirationDateLabel":
        if row.expires_at is None:
            return Cell(_("Does not expire"))
        text = format_field_date(row.expires_at, column.date_format)
        return Cell(text, date=row.expires_at, expired=row.expired)
    if kind == "identifier":
        return Cell(identifier_text(row.identifier, column.identifier_prefix))
    if kind == "awardLabel":
        return Cell(award)
    if kind in HEADING_TYPES:
        return Cell(fact_value(column, learner, client))
    return Cell("")
