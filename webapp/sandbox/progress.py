"""How far a learner is: a course's progress and completion criteria, a path's from its items.

Shared by the seed and the resolvers so that both follow one rule. A course-like item's
enrollment stores its percent, time and views (store.DDL's checks tie them to its status); a
learning path stores what its items add up to, recomputed here whenever an enrollment that
could change it is written.
"""

from __future__ import annotations

import json
import math
import sqlite3

# Criteria measured as a share of the content viewed: no list of required ids, and their
# percent is the enrollment's percentComplete.
PERCENT_CRITERIA = frozenset({"coursePercentViewed", "videoPercentViewed", "articlePercentViewed"})


def path_progress(items: list[dict | None]) -> dict:
    """A path's enrollment from its items' (None: an item the learner is not enrolled in).

    Completed when every item is, started when any item is started or completed, else not
    started; the percent is the items' average, kept within 1-99 while started so that it
    never contradicts the status.
    """
    done = [i for i in items if i]
    if items and len(done) == len(items) and all(i["status"] == "completed" for i in done):
        status = "completed"
    elif any(i["status"] in ("started", "completed") for i in done):
        status = "started"
    else:
        status = "notStarted"
    if status == "notStarted":
        return {"status": status, "percent": 0, "time": 0, "views": 0, "completed_at": None}
    average = sum(i["percent_complete"] for i in done) / len(items)
    completed = status == "completed"
    return {
        "status": status,
        "percent": 100 if completed else min(99, max(1, math.floor(average))),
        "time": sum(i["total_time"] for i in done),
        "views": sum(i["total_views"] for i in done),
        "completed_at": max(i["completed_at"] or "" for i in done) or None if completed else None,
    }


def refresh_path_statuses(conn: sqlite3.Connection, user_id: str | None = None) -> None:
    """Recompute the learner's (or everyone's) learning-path enrollments from their items."""
    paths = conn.execute(
        "SELECT e.user_id, e.content_id, e.completed_at FROM enrollments e "
        "JOIN content c ON c.id = e.content_id WHERE c.kind = 'learningPath'"
        + (" AND e.user_id = ?" if user_id else ""),
        (user_id,) if user_id else (),
    ).fetchall()
    for path in paths:
        items = conn.execute(
            "SELECT e.status, e.percent_complete, e.total_time, e.total_views, e.completed_at "
            "FROM path_items p LEFT JOIN enrollments e "
            "  ON e.content_id = p.item_id AND e.user_id = ? "
            "WHERE p.path_id = ? ORDER BY p.position",
            (path["user_id"], path["content_id"]),
        ).fetchall()
        found = path_progress([dict(i) if i["status"] else None for i in items])
        completed_at = None
        if found["status"] == "completed":
            # A completion date already recorded (the seed's, an earlier refresh's) stands.
            completed_at = path["completed_at"] or found["completed_at"]
        conn.execute(
            "UPDATE enrollments SET status = ?, percent_complete = ?, total_time = ?,"
            " total_views = ?, completed_at = ? WHERE user_id = ? AND content_id = ?",
            (
                found["status"],
                found["percent"],
                found["time"],
                found["views"],
                completed_at,
                path["user_id"],
                path["content_id"],
            ),
        )


def criteria(conn: sqlite3.Connection, user_id: str, content_id: str) -> list[dict]:
    """The item's completion criteria as CourseCompletionCriteriaProgress, for this learner.

    A percentage criterion has no required ids (null) and the course's percentComplete; the
    others list what they require, what the learner has done of it, and that share.
    """
    enrollment = conn.execute(
        "SELECT percent_complete FROM enrollments WHERE user_id = ? AND content_id = ?",
        (user_id, content_id),
    ).fetchone()
    percent_complete = enrollment["percent_complete"] if enrollment else 0
    found = conn.execute(
        "SELECT c.type, c.required, p.completed FROM completion_criteria c "
        "LEFT JOIN criterion_progress p ON p.criterion_id = c.id AND p.user_id = ? "
        "WHERE c.content_id = ? ORDER BY c.position",
        (user_id, content_id),
    ).fetchall()
    shaped = []
    for row in found:
        if row["type"] in PERCENT_CRITERIA:
            shaped.append(
                {"type": row["type"], "required": None, "completed": None,
                 "percent": percent_complete}
            )  # fmt: skip
            continue
        required = json.loads(row["required"] or "[]")
        done = set(json.loads(row["completed"] or "[]"))
        completed = [i for i in required if i in done]  # in the order they are required
        percent = math.floor(100 * len(completed) / len(required)) if required else 0
        shaped.append(
            {"type": row["type"], "required": required, "completed": completed, "percent": percent}
        )
    return shaped
