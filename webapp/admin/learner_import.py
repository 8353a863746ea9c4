"""Bulk learner import from CSV: parse and check every row, then create in batches.

Nothing is lost: every row ends in the report as created, already there, refused by the
instance (with its reason), invalid (with ours), not confirmed (sent, but no answer came back)
or not sent (with why). Importing the same
file twice creates no duplicates: the instance refuses existing emails, and we report them as
already there.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from babel.lists import format_list
from flask_babel import format_decimal, get_locale
from flask_babel import lazy_gettext as _l

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5_000
BATCH_SIZE = 50
MAX_NAME = 100
EMAIL_PATTERN = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\"]+\Z")
_HEADER_ALIASES = {
    "email": "email", "e-mail": "email", "email address": "email", "emailaddress": "email",
    "firstname": "firstName", "first name": "firstName", "first_name": "firstName",
    "given name": "firstName", "lastname": "lastName", "last name": "lastName",
    "last_name": "lastName", "surname": "lastName", "family name": "lastName",
    "clientid": "clientId", "client id": "clientId", "client_id": "clientId",
    "licenseids": "licenseIds", "license ids": "licenseIds", "license_ids": "licenseIds",
    "licenses": "licenseIds", "license": "licenseIds",
    **{f"ref{i}": f"ref{i}" for i in range(1, 11)},
}  # fmt: skip
ALREADY_EXISTS_HINT = "already exists"

CREATED = "created"
ALREADY_THERE = "already there"
REFUSED = "refused"
INVALID = "invalid"
UNCONFIRMED = "not confirmed"  # sent, but no answer: created or not, no query can tell
NOT_SENT = "not sent"

# How the report shows each status: its words (in the reader's language, when shown) and its
# badge's tone. The CSV report keeps the statuses above, which a script can rely on.
STATUS_WORDS = {
    CREATED: _l("Created"),
    ALREADY_THERE: _l("Already there"),
    REFUSED: _l("Refused by the platform"),
    INVALID: _l("Not sent: problems in the file"),
    UNCONFIRMED: _l("Not confirmed"),
    NOT_SENT: _l("Not sent"),
}
STATUS_TONES = {
    CREATED: "ok",
    ALREADY_THERE: "ok",
    REFUSED: "alert",
    INVALID: "alert",
    UNCONFIRMED: "warn",
    NOT_SENT: "warn",
}


def max_rows() -> str:
    """The row limit as the admin's locale writes numbers ("5,000", "5 000", "5.000")."""
    return format_decimal(MAX_ROWS)


class ImportFileError(ValueError):
    """The file as a whole cannot be imported; the message says why, for the admin."""


@dataclass
class LearnerRow:
    line: int  # the line in the file, header = 1
    email: str
    first_name: str
    last_name: str
    client_id: str | None = None
    license_ids: list[str] = field(default_factory=list)
    refs: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems

    def as_input(self) -> dict:
        learner = {"email": self.email, "firstName": self.first_name, "lastName": self.last_name}
        if self.client_id:
            learner["clientId"] = self.client_id
        if self.license_ids:
            learner["licenseIds"] = self.license_ids
        return {**learner, **self.refs}


@dataclass
class ParsedFile:
    rows: list[LearnerRow]
    columns: list[str]
    unknown_columns: list[str]

    @property
    def valid_rows(self) -> list[LearnerRow]:
        return [r for r in self.rows if r.valid]


@dataclass
class RowResult:
    """What became of one row of the file: a status above, and why in words (ours, or the
    instance's for a refusal)."""

    line: int
    email: str
    status: str
    reason: str = ""

    @property
    def label(self) -> str:
        return str(STATUS_WORDS.get(self.status, self.status))

    @property
    def tone(self) -> str:
        return STATUS_TONES.get(self.status, "warn")


def parse_csv(data: bytes) -> ParsedFile:
    """Every row of the upload with its problems; ImportFileError if the file itself is unusable."""
    if not data.strip():
        raise ImportFileError(_l("The file is empty."))
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            _l(
                "The file is larger than %(mb)d MB. Split it into smaller files.",
                mb=MAX_BYTES >> 20,
            )
        )
    if b"\x00" in data[:4096]:
        raise ImportFileError(_l("This is not a CSV file. Export the spreadsheet as CSV (UTF-8)."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(_l("The file is not UTF-8 text. Save it as CSV (UTF-8).")) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise ImportFileError(_l("The file has no header row.")) from None
    columns = [_HEADER_ALIASES.get(h.strip().lower()) for h in header]
    if "email" not in columns:
        raise ImportFileError(
            _l("The first row must name the columns, including email, first name and last name.")
        )
    unknown = [h.strip() for h, c in zip(header, columns, strict=True) if c is None and h.strip()]
    rows: list[LearnerRow] = []
    seen: dict[str, int] = {}
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise ImportFileError(
                    _l("The file has more than %(limit)s learners. Split it.", limit=max_rows())
                )
            rows.append(_row(number, columns, cells, seen))
    except csv.Error as error:
        raise ImportFileError(
            str(_l("The file is not valid CSV: %(error)s", error=str(error)))
        ) from None
    if not rows:
        raise ImportFileError(_l("The file has a header row but no learners."))
    return ParsedFile(rows, [c for c in columns if c], unknown)


def _row(
    number: int, columns: list[str | None], cells: list[str], seen: dict[str, int]
) -> LearnerRow:
    values: dict[str, str] = {}
    for column, cell in zip(columns, cells, strict=False):
        if column:
            values[column] = cell.strip()
    row = LearnerRow(
        line=number,
        email=values.get("email", ""),
        first_name=values.get("firstName", ""),
        last_name=values.get("lastName", ""),
        client_id=values.get("clientId") or None,
        license_ids=[
            p.strip() for p in re.split(r"[;|]", values.get("licenseIds", "")) if p.strip()
        ],
        refs={k: v for k, v in values.items() if k.startswith("ref") and v},
    )
    if len(cells) > len(columns):
        row.problems.append(str(_l("more cells than columns")))
    if not row.email:
        row.problems.append(str(_l("email is missing")))
    elif not EMAIL_PATTERN.match(row.email) or len(row.email) > 254:
        row.problems.append(str(_l("email is malformed")))
    else:
        key = row.email.casefold()
        if key in seen:
            row.problems.append(str(_l("same email as line %(line)d", line=seen[key])))
        else:
            seen[key] = number
    for value, missing in (
        (row.first_name, _l("first name is missing")),
        (row.last_name, _l("last name is missing")),
    ):
        if not value:
            row.problems.append(str(missing))
        elif len(value) > MAX_NAME:
            row.problems.append(str(_l("a name is longer than %(max)d characters", max=MAX_NAME)))
    return row


def batches(rows: list[LearnerRow], size: int = BATCH_SIZE) -> Iterable[list[LearnerRow]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


class BatchRefused(Exception):
    """The instance refused a batch, naming the entries (by index in the batch) and why."""

    def __init__(self, problems: dict[int, str]):
        super().__init__(f"{len(problems)} entries refused")
        self.problems = problems


class BatchNotSent(Exception):
    """The batch could not be delivered (instance down, rate limited); nothing was created."""


class BatchUnconfirmed(Exception):
    """The batch went out but no answer came back: its learners may or may not exist now.

    The message says so for the batch's rows; `later` says why the rows after it were not sent.
    """

    def __init__(self, reason: str, later: str):
        super().__init__(reason)
        self.later = later


def run_import(
    parsed: ParsedFile,
    create: Callable[[list[dict]], None],
    batch_size: int = BATCH_SIZE,
) -> list[RowResult]:
    """Create the valid rows batch by batch; every row of the file gets a result.

    `create` sends one batch (CreateLearners, all or nothing upstream); it raises BatchRefused
    naming the bad entries, BatchNotSent, or BatchUnconfirmed. A refused batch is retried
    without the entries the instance named, so one bad row never sinks its neighbours.
    """
    results: dict[int, RowResult] = {}
    for row in parsed.rows:
        if not row.valid:
            problems = format_list(row.problems, locale=get_locale() or "en")  # "a, b and c"
            results[row.line] = RowResult(row.line, row.email, INVALID, problems)
    stop_reason = None
    for batch in batches(parsed.valid_rows, batch_size):
        if stop_reason:
            for row in batch:
                results[row.line] = RowResult(row.line, row.email, NOT_SENT, stop_reason)
            continue
        pending = list(batch)
        while pending:
            try:
                create([r.as_input() for r in pending])
            except BatchRefused as refused:
                named = {i for i in refused.problems if 0 <= i < len(pending)}
                if not named:  # refused without naming anyone: report all, don't loop
                    reason = "; ".join(refused.problems.values()) or str(
                        _l("refused by the platform")
                    )
                    for row in pending:
                        results[row.line] = RowResult(row.line, row.email, REFUSED, reason)
                    break
                for index in named:
                    row, reason = pending[index], refused.problems[index]
                    status = ALREADY_THERE if ALREADY_EXISTS_HINT in reason else REFUSED
                    results[row.line] = RowResult(row.line, row.email, status, reason)
                pending = [r for i, r in enumerate(pending) if i not in named]
                continue
            except BatchUnconfirmed as lost:
                stop_reason = lost.later
                for row in pending:
                    results[row.line] = RowResult(row.line, row.email, UNCONFIRMED, str(lost))
                break
            except BatchNotSent as failure:
                stop_reason = str(failure) or str(_l("the learning platform could not be reached"))
                for row in pending:
                    results[row.line] = RowResult(row.line, row.email, NOT_SENT, stop_reason)
                break
            for row in pending:
                results[row.line] = RowResult(row.line, row.email, CREATED)
            pending = []
    return [results[line] for line in sorted(results)]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: object) -> str:
    """A cell a spreadsheet will show as text, never run as a formula."""
    text = "" if cell is None else str(cell)
    return "'" + text if text.startswith(_FORMULA_START) else text


def report_csv(results: list[RowResult]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["line", "email", "status", "reason"])
    for r in results:
        writer.writerow([r.line, neutralise(r.email), neutralise(r.status), neutralise(r.reason)])
    return out.getvalue()
