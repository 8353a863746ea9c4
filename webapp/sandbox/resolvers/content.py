"""The learner's content: their items, recent views, groups, waitlist, archive, balance."""

from __future__ import annotations

from ..context import RequestContext
from ..dates import iso
from ..errors import ALREADY_EXISTS, INSUFFICIENT_BALANCE, SandboxError, bad_input, not_found
from ..search import matches, parse_query, relevance
from . import shapes
from .certificates import user_certificates
from .registry import mutation, query

RECENT_MAX = 25
RECENT_DEFAULT = 10
EVENT_KINDS = {"webinar", "inPersonEvent", "webinarCourse", "inPersonEventCourse"}
SORT_KEYS = {
    "title": "title",
    "name": "title",
    "label": "title",
    "parentName": "title",
    "createdAt": "createdAt",
    "updatedAt": "updatedAt",
    "publishDate": "publishDate",
    "displayDate": "displayDate",
    "courseStartDate": "courseStartDate",
    "lastActiveAt": "_lastViewedAt",
}


# Content joined to one learner's enrollment; a query appends its joins, filters and order.
_LEARNER_CONTENT = (
    "SELECT c.*, e.status AS e_status, e.due_date, e.completed_at, e.last_viewed_at, "
    "       e.enrolled_at, e.user_id AS e_user "
    "FROM content c LEFT JOIN enrollments e ON e.content_id = c.id AND e.user_id = ? "
)


def learner_content(ctx: RequestContext, user: dict | None, tail: str, params: tuple) -> list[dict]:
    """Content items as the learner sees them (their due date, their price), in the order of
    `tail` (SQL after the FROM clause). Anonymous callers see no enrollment. Each item carries
    `_status` and `_lastViewedAt` for filtering."""
    found = shapes.rows(ctx.conn, _LEARNER_CONTENT + tail, (user and user["id"], *params))
    tags = shapes.tags_by_content(ctx.conn, [r["id"] for r in found])
    currency = user["preferred_currency"] if user else "USD"
    items = []
    for r in found:
        enrollment = r if r["e_user"] else None
        item = shapes.content(r, tags[r["id"]], enrollment, currency)
        item["_status"] = r["e_status"]
        item["_lastViewedAt"] = r["last_viewed_at"]
        items.append(item)
    return items


def visible_items(ctx: RequestContext, user: dict) -> list[dict]:
    """Everything the learner may open: their enrollments plus their active license's catalog,
    less what they archived."""
    return learner_content(
        ctx,
        user,
        "WHERE (e.user_id IS NOT NULL OR c.id IN "
        "       (SELECT content_id FROM license_content WHERE license_id = ?)) "
        "  AND c.id NOT IN (SELECT content_id FROM archives WHERE user_id = ?) "
        "  AND c.status NOT IN ('deleted', 'draft') "
        "ORDER BY c.created_at DESC, c.title",
        (user["active_license_id"], user["id"]),
    )


def _sorted(items: list[dict], column: str | None, direction: str | None, terms) -> list[dict]:
    if column == "relevance" or (column is None and any(t.field is None for t in terms)):
        ranked = sorted(items, key=lambda i: (i["title"] or "").casefold())
        # Most relevant first unless the caller asks for ascending relevance.
        return sorted(ranked, key=lambda i: relevance(terms, i), reverse=direction != "asc")
    key = SORT_KEYS.get(column or "")
    if key is None:
        return items  # the instance's default order: newest first
    present = [i for i in items if i.get(key) is not None]
    absent = [i for i in items if i.get(key) is None]

    def sort_value(item):
        value = item[key]
        return value.casefold() if key == "title" else value

    return sorted(present, key=sort_value, reverse=direction == "desc") + absent  # nulls last


@query("UserContentItems")
def user_content_items(
    ctx, query=None, kind=None, sort_column=None, sort_direction=None, sortdeprecated=None
):
    user = ctx.require_user()
    terms = parse_query(query)
    items = [i for i in visible_items(ctx, user) if matches(terms, i)]
    if kind:
        items = [i for i in items if i["kind"] in set(kind)]
    return _sorted(items, sort_column, sort_direction, terms)


@query("UserRecentContent")
def user_recent_content(ctx, limit=None):
    user = ctx.require_user()
    wanted = RECENT_DEFAULT if limit is None else max(0, min(limit, RECENT_MAX))
    viewed = [i for i in visible_items(ctx, user) if i["_lastViewedAt"]]
    viewed.sort(key=lambda i: i["_lastViewedAt"], reverse=True)
    return viewed[:wanted]


@query("UserContentGroups")
def user_content_groups(ctx, query=None, include_expired_certificates=None):
    user = ctx.require_user()
    terms = parse_query(query)
    items = [i for i in visible_items(ctx, user) if matches(terms, i)]
    certificates = user_certificates(
        ctx, query=query, include_expired_certificates=include_expired_certificates
    )
    counts = {
        "contentItems": len(items),
        "completedItems": sum(i["_status"] == "completed" for i in items),
        "learningPaths": sum(i["kind"] == "learningPath" for i in items),
        "eventItems": sum(i["kind"] in EVENT_KINDS for i in items),
        "credlyBadgeCourses": sum(bool(i["badgeUrl"]) for i in items),
        "certificates": len(certificates),
        "waitlistedCourses": len(user_waitlist(ctx)),
        "archivedContentItems": len(user_archives(ctx)),
        "bookmarkFolders": ctx.conn.execute(
            "SELECT COUNT(*) FROM bookmark_folders WHERE user_id = ?", (user["id"],)
        ).fetchone()[0],
    }
    return [{"kind": kind, "count": count} for kind, count in counts.items()]


def _content_by_ids(ctx: RequestContext, sql: str, params: tuple, user: dict) -> list[dict]:
    found = shapes.rows(ctx.conn, sql, params)
    tags = shapes.tags_by_content(ctx.conn, [r["id"] for r in found])
    return [shapes.content(r, tags[r["id"]], None, user["preferred_currency"]) for r in found]


@query("UserWaitlist")
def user_waitlist(ctx):
    user = ctx.optional_user()
    if user is None:
        return []  # documented: anonymous callers get an empty list
    return _content_by_ids(
        ctx,
        "SELECT c.* FROM waitlist w JOIN content c ON c.id = w.content_id "
        "WHERE w.user_id = ? ORDER BY c.course_start_date IS NULL, c.course_start_date, c.title",
        (user["id"],),
        user,
    )


@mutation("UnenrollFromWaitlist")
def unenroll_from_waitlist(ctx, id):
    user = ctx.require_user()
    if not shapes.one(ctx.conn, "SELECT id FROM content WHERE id = ?", (id,)):
        raise not_found("Content", id)
    removed = ctx.conn.execute(
        "DELETE FROM waitlist WHERE user_id = ? AND content_id = ?", (user["id"], id)
    ).rowcount
    if removed:
        ctx.conn.execute(
            "UPDATE content SET waitlist_count = MAX(0, waitlist_count - 1) WHERE id = ?", (id,)
        )
    return bool(removed)


@query("UserArchives")
def user_archives(ctx):
    user = ctx.require_user()
    found = shapes.rows(
        ctx.conn,
        "SELECT a.*, c.title, c.kind FROM archives a JOIN content c ON c.id = a.content_id "
        "WHERE a.user_id = ? ORDER BY a.archived_at DESC",
        (user["id"],),
    )
    return [
        {
            "id": r["id"],
            "name": r["title"],
            "resourceType": shapes.KIND_LABELS.get(r["kind"], r["kind"]),
            "status": r["status"],
            "archivedAt": r["archived_at"],
            "reinstatable": bool(r["reinstatable"]),
            "waitlistActive": bool(r["waitlist_active"]),
            "user": r["user_id"],
            "resource": r["content_id"],
        }
        for r in found
    ]


@query("UserArchivedContent")
def user_archived_content(ctx):
    user = ctx.require_user()
    return _content_by_ids(
        ctx,
        "SELECT c.* FROM archives a JOIN content c ON c.id = a.content_id "
        "WHERE a.user_id = ? ORDER BY a.archived_at DESC",
        (user["id"],),
        user,
    )


@mutation("RedeemBalance")
def redeem_balance(ctx, content_type, content_id):
    user = ctx.require_user()
    if content_type != "courses":
        raise bad_input("Only courses can be redeemed with a balance.")
    row = shapes.one(ctx.conn, "SELECT * FROM content WHERE id = ?", (content_id,))
    if row is None:
        raise not_found("Content", content_id)
    if row["kind"] not in shapes.COURSE_KINDS:
        raise bad_input(f"“{row['title']}” is not a course.")
    if not row["price_in_cents"]:
        raise bad_input(f"“{row['title']}” is free; there is nothing to redeem.")
    owned = ctx.conn.execute(
        "SELECT 1 FROM enrollments WHERE user_id = ? AND content_id = ?", (user["id"], content_id)
    ).fetchone()
    if owned:
        raise SandboxError(f"You already have access to “{row['title']}”.", ALREADY_EXISTS)
    price = row["price_in_cents"] / 100
    if user["balance"] + 1e-9 < price:
        raise SandboxError(
            f"Your balance of {user['balance']:.2f} does not cover the price of {price:.2f}.",
            INSUFFICIENT_BALANCE,
            balance=user["balance"],
            price=price,
        )
    now = iso(ctx.now)
    ctx.conn.execute(
        "UPDATE users SET balance = ROUND(balance - ?, 2), updated_at = ? WHERE id = ?",
        (price, now, user["id"]),
    )
    ctx.conn.execute(
        "INSERT INTO enrollments (user_id, content_id, status, source, enrolled_at) "
        "VALUES (?, ?, 'notStarted', 'balance', ?)",
        (user["id"], content_id, now),
    )
    ctx.forget_user()
    return row["url"] if row["kind"] in ("article", "video") else "/dashboard"
