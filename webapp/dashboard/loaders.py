"""The dashboard's data: one batch of calls, shaped into what the page shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from ..gql import Call, PageData
from ..pages import load_page

RECENT_LIMIT = 6
LEADERBOARD_LIMIT = 5
# The groups the dashboard shows as tiles, each linking to the list it counts.
TILES = (
    ("contentItems", "learning.index", {}),
    ("completedItems", "learning.index", {"show": "completed"}),
    ("learningPaths", "learning.index", {"kind": "learningPath"}),
    ("certificates", "certificates.index", {}),
    ("waitlistedCourses", "waitlist.index", {}),
    ("archivedContentItems", "archive.index", {}),
)


@dataclass
class Tile:
    kind: str
    count: int
    endpoint: str
    args: dict


@dataclass
class Dashboard:
    page: PageData
    tiles: list[Tile] = field(default_factory=list)
    overdue: list = field(default_factory=list)
    due_this_week: list = field(default_factory=list)
    recent: list = field(default_factory=list)
    earned_badges: int = 0
    next_badge: object | None = None
    position: object | None = None


def completed_ids(user) -> set[str]:
    """Ids of the courses and learning paths the learner has completed (UserContentItems
    does not say; CurrentUser's purchased courses and allocated paths do)."""
    courses = {c.course_id for c in user.purchased_courses or [] if c and c.status == "completed"}
    paths = {
        p.learning_path_id
        for p in user.allocated_learning_paths or []
        if p and p.status == "completed"
    }
    return courses | paths


def load_dashboard(now: datetime | None = None) -> Dashboard:
    now = now or datetime.now(UTC)
    page = load_page(
        Call("UserContentGroups"),
        Call("UserRecentContent", {"limit": RECENT_LIMIT}),
        Call("UserContentItems"),
        Call("UserEarnedBadgeBoard"),
        Call("BadgeLeaderboard", {"limit": LEADERBOARD_LIMIT}),
    )
    board = Dashboard(page=page, recent=page.get("UserRecentContent", []))
    counts = {g.kind: g.count for g in page.get("UserContentGroups", [])}
    board.tiles = [Tile(kind, counts[kind], e, a) for kind, e, a in TILES if kind in counts]
    done = completed_ids(page["CurrentUser"]) if page["CurrentUser"] else set()
    week = now + timedelta(days=7)
    dated = [
        i for i in page.get("UserContentItems", []) if i.current_user_due_date and i.id not in done
    ]
    dated.sort(key=lambda i: i.current_user_due_date)
    board.overdue = [i for i in dated if i.current_user_due_date < now]
    board.due_this_week = [i for i in dated if now <= i.current_user_due_date <= week]
    badges = page["UserEarnedBadgeBoard"]
    if badges:
        board.earned_badges = len([b for b in badges.earned_badges or [] if b])
        unearned = sorted(
            (b for b in badges.unearned_badges or [] if b), key=lambda b: b.award_threshold
        )
        board.next_badge = unearned[0] if unearned else None
    leaderboard = page["BadgeLeaderboard"]
    board.position = leaderboard.current_user_position if leaderboard else None
    return board
