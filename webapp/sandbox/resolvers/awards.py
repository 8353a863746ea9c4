"""Awards, badges and the leaderboard."""

from __future__ import annotations

from ..errors import not_found
from . import shapes
from .company import award_type
from .registry import query

LEADERBOARD_DEFAULT = 10
LEADERBOARD_MAX = 100


def _ranking_type(conn) -> dict | None:
    return shapes.one(
        conn, "SELECT * FROM award_types WHERE ranks_leaderboard = 1 AND deleted = 0 LIMIT 1"
    )


@query("BadgeLeaderboard")
def badge_leaderboard(ctx, limit=None):
    conn = ctx.conn
    viewer = ctx.optional_user()
    ranking = _ranking_type(conn)
    if ranking is None:
        return {"awardType": None, "leaders": [], "currentUserPosition": None}
    totals = shapes.rows(
        conn,
        "SELECT u.*, SUM(a.amount) AS total FROM awards a JOIN users u ON u.id = a.user_id "
        "WHERE a.award_type_id = ? AND u.disabled = 0 GROUP BY u.id HAVING total > 0 "
        "ORDER BY total DESC, u.last_name, u.first_name",
        (ranking["id"],),
    )
    # Competition ranking: equal totals share a rank, the next rank skips (1, 2, 2, 4).
    leaders, previous, rank = [], None, 0
    for position, row in enumerate(totals, start=1):
        if row["total"] != previous:
            rank, previous = position, row["total"]
        leaders.append((rank, row))
    wanted = LEADERBOARD_DEFAULT if limit is None else max(0, min(limit, LEADERBOARD_MAX))

    def leader(rank: int, row: dict) -> dict:
        return {"rank": rank, "total": round(row["total"]), "user": shapes.user(ctx, row)}

    position = None
    if viewer is not None:
        mine = next(((r, row) for r, row in leaders if row["id"] == viewer["id"]), None)
        if mine:
            position = leader(*mine)
        else:  # no points yet: ranked after everyone who has some
            position = {"rank": len(leaders) + 1, "total": 0, "user": shapes.user(ctx, viewer)}
    return {
        "awardType": award_type(conn, ranking["id"]),
        "leaders": [leader(r, row) for r, row in leaders[:wanted]],
        "currentUserPosition": position,
    }


def _badge(conn, row: dict) -> dict:
    return {
        "id": row["id"],
        "label": row["label"],
        "asset": row["asset"],
        "awardThreshold": row["award_threshold"],
        "deleted": bool(row["deleted"]),
        "awardType": lambda: award_type(conn, row["award_type_id"]),
    }


@query("UserEarnedBadgeBoard")
def user_earned_badge_board(ctx):
    user = ctx.require_user()
    conn = ctx.conn
    earned = shapes.rows(
        conn,
        "SELECT e.id AS earned_id, b.* FROM earned_badges e JOIN badges b ON b.id = e.badge_id "
        "WHERE e.user_id = ? AND b.deleted = 0 ORDER BY e.earned_at, b.award_threshold",
        (user["id"],),
    )
    unearned = shapes.rows(
        conn,
        "SELECT * FROM badges WHERE deleted = 0 AND id NOT IN "
        "(SELECT badge_id FROM earned_badges WHERE user_id = ?) ORDER BY award_threshold, label",
        (user["id"],),
    )
    return {
        "earnedBadges": [
            {
                "id": [r["earned_id"]],
                "deleted": False,
                "badge": _badge(conn, r),
                "user": lambda: shapes.user(ctx, user),
            }
            for r in earned
        ],
        "unearnedBadges": [_badge(conn, r) for r in unearned],
    }


@query("LearningPathCurrentUserAwardTotals")
def learning_path_current_user_award_totals(ctx, slug):
    conn = ctx.conn
    path = shapes.one(
        conn, "SELECT * FROM content WHERE slug = ? AND kind = 'learningPath'", (slug,)
    )
    if path is None:
        raise not_found("Learning path", slug)
    user = ctx.optional_user()
    if user is None:
        return []  # documented: no learner, no totals
    found = shapes.rows(
        conn,
        "SELECT a.* FROM awards a JOIN award_types t ON t.id = a.award_type_id "
        "LEFT JOIN path_items p ON p.item_id = a.resource_id AND p.path_id = ? "
        "WHERE a.user_id = ? AND t.deleted = 0 AND (a.resource_id = ? OR p.path_id IS NOT NULL) "
        "ORDER BY a.resource_id = ? DESC, p.position, t.label",
        (path["id"], user["id"], path["id"], path["id"]),
    )
    return [
        {
            "resourceId": r["resource_id"],
            "total": r["amount"],
            "awardType": award_type(conn, r["award_type_id"]),
            "resource": shapes.course_ref(conn, r["resource_id"]),
        }
        for r in found
    ]


def _require_course(conn, course_id: str) -> None:
    if not shapes.one(conn, "SELECT id FROM content WHERE id = ?", (course_id,)):
        raise not_found("Course", course_id)


@query("UserCourseAwardCounts")
def user_course_award_counts(ctx, course_id):
    _require_course(ctx.conn, course_id)
    user = ctx.optional_user()
    if user is None:
        return []
    found = shapes.rows(
        ctx.conn,
        "SELECT t.*, a.amount FROM awards a JOIN award_types t ON t.id = a.award_type_id "
        "WHERE a.user_id = ? AND a.resource_id = ? AND t.deleted = 0 ORDER BY t.label",
        (user["id"], course_id),
    )
    return [
        {"id": r["id"], "label": r["label"], "icon": r["icon"], "count": round(r["amount"])}
        for r in found
    ]


@query("UserCourseCollaborations")
def user_course_collaborations(ctx, course_id):
    _require_course(ctx.conn, course_id)
    user = ctx.optional_user()
    if user is None:
        return 0
    row = ctx.conn.execute(
        "SELECT count FROM collaborations WHERE user_id = ? AND content_id = ?",
        (user["id"], course_id),
    ).fetchone()
    return row[0] if row else 0
