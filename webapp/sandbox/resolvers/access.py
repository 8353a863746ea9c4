"""What a learner holds: the content they are enrolled in, see through their license, archived.

One answer for the progress queries and the archive mutations, the same one UserContentItems
gives (content.visible_items): enrolled, or in the active license's catalog, and not deleted.
"""

from __future__ import annotations

import sqlite3

from ..errors import NOT_FOUND, SandboxError, bad_input, not_found
from . import shapes

PATH = "learningPath"


def content_row(conn: sqlite3.Connection, content_id: str, what: str) -> dict:
    """The content item with this id, or NOT_FOUND naming `what` was looked for."""
    row = shapes.one(
        conn,
        "SELECT * FROM content WHERE id = ? AND status NOT IN ('deleted', 'draft')",
        (content_id,),
    )
    if row is None:
        raise not_found(what, content_id)
    return row


def enrollment(conn: sqlite3.Connection, user: dict, content_id: str) -> dict | None:
    return shapes.one(
        conn,
        "SELECT * FROM enrollments WHERE user_id = ? AND content_id = ?",
        (user["id"], content_id),
    )


def in_catalog(conn: sqlite3.Connection, user: dict, content_id: str) -> bool:
    """Whether the learner's active license offers the item."""
    return bool(
        conn.execute(
            "SELECT 1 FROM license_content WHERE license_id = ? AND content_id = ?",
            (user["active_license_id"], content_id),
        ).fetchone()
    )


def archive(conn: sqlite3.Connection, user: dict, content_id: str) -> dict | None:
    return shapes.one(
        conn,
        "SELECT * FROM archives WHERE user_id = ? AND content_id = ?",
        (user["id"], content_id),
    )


def holds(conn: sqlite3.Connection, user: dict, content_id: str) -> bool:
    """Enrolled in it or offered it by the active license (archived or not)."""
    return enrollment(conn, user, content_id) is not None or in_catalog(conn, user, content_id)


def require_course(conn: sqlite3.Connection, user: dict, content_id: str) -> dict:
    """A course-like item the learner holds or archived, for the progress queries. A learning
    path has no UserProgress in TI: NOT_FOUND, saying so."""
    row = content_row(conn, content_id, "Course")
    if row["kind"] == PATH:
        raise SandboxError(
            f"“{row['title']}” is a learning path, not a course: learning paths have no course "
            "progress.",
            NOT_FOUND,
        )
    if not holds(conn, user, content_id) and archive(conn, user, content_id) is None:
        raise not_found("Course", content_id)
    return row


def require_kind(row: dict, want_path: bool, verb: str) -> None:
    """BAD_USER_INPUT naming the mutation that fits, when a course goes to a path's mutation
    or the other way round."""
    if row["kind"] == PATH and not want_path:
        raise bad_input(
            f"“{row['title']}” is a learning path, not a course: use {verb}UserLearningPath."
        )
    if want_path and row["kind"] != PATH:
        raise bad_input(f"“{row['title']}” is not a learning path: use {verb}UserCourse.")
