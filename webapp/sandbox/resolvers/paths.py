"""A learning path's page: LearningPathBySlug, with its milestones and their content."""

from __future__ import annotations

import uuid

from ..context import RequestContext
from ..errors import not_found
from . import access, shapes
from .content import learner_content
from .registry import query


@query("LearningPathBySlug")
def learning_path_by_slug(ctx, slug):
    # Documented as usable anonymously: the path's own fields then, no learner's.
    user = ctx.optional_user()
    row = shapes.one(
        ctx.conn,
        "SELECT * FROM content WHERE slug = ? AND kind = 'learningPath'"
        " AND status NOT IN ('deleted', 'draft')",
        (slug,),
    )
    if row is None:
        raise not_found("Learning path", slug)
    return learning_path(ctx, row, user)


def learning_path(ctx: RequestContext, row: dict, user: dict | None) -> dict:
    conn = ctx.conn
    mine = access.enrollment(conn, user, row["id"]) if user else None
    certified = bool(
        user
        and conn.execute(
            "SELECT 1 FROM certificates WHERE user_id = ? AND content_id = ? AND deleted = 0",
            (user["id"], row["id"]),
        ).fetchone()
    )
    # The catalog's view of the item (prices, tags, availability for this learner).
    item = shapes.content(
        row,
        shapes.tags_by_content(conn, [row["id"]])[row["id"]],
        mine,
        user["preferred_currency"] if user else "USD",
    )
    path = {
        "id": row["id"],
        "name": row["title"],
        "slug": row["slug"],
        "kind": row["kind"],
        "resourceType": "learningPath",
        "contentType": item["contentTypeLabel"],
        "status": row["status"],
        "shortDescription": row["description"],
        "longDescription": row["long_description"],
        "asset": row["asset"],
        "heroAsset": row["asset"],
        "detailAsset": row["asset"],
        "authors": item["authors"],
        "tags": item["tags"],
        "customFields": item["customFields"],
        "priceInCents": item["priceInCents"],
        "prices": item["prices"],
        "purchasable": bool(row["price_in_cents"]) and mine is None,
        "availabilityStatus": item["availabilityStatus"],
        "language": item["language"],
        "seatsLimit": row["seats_limit"],
        "createdAt": row["created_at"],
        "updatedAt": row["updated_at"],
        "publishDate": row["publish_date"],
        "enrollmentStartDate": row["enrollment_start_date"],
        "enrollmentEndDate": row["enrollment_end_date"],
        "dueDate": None,  # no fixed due date for everyone: each learner has their own
        "currentUserDueDate": mine["due_date"] if mine else None,
        "currentUserStartActionDate": mine["enrolled_at"] if mine else None,
        "currentUserEarnedCertificate": certified,
        # Completed, but the certificate is not issued (yet).
        "currentUserPendingCertificate": bool(mine and mine["status"] == "completed")
        and not certified,
    }
    path["milestones"] = lambda: _milestones(ctx, path, user)
    return path


def _milestones(ctx: RequestContext, path: dict, user: dict | None) -> list[dict]:
    found = shapes.rows(
        ctx.conn,
        "SELECT m.*, COUNT(p.item_id) AS size FROM milestones m "
        "LEFT JOIN path_items p ON p.milestone_id = m.id "
        "WHERE m.path_id = ? GROUP BY m.id ORDER BY m.position",
        (path["id"],),
    )
    return [_milestone(ctx, path, user, m) for m in found]


def _milestone(ctx: RequestContext, path: dict, user: dict | None, row: dict) -> dict:
    def items() -> list[dict]:
        found = learner_content(
            ctx,
            user,
            "JOIN path_items p ON p.item_id = c.id WHERE p.milestone_id = ? ORDER BY p.position",
            (row["id"],),
        )
        return [{k: v for k, v in i.items() if not k.startswith("_")} for i in found]

    def courses() -> list[dict]:
        return [
            {
                "id": str(uuid.uuid5(uuid.UUID(row["id"]), i["id"])),
                "contentId": i["id"],
                "contentTitle": i["title"],
                "requirement": row["requirement"],
                "contentGrouping": "course",
                "hideCourseDescription": False,
            }
            for i in items()
        ]

    size = row["size"]
    return {
        "id": row["id"],
        "name": row["name"],
        "kind": "content",
        "requirement": row["requirement"],
        "releaseDate": None,  # every milestone opens with the path
        "completionCriteriaDescription": (
            "Complete the item in this milestone."
            if size == 1
            else f"Complete all {size} items in this milestone."
        ),
        "completionCriteria": [],  # a content milestone is complete when its items are
        "contentItems": items,
        "milestoneCourses": courses,
        "learningPath": path,
    }
