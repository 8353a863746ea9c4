"""The learning pages' data: one batch of calls each, shaped into what the page shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask_babel import format_percent

from ..dashboard.loaders import completed_ids
from ..gql import Call, PageData
from ..pages import load_page
from ..security import plausible_id
from .forms import TAB_GROUPS, UUID_PATTERN, Filters

# RedeemBalance spends credits on courses (its contentType is fixed to `courses`).
COURSE_KINDS = frozenset({"course", "microCourse", "webinarCourse", "inPersonEventCourse"})


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
class Card:
    item: Any  # a UserContentItems entry
    completed: bool = False
    offer: CreditOffer | None = None
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def current_user_due_date(self) -> datetime | None:
        return self.item.current_user_due_date

    @property
    def is_overdue(self) -> bool:
        due = self.item.current_user_due_date
        return bool(due and due < self.now and not self.completed)

    @property
    def is_course(self) -> bool:
        return self.item.kind in COURSE_KINDS

    @property
    def has_route_id(self) -> bool:
        """Whether the item's id fits in our URLs (and in element ids the page targets)."""
        return plausible_id(self.item.id)


@dataclass
class Tab:
    key: str  # a TAB_GROUPS key, "all", or a kind of its own
    kinds: tuple[str, ...]
    count: int
    current: bool = False


@dataclass
class Listing:
    page: PageData
    filters: Filters
    cards: list[Card] = field(default_factory=list)
    tabs: list[Tab] = field(default_factory=list)
    completion_unknown: bool = False  # show=completed, but the learner's progress is missing

    @property
    def ok(self) -> bool:
        return self.page.ok("UserContentItems")


def offer_for(item, user) -> CreditOffer | None:
    if user is None or item.kind not in COURSE_KINDS or not UUID_PATTERN.match(item.id or ""):
        return None  # RedeemBalance takes a course's UUID
    if item.availability_status != "purchasable" or not item.price_in_cents:
        return None
    return CreditOffer(
        item.price_in_cents, float(user.balance or 0), user.preferred_currency or "USD"
    )


def load_listing(filters: Filters, now: datetime | None = None) -> Listing:
    """The learner's items for these filters, with the kind tabs their search leaves."""
    now = now or datetime.now(UTC)
    page = load_page(Call("UserContentItems", filters.variables()))
    listing = Listing(page=page, filters=filters)
    user = page["CurrentUser"]
    done = completed_ids(user) if user else set()
    items = list(page.get("UserContentItems", []))
    if filters.completed:
        listing.completion_unknown = user is None
        items = [i for i in items if i.id in done]
    # The kind filter is applied here rather than sent upstream: the tabs need to know every
    # kind the search found, and one call answers both (UserContentItems costs extra points).
    listing.tabs = _tabs(items, filters.kinds)
    if filters.kinds:
        items = [i for i in items if i.kind in filters.kinds]
    listing.cards = [
        Card(i, completed=i.id in done, offer=offer_for(i, user), now=now) for i in items
    ]
    return listing


def _tabs(items: list, selected: tuple[str, ...]) -> list[Tab]:
    counts: dict[str, int] = {}
    for item in items:
        counts[item.kind or ""] = counts.get(item.kind or "", 0) + 1
    tabs = [Tab("all", (), len(items), current=not selected)]
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
    def awards(self) -> list:
        return [a for a in self.page.get("UserCourseAwardCounts", []) if a]


def load_details(course_id: str, with_item: bool) -> Details:
    """Award counts and discussion count in one request; the full page adds the course's card."""
    calls = [
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
        return self.page["CurrentUser"]


def load_redemption(course_id: str) -> Redemption:
    """The course as the learner sees it in My learning, and what their credits would buy."""
    page = load_page(Call("UserContentItems"))
    item = next((i for i in page.get("UserContentItems", []) if i.id == course_id), None)
    offer = offer_for(item, page["CurrentUser"]) if item else None
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
class PathAwards:
    page: PageData
    slug: str
    name: str | None = None
    groups: list[AwardGroup] = field(default_factory=list)

    @property
    def not_found(self) -> bool:
        return self.page.not_found("LearningPathCurrentUserAwardTotals")


def load_path(slug: str) -> PathAwards:
    """The learner's awards in a path, grouped by award type, each course's or path's share."""
    page = load_page(Call("LearningPathCurrentUserAwardTotals", {"slug": slug}))
    path = PathAwards(page=page, slug=slug)
    groups: dict[str, AwardGroup] = {}
    shares: dict[tuple[str, str], Share] = {}
    for row in page.get("LearningPathCurrentUserAwardTotals", []):
        if row is None or row.award_type is None:
            continue
        resource = row.resource
        if resource is not None and resource.slug == slug and resource.name:
            path.name = resource.name
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
    path.groups = list(groups.values())
    return path
