"""My learning's inputs: the URL's filters (checked, with a note for what was ignored) and forms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, SearchField, SelectChoice, SelectField

from ..forms import Form
from ..i18n import t

MAX_QUERY = 200  # characters of search text; TI's search gains nothing from more
MAX_KINDS = 20
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
# An id as TI writes one in a URL (course ids are UUIDs); anything else is not one of ours.
UUID_PATTERN = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\Z")
SLUG_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,199}\Z")

# The schema's ContentKind enum (tests check the two agree).
CONTENT_KINDS = (
    "article",
    "bundle",
    "course",
    "courseGroup",
    "discountGroup",
    "inPersonEvent",
    "inPersonEventCourse",
    "learningPath",
    "microCourse",
    "pickableGroup",
    "product",
    "sellable",
    "shareableContentObject",
    "video",
    "webinar",
    "webinarCourse",
    "xApiObject",
)
# Kind tabs: a tab's URL carries every kind it holds; kinds in no group get a tab of their own.
TAB_GROUPS = (
    ("courses", ("course", "microCourse")),
    ("learningPaths", ("learningPath",)),
    ("webinars", ("webinar", "webinarCourse")),
    ("articles", ("article",)),
    ("videos", ("video",)),
    ("events", ("inPersonEvent", "inPersonEventCourse")),
)
SORT_CHOICES = (
    ("", _l("Default order")),
    ("relevance", _l("Best match")),
    ("title", _l("Title")),
    ("lastActiveAt", _l("Last opened")),
    ("courseStartDate", _l("Start date")),
    ("publishDate", _l("Publish date")),
    ("displayDate", _l("Display date")),
    ("createdAt", _l("Date added")),
    ("updatedAt", _l("Last updated")),
)
DIRECTION_CHOICES = (
    ("", _l("Default")),
    ("asc", _l("Ascending (A to Z, oldest first)")),
    ("desc", _l("Descending (Z to A, newest first)")),
)
# The status filter's values: progress.STATES (in progress, not started, completed).
STATUS_VALUES = ("inProgress", "notStarted", "completed")
MAX_PAGE = 1000


@dataclass(frozen=True)
class Filters:
    """What the learner asked My learning to show; the URL holds all of it."""

    q: str = ""
    kinds: tuple[str, ...] = ()
    sort: str = ""
    direction: str = ""
    status: str = ""  # one of STATUS_VALUES, or "" for every status
    page: int = 1
    notes: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        """Whether anything narrows the list (sorting and paging don't)."""
        return bool(self.q or self.kinds or self.status)

    def variables(self) -> dict:
        """UserContentItems' variables. Kinds and statuses are applied to the answer (see
        loaders). Unsorted and unsearched, the most recently opened come first: within each
        status group that is the order to pick things up again in."""
        sort, direction = self.sort, self.direction
        if not sort and not self.q:
            sort, direction = "lastActiveAt", direction or "desc"
        wanted = {"query": self.q, "sortColumn": sort, "sortDirection": direction}
        return {name: value for name, value in wanted.items() if value}

    def args(self, **changes) -> dict:
        """URL arguments for url_for('learning.index'), with `changes` applied."""
        values = {
            "q": self.q or None,
            "kind": list(self.kinds) or None,
            "sort": self.sort or None,
            "direction": self.direction or None,
            "status": self.status or None,
            "page": self.page if self.page > 1 else None,
        }
        if "page" not in changes:
            changes = {**changes, "page": None} if changes else changes
        values.update(changes)
        if values.get("page") == 1:
            values["page"] = None  # the first page's address has no page number
        return {name: value for name, value in values.items() if value}

    def query_items(self) -> list[tuple[str, str]]:
        """The canonical URL arguments as (name, value) pairs, to compare with a request's."""
        pairs = []
        for name, value in self.args().items():
            pairs += [(name, str(v)) for v in (value if isinstance(value, list) else [value])]
        return sorted(pairs)


def parse_filters(args: MultiDict) -> Filters:
    """The filters in a URL. Values we don't know are dropped, each with a note saying so."""
    notes: list[str] = []
    q = _CONTROL.sub(" ", args.get("q", "")).strip()
    if len(q) > MAX_QUERY:
        q = q[:MAX_QUERY].rstrip()
        notes.append(
            _(
                "Your search was too long, so only its first %(limit)d characters were used.",
                limit=MAX_QUERY,
            )
        )
    kinds: list[str] = []
    unknown: list[str] = []
    for value in args.getlist("kind")[:MAX_KINDS]:
        value = value.strip()
        if value in CONTENT_KINDS:
            if value not in kinds:
                kinds.append(value)
        elif value:
            unknown.append(value)
    kinds = _whole_groups(kinds)
    if len(args.getlist("kind")) > MAX_KINDS:
        notes.append(_("Only the first %(limit)d content types were used.", limit=MAX_KINDS))
    if unknown:
        notes.append(
            _(
                "These content types are unknown and were ignored: %(values)s.",
                values=_shown(unknown),
            )
        )
    sort = args.get("sort", "").strip()
    if sort not in dict(SORT_CHOICES):
        notes.append(
            _("“%(value)s” is not a way to sort; the default order is used.", value=_cut(sort))
        )
        sort = ""
    direction = args.get("direction", "").strip()
    if direction not in dict(DIRECTION_CHOICES):
        notes.append(
            _("“%(value)s” is not a sort order; the default order is used.", value=_cut(direction))
        )
        direction = ""
    status = args.get("status", "").strip()
    if args.get("show", "").strip() == "completed" and not status:
        status = "completed"  # the address "Completed only" had before statuses
    if status and status not in STATUS_VALUES:
        notes.append(
            _("“%(value)s” is not a status we know; showing every status.", value=_cut(status))
        )
        status = ""
    show = args.get("show", "").strip()
    if show and show != "completed":
        notes.append(
            _("“%(value)s” is not something we can show; showing everything.", value=_cut(show))
        )
    return Filters(
        q=q,
        kinds=tuple(kinds),
        sort=sort,
        direction=direction,
        status=status,
        page=_page_number(args.get("page", ""), notes),
        notes=tuple(notes),
    )


def _whole_groups(kinds: list[str]) -> list[str]:
    """A kind of a tab's group stands for the whole group: the tabs are all a learner can
    choose, so `kind=course` is the Courses tab (micro courses too), not a second tab."""
    widened: list[str] = []
    for kind in kinds:
        group = next((members for _key, members in TAB_GROUPS if kind in members), (kind,))
        widened += [k for k in group if k not in widened]
    return widened


def filters_in(address: str) -> Filters:
    """The filters of a My learning address (the page an HTMX request came from)."""
    return parse_filters(MultiDict(parse_qsl(urlsplit(address).query)))


def _page_number(value: str, notes: list[str]) -> int:
    value = value.strip()
    if not value:
        return 1
    if value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_PAGE:
        return int(value)
    notes.append(_("“%(value)s” is not a page number; showing the first page.", value=_cut(value)))
    return 1


def _cut(value: str, limit: int = 40) -> str:
    value = _CONTROL.sub(" ", value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _shown(values: list[str]) -> str:
    return ", ".join(f"“{_cut(v)}”" for v in values[:5]) + (" …" if len(values) > 5 else "")


class FilterForm(Form):
    """The search and sort controls (a GET form: nothing to protect with a CSRF token)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search your learning"), render_kw={"maxlength": MAX_QUERY})
    sort = SelectField(_l("Sort by"), choices=[SelectChoice(v, label) for v, label in SORT_CHOICES])
    direction = SelectField(
        _l("Order"), choices=[SelectChoice(v, label) for v, label in DIRECTION_CHOICES]
    )

    @classmethod
    def showing(cls, filters: Filters) -> FilterForm:
        """The form as the checked filters left it; labels the company may word its own way."""
        form = cls(
            formdata=None,
            data={"q": filters.q, "sort": filters.sort, "direction": filters.direction},
        )
        form.q.label.text = t("learning.search", "Search your learning")
        form.sort.label.text = t("learning.sort", "Sort by")
        return form


class UseCreditsForm(Form):
    """Use my credits; `confirmed` comes from the confirmation step (or htmx after data-confirm)."""

    confirmed = HiddenField()
