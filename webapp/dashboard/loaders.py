"""The dashboard's data: one batch of calls, shaped into what the page shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from werkzeug.datastructures import MultiDict

from ..gql import Call, PageData
from ..pages import load_page
from ..progress import (
    COMPLETED,
    IN_PROGRESS,
    NOT_STARTED,
    Book,
    Entry,
    ItemList,
    load_with_progress,
)
from ..progress.cards import CourseCard
from ..sections import Section, loaded_from

CONTINUE_SHOWN = 4
# UserRecentContent costs the same for any limit: ask for enough that in-progress items can
# come first even when the learner opened finished ones since.
RECENT_ASKED = 12
_FIRST = {IN_PROGRESS: 0, NOT_STARTED: 1, COMPLETED: 2}
RECENT = ItemList(Call("UserRecentContent", {"limit": RECENT_ASKED}))


@dataclass
class Tile:
    kind: str
    count: int
    endpoint: str
    args: dict


@dataclass
class DueSoon:
    """What the learner should finish soon: overdue first, then due within the week."""

    overdue: list = field(default_factory=list)
    this_week: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.overdue or self.this_week)


@dataclass
class Dashboard:
    page: PageData
    book: Book | None = None
    # The page's sections: each says whether it could be loaded (see webapp/sections.py).
    tiles: Section[list[Tile]] = field(default_factory=lambda: Section([], False))
    continuing: Section[list[CourseCard]] = field(default_factory=lambda: Section([], False))
    due: Section[DueSoon] = field(default_factory=lambda: Section(DueSoon(), False))
    earned_badges: Section[int] = field(default_factory=lambda: Section(0, False))
    in_progress: int | None = None  # how many of the learner's items are under way (None: unknown)
    next_badge: object | None = None
    position: object | None = None  # the learner's place on the leaderboard, when it loaded
    account: object | None = None  # balance and currency (CurrentUserForLearning)


def continue_learning(lists: dict[str, list[Entry]], state) -> list[Entry]:
    """What the learner opened last, in-progress items first, then ones to start."""
    return sorted(lists["recent"], key=lambda e: _FIRST[state(e)])[:CONTINUE_SHOWN]


def dashboard_page(_args: MultiDict) -> dict:
    """The dashboard's template context (it has no query string of its own)."""
    return {"board": load_dashboard()}


def load_dashboard(now: datetime | None = None) -> Dashboard:
    # Each page declares the tiles that link to it (webapp/learner_pages.py, which imports
    # this module: hence asked here).
    from ..learner_pages import dashboard_tiles

    now = now or datetime.now(UTC)
    page, book = load_with_progress(
        Call("UserContentGroups"),
        RECENT.call,
        Call("UserContentItemsForDashboard"),
        Call("UserEarnedBadgeBoardForDashboard"),
        Call("BadgeLeaderboardForDashboard"),
        lists={"recent": RECENT},
        choose=continue_learning,
        load=load_page,
    )
    board = Dashboard(page=page, book=book)
    counts = {g.kind: g.count for g in page.get("UserContentGroups", []) if g}
    tiles = [Tile(kind, counts[kind], e, a) for kind, e, a in dashboard_tiles() if kind in counts]
    board.tiles = loaded_from(page, "UserContentGroups", tiles)
    recent = {i.id: i for i in RECENT.items(page[RECENT.call.result_key])}
    chosen = continue_learning({"recent": [Entry.of(i) for i in recent.values()]}, book.state)
    cards = [book.card(recent[e.id], now) for e in chosen]
    board.continuing = loaded_from(page, RECENT.call.result_key, cards)
    board.account = page["CurrentUserForLearning"]
    _due_items(board, page, book, now)
    _badges(board, page)
    return board


def _due_items(board: Dashboard, page: PageData, book: Book, now: datetime) -> None:
    items = [i for i in page.get("UserContentItemsForDashboard", []) if i]
    if book.standing.known and page.ok("UserContentItemsForDashboard"):
        board.in_progress = sum(book.state(Entry(i.id)) == IN_PROGRESS for i in items)
    week = now + timedelta(days=7)
    dated = [i for i in items if i.current_user_due_date and book.state(Entry(i.id)) != COMPLETED]
    dated.sort(key=lambda i: i.current_user_due_date)
    due = DueSoon(
        overdue=[i for i in dated if i.current_user_due_date < now],
        this_week=[i for i in dated if now <= i.current_user_due_date <= week],
    )
    board.due = loaded_from(page, "UserContentItemsForDashboard", due)


def _badges(board: Dashboard, page: PageData) -> None:
    badges = page["UserEarnedBadgeBoardForDashboard"]
    earned = 0
    if badges:
        earned = len([b for b in badges.earned_badges or [] if b and b.id])
        unearned = sorted(
            (b for b in badges.unearned_badges or [] if b), key=lambda b: b.award_threshold
        )
        board.next_badge = unearned[0] if unearned else None
    board.earned_badges = loaded_from(page, "UserEarnedBadgeBoardForDashboard", earned)
    leaderboard = page["BadgeLeaderboardForDashboard"]
    if leaderboard and page.ok("BadgeLeaderboardForDashboard"):
        board.position = leaderboard.current_user_position
