"""The badges page's data: the badge board and the leaderboard, shaped for the template."""

from __future__ import annotations

from dataclasses import dataclass, field

from werkzeug.datastructures import MultiDict

from ..gql import Call, PageData
from ..pages import load_page
from ..sections import Section, loaded_from

LIMITS = (5, 10, 25, 50)
DEFAULT_LIMIT = 10


def parse_limit(raw: object) -> int:
    """The leaderboard size the learner asked for, when it is one we offer; else the default."""
    if isinstance(raw, str) and raw.strip().isdigit() and len(raw.strip()) < 4:
        value = int(raw.strip())
        if value in LIMITS:
            return value
    return DEFAULT_LIMIT


@dataclass
class Progress:
    """An unearned badge and how far the learner is toward it, as far as the page can tell."""

    badge: object
    current: int | float | None = None  # None: nothing on the page tells
    at_least: bool = False  # `current` is a floor (from badges earned), not the exact total

    @property
    def known(self) -> bool:
        return self.current is not None

    @property
    def shown(self) -> int:
        """The progress bar's value: never past the threshold, never negative."""
        return max(0, min(self.current or 0, self.badge.award_threshold or 0))


@dataclass
class Row:
    rank: int | None
    name: str
    total: int
    is_me: bool = False
    tied: bool = False


@dataclass
class BadgesPage:
    page: PageData
    limit: int
    # The page's sections: each says whether it could be loaded (see webapp/sections.py).
    earned: Section[list] = field(default_factory=lambda: Section([], False))
    unearned: Section[list[Progress]] = field(default_factory=lambda: Section([], False))
    rows: Section[list[Row]] = field(default_factory=lambda: Section([], False))
    me: object | None = None  # the learner's own position, when the leaderboard loaded
    me_in_rows: bool = False
    award_type: object | None = None


def load_badges(limit: int, *, board: bool = True) -> BadgesPage:
    """Badges (unless only the leaderboard is wanted) and the top `limit` in one request."""
    calls = [Call("BadgeLeaderboard", {"limit": limit})]
    if board:
        calls.insert(0, Call("UserEarnedBadgeBoard"))
    page = load_page(*calls)
    result = BadgesPage(page=page, limit=limit)
    leaderboard = page["BadgeLeaderboard"]
    rows: list[Row] = []
    if leaderboard is not None:
        result.award_type = leaderboard.award_type
        result.me = leaderboard.current_user_position
        rows = _rows(leaderboard, limit)
        result.me_in_rows = any(r.is_me for r in rows)
    result.rows = loaded_from(page, "BadgeLeaderboard", rows)
    badges = page["UserEarnedBadgeBoard"]
    earned: list = []
    unearned: list[Progress] = []
    if badges is not None:
        earned = [e.badge for e in badges.earned_badges or [] if e and e.badge]
        exact, floors = _totals(result, earned)
        unearned = [_progress(b, exact, floors) for b in badges.unearned_badges or [] if b]
    result.earned = loaded_from(page, "UserEarnedBadgeBoard", earned)
    result.unearned = loaded_from(page, "UserEarnedBadgeBoard", unearned)
    if not result.rows.loaded:
        result.me = None  # the leaderboard's section says it couldn't be loaded
    return result


def _totals(result: BadgesPage, earned: list) -> tuple[dict, dict]:
    """What the page tells of the learner's totals, by award type id.

    The leaderboard gives the exact total of the award type that ranks it. For the others,
    every badge earned shows the learner reached its threshold: the highest one is a floor.
    """
    exact = {}
    if result.award_type is not None and result.me is not None:
        exact[result.award_type.id] = result.me.total or 0
    floors: dict[str, int] = {}
    for badge in earned:
        kind = badge.award_type.id if badge.award_type else None
        if kind and badge.award_threshold:
            floors[kind] = max(floors.get(kind, 0), badge.award_threshold)
    return exact, floors


def _progress(badge, exact: dict, floors: dict) -> Progress:
    kind = badge.award_type.id if badge.award_type else None
    if kind in exact:
        return Progress(badge, exact[kind])
    if kind in floors:
        return Progress(badge, floors[kind], at_least=True)
    return Progress(badge)


def _rows(leaderboard, limit: int) -> list[Row]:
    """The top `limit` in order; equal totals share a rank whatever the instance sent."""
    me_id = (
        leaderboard.current_user_position.user.id
        if _has_user(leaderboard.current_user_position)
        else None
    )
    rows: list[Row] = []
    for position, leader in enumerate([x for x in leaderboard.leaders or [] if x][:limit], 1):
        total = leader.total or 0
        rank = leader.rank or position
        if rows and rows[-1].total == total:
            rank = rows[-1].rank
            rows[-1].tied = True
            tied = True
        else:
            tied = False
        name = leader.user.name if leader.user and leader.user.name else ""
        is_me = me_id is not None and _has_user(leader) and leader.user.id == me_id
        rows.append(Row(rank=rank, name=name, total=total, is_me=is_me, tied=tied))
    return rows


def _has_user(entry) -> bool:
    return entry is not None and entry.user is not None and bool(entry.user.id)


def badges_page(args: MultiDict, *, board: bool = True) -> dict:
    """The badges page's template context for the leaderboard size in its query string
    (`board=False`: the leaderboard alone, for its HTMX fragment)."""
    return {"view": load_badges(parse_limit(args.get("limit")), board=board), "limits": LIMITS}
