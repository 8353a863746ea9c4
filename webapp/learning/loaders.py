"""The learning pages' data: one batch of calls each, shaped into what the page shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask_babel import format_percent
from werkzeug.datastructures import MultiDict

from ..gql import Call, PageData
from ..pages import load_page
from ..progress import NOT_STARTED, STATES, Book, Entry, ItemList, load_with_progress
from ..progress.cards import CourseCard
from ..sections import Section, loaded_from
from ..security import plausible_id
from .forms import TAB_GROUPS, UUID_PATTERN, FilterForm, Filters, parse_filters

# RedeemBalance spends credits on courses (its contentType is fixed to `courses`).
COURSE_KINDS = frozenset({"course", "microCourse", "webinarCourse", "inPersonEventCourse"})
PAGE_SIZE = 12  # cards a page of My learning shows; divides evenly into 1–4 columns


# -- My learning -------------------------------------------------------------------------------


@dataclass
class CreditOffer:
    """A priced course the learner doesn't own yet, and whether their balance covers it."""

    price_cents: int
    balance: float
    currency: str

    @property
    def covered(self) -> bool:
        return round(self.balance * 100) >= self.price_cents  # balance is in currency units

    @property
    def balance_after(self) -> float:
        return round(self.balance - self.price_cents / 100, 2)


@dataclass
class Card(CourseCard):
    offer: CreditOffer | None = None

    @property
    def is_course(self) -> bool:
        return self.item.kind in COURSE_KINDS

    @property
    def has_route_id(self) -> bool:
        """Whether the item's id fits in our URLs (and in element ids the page targets)."""
        return plausible_id(self.item.id)

    @property
    def archive_mutation(self) -> str:
        """ArchiveUserLearningPath for a path, ArchiveUserCourse for everything else."""
        return archive_mutation(self.item.kind)


def archive_mutation(kind: str | None) -> str:
    return "ArchiveUserLearningPath" if kind == "learningPath" else "ArchiveUserCourse"


@dataclass
class Tab:
    key: str  # a TAB_GROUPS key, "all", or a kind of its own
    kinds: tuple[str, ...]
    count: int
    current: bool = False


@dataclass
class Group:
    """The cards of one status on this page; `continued` when it began on an earlier page."""

    state: str
    cards: list[Card]
    total: int
    continued: bool = False


@dataclass
class Listing:
    page: PageData
    filters: Filters
    book: Book | None = None
    groups: list[Group] = field(default_factory=list)
    tabs: list[Tab] = field(default_factory=list)
    status_counts: dict[str, int] = field(default_factory=dict)  # after search and kind
    total: int = 0  # items matching every filter
    last_page: int = 1  # the pages shown run from filters.page to here (HTMX re-renders)

    @property
    def ok(self) -> bool:
        return self.page.ok("UserContentItems")

    @property
    def cards(self) -> list[Card]:
        return [card for group in self.groups for card in group.cards]

    @property
    def results(self) -> Section[list[Card]]:
        """The cards on the pages shown: not loaded when the items, or the progress that
        groups them by status, couldn't be read."""
        return Section(self.cards, self.ok and not self.progress_unknown)

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    @property
    def shown_before(self) -> int:
        """Cards on the pages before the first one shown."""
        return (self.filters.page - 1) * PAGE_SIZE

    @staticmethod
    def shown_before_page(number: int) -> int:
        return (number - 1) * PAGE_SIZE

    @property
    def shown_through(self) -> int:
        """How many cards the pages up to the last one shown hold."""
        return min(self.total, self.last_page * PAGE_SIZE)

    @property
    def has_more(self) -> bool:
        return self.ok and self.last_page < self.page_count

    @property
    def progress_unknown(self) -> bool:
        return self.book is None or not self.book.standing.known


def offer_for(item, user) -> CreditOffer | None:
    if user is None or item.kind not in COURSE_KINDS or not UUID_PATTERN.match(item.id or ""):
        return None  # RedeemBalance takes a course's UUID
    if item.availability_status != "purchasable" or not item.price_in_cents:
        return None
    return CreditOffer(
        item.price_in_cents, float(user.balance or 0), user.preferred_currency or "USD"
    )


def arranged(entries: list[Entry], state, filters: Filters) -> list[Entry]:
    """The items the filters keep, grouped by status in STATES order. Within a group the
    instance's order stands (the learner's sort, else the most recently opened first), except
    that items to start are ordered by due date, soonest first, unless the learner sorts."""
    if filters.kinds:
        entries = [e for e in entries if e.kind in filters.kinds]
    if filters.status:
        entries = [e for e in entries if state(e) == filters.status]
    groups: dict[str, list[Entry]] = {s: [] for s in STATES}
    for entry in entries:
        groups[state(entry)].append(entry)
    if not filters.sort:
        groups[NOT_STARTED].sort(key=lambda e: (e.due is None, e.due or ""))
    return [entry for s in STATES for entry in groups[s]]


def pages_of(entries: list[Entry], first: int, last: int) -> list[Entry]:
    return entries[(first - 1) * PAGE_SIZE : last * PAGE_SIZE]


def load_listing(
    filters: Filters, now: datetime | None = None, *, last_page: int | None = None
) -> Listing:
    """A page of the learner's items for these filters (or the pages from filters.page to
    `last_page`), grouped by status, each with its progress."""
    now = now or datetime.now(UTC)
    last = max(filters.page, last_page or filters.page)
    items_list = ItemList(Call("UserContentItems", filters.variables()))

    def choose(lists, state):
        return pages_of(arranged(lists["items"], state, filters), filters.page, last)

    page, book = load_with_progress(
        items_list.call, lists={"items": items_list}, choose=choose, load=load_page
    )
    listing = Listing(page=page, filters=filters, book=book, last_page=last)
    user = page["CurrentUserForLearning"]
    items = {i.id: i for i in items_list.items(page["UserContentItems"])}
    entries = [Entry.of(i) for i in items.values()]
    state = book.state
    # The tabs count what the search and status leave, the status counts what search and
    # kind leave: each control shows what choosing it would give.
    by_status = [e for e in entries if not filters.status or state(e) == filters.status]
    listing.tabs = _tabs(by_status, filters.kinds)
    by_kind = [e for e in entries if not filters.kinds or e.kind in filters.kinds]
    listing.status_counts = {s: sum(state(e) == s for e in by_kind) for s in STATES}
    ordered = arranged(entries, state, filters)
    listing.total = len(ordered)
    totals = {s: sum(state(e) == s for e in ordered) for s in STATES}
    before = {state(e) for e in ordered[: listing.shown_before]}
    for entry in pages_of(ordered, filters.page, last):
        item = items[entry.id]
        group_state = state(entry)
        if not listing.groups or listing.groups[-1].state != group_state:
            listing.groups.append(
                Group(group_state, [], totals[group_state], continued=group_state in before)
            )
        card = book.card(item, now, Card, offer=offer_for(item, user))
        listing.groups[-1].cards.append(card)
    return listing


def _tabs(entries: list[Entry], selected: tuple[str, ...]) -> list[Tab]:
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry.kind or ""] = counts.get(entry.kind or "", 0) + 1
    tabs = [Tab("all", (), len(entries), current=not selected)]
    grouped = set()
    for key, kinds in TAB_GROUPS:
        grouped |= set(kinds)
        count = sum(counts.get(k, 0) for k in kinds)
        current = set(selected) == set(kinds)
        if count or current:
            tabs.append(Tab(key, kinds, count, current))
    for kind in sorted(k for k in counts if k and k not in grouped):
        tabs.append(Tab(kind, (kind,), counts[kind], set(selected) == {kind}))
    if selected and not any(t.current for t in tabs):
        # A hand-made mix of kinds: show it as the current tab so the learner sees the filter.
        tabs.append(Tab("custom", selected, sum(counts.get(k, 0) for k in selected), True))
    return tabs


# -- A course's details ------------------------------------------------------------------------


@dataclass
class Details:
    page: PageData
    course_id: str
    item: Any = None  # the learner's item, when the full page asked for it

    @property
    def not_found(self) -> bool:
        return self.page.not_found("UserCourseAwardCounts") or self.page.not_found(
            "UserCourseCollaborations"
        )

    @property
    def awards(self) -> Section[list]:
        """The learner's award counts in the course, by award type."""
        awards = [a for a in self.page.get("UserCourseAwardCounts", []) if a]
        return loaded_from(self.page, "UserCourseAwardCounts", awards)

    @property
    def progress(self) -> Section:
        """UserProgress: percent complete, time spent, views."""
        progress = self.page["UserCourseProgressForDetails"]
        return Section(progress, progress is not None)

    @property
    def criteria(self) -> Section[list]:
        """The course's completion criteria, each with what it requires and what is done."""
        criteria = [c for c in self.page.get("UserCourseCompletionProgress", []) if c]
        return loaded_from(self.page, "UserCourseCompletionProgress", criteria)

    @property
    def posts(self) -> Section[int]:
        """How many discussion posts the learner made in the course."""
        return loaded_from(self.page, "UserCourseCollaborations")


def load_details(course_id: str, with_item: bool) -> Details:
    """Progress, completion criteria, award counts and discussion count in one request; the
    full page adds the course's card."""
    calls = [
        Call("UserCourseProgressForDetails", {"id": course_id}),
        Call("UserCourseCompletionProgress", {"id": course_id}),
        Call("UserCourseAwardCounts", {"courseId": course_id}),
        Call("UserCourseCollaborations", {"courseId": course_id}),
    ]
    if with_item:
        calls.append(Call("UserContentItems"))
    page = load_page(*calls)
    item = next((i for i in page.get("UserContentItems", []) if i.id == course_id), None)
    return Details(page=page, course_id=course_id, item=item)


# -- Use my credits ------------------------------------------------------------------------------


@dataclass
class Redemption:
    page: PageData
    item: Any = None
    offer: CreditOffer | None = None

    @property
    def user(self):
        """The learner's balance and currency (CurrentUserForLearning)."""
        return self.page["CurrentUserForLearning"]

    @property
    def offered(self) -> Section[CreditOffer | None]:
        """What the credits would buy, once the learner's items could be read (None: the
        course is theirs already, or not for sale)."""
        return loaded_from(self.page, "UserContentItems", self.offer)


def load_redemption(course_id: str) -> Redemption:
    """The course as the learner sees it in My learning, and what their credits would buy."""
    page = load_page(Call("CurrentUserForLearning"), Call("UserContentItems"))
    item = next((i for i in page.get("UserContentItems", []) if i.id == course_id), None)
    offer = offer_for(item, page["CurrentUserForLearning"]) if item else None
    return Redemption(page=page, item=item, offer=offer)


# -- A learning path's awards ------------------------------------------------------------------


@dataclass
class Share:
    name: str
    total: float
    fraction: float = 0.0

    @property
    def percent(self) -> float:
        return round(self.fraction * 100, 1)

    @property
    def percent_label(self) -> str:
        return format_percent(self.fraction, "#,##0.#%")


@dataclass
class AwardGroup:
    label: str
    shares: list[Share] = field(default_factory=list)

    @property
    def total(self) -> float:
        return sum(s.total for s in self.shares)


@dataclass
class Milestone:
    name: str
    cards: list[CourseCard] = field(default_factory=list)


@dataclass
class PathPage:
    page: PageData
    slug: str
    book: Book | None = None
    path: Any = None  # LearningPathBySlug
    milestones: list[Milestone] = field(default_factory=list)
    groups: list[AwardGroup] = field(default_factory=list)

    @property
    def not_found(self) -> bool:
        return self.page.not_found("LearningPathBySlug") or self.page.not_found(
            "LearningPathCurrentUserAwardTotals"
        )

    @property
    def name(self) -> str | None:
        return self.path.name if self.path is not None else None

    @property
    def steps(self) -> Section[list[Milestone]]:
        """The path's milestones with their courses."""
        return loaded_from(self.page, "LearningPathBySlug", self.milestones)

    @property
    def awards(self) -> Section[list[AwardGroup]]:
        """The learner's awards in the path, by award type."""
        return loaded_from(self.page, "LearningPathCurrentUserAwardTotals", self.groups)

    @property
    def cards(self) -> list[CourseCard]:
        return [card for milestone in self.milestones for card in milestone.cards]

    @property
    def completed_count(self) -> int:
        return sum(card.completed for card in self.cards)

    @property
    def percent(self) -> int | None:
        """How far the learner is through the path: its items' progress, averaged (None when
        some item's progress is unknown)."""
        percents = [c.progress.percent if c.progress else None for c in self.cards]
        if not percents or any(p is None for p in percents):
            return None
        return round(sum(percents) / len(percents))


def path_items(path) -> list:
    """A path's content items in order, milestone by milestone."""
    if path is None:
        return []
    return [
        item
        for milestone in path.milestones or []
        if milestone
        for item in milestone.content_items or []
        if item
    ]


def load_path(slug: str, now: datetime | None = None) -> PathPage:
    """The path, its milestones and courses in order with the learner's progress in each, and
    the awards the learner earned in it, in one request."""
    now = now or datetime.now(UTC)
    path_list = ItemList(Call("LearningPathBySlug", {"slug": slug}), items=path_items)
    page, book = load_with_progress(
        path_list.call,
        Call("LearningPathCurrentUserAwardTotals", {"slug": slug}),
        lists={"path": path_list},
        choose=lambda lists, state: lists["path"],
        load=load_page,
    )
    view = PathPage(page=page, slug=slug, book=book, path=page["LearningPathBySlug"])
    for milestone in (view.path.milestones or []) if view.path else []:
        if milestone is None:
            continue
        cards = [book.card(item, now) for item in milestone.content_items or [] if item]
        view.milestones.append(Milestone(milestone.name, cards))
    view.groups = _award_groups(page, slug)
    return view


def _award_groups(page: PageData, slug: str) -> list[AwardGroup]:
    """The learner's awards in a path, grouped by award type, each course's or path's share."""
    groups: dict[str, AwardGroup] = {}
    shares: dict[tuple[str, str], Share] = {}
    for row in page.get("LearningPathCurrentUserAwardTotals", []):
        if row is None or row.award_type is None:
            continue
        resource = row.resource
        kind = row.award_type
        group = groups.setdefault(kind.id, AwardGroup(kind.plural_label or kind.label or kind.id))
        key = (kind.id, row.resource_id)
        if key not in shares:
            name = (resource.title or resource.name) if resource else None
            shares[key] = Share(name or row.resource_id, 0.0)
            group.shares.append(shares[key])
        shares[key].total += row.total or 0
    for group in groups.values():
        total = group.total
        for share in group.shares:
            share.fraction = share.total / total if total else 0.0
    return list(groups.values())


def learning_page(args: MultiDict) -> dict:
    """My learning's template context for the filters in its query string."""
    filters = parse_filters(args)
    return {"listing": load_listing(filters), "form": FilterForm.showing(filters)}
