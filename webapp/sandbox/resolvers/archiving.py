"""Archiving and reinstating: ArchiveUser{Course,LearningPath}, ReinstateUser{Course,...}.

An archive record hides an item from the learner's lists (UserContentItems, UserRecentContent,
UserContentGroups) and shows it in UserArchives and UserArchivedContent. The enrollment stays
as it was, so reinstating brings the item back with its progress.
"""

from __future__ import annotations

import uuid

from ..dates import iso
from ..errors import ALREADY_EXISTS, NOT_FOUND, SandboxError, forbidden, not_found
from ..progress import refresh_path_statuses
from . import access
from .registry import mutation


def _archive(ctx, content_id: str, want_path: bool) -> str:
    user = ctx.require_user()
    conn = ctx.conn
    what = "Learning path" if want_path else "Course"
    row = access.content_row(conn, content_id, what)
    access.require_kind(row, want_path, "Archive")
    if access.archive(conn, user, content_id):
        raise SandboxError(f"“{row['title']}” is already in your archive.", ALREADY_EXISTS)
    if not access.holds(conn, user, content_id):
        raise not_found(what, content_id)
    waiting = conn.execute(
        "SELECT 1 FROM waitlist WHERE user_id = ? AND content_id = ?", (user["id"], content_id)
    ).fetchone()
    conn.execute(
        "INSERT INTO archives (id, user_id, content_id, archived_at, status, reinstatable,"
        " waitlist_active) VALUES (?, ?, ?, ?, 'archived', 1, ?)",
        (str(uuid.uuid4()), user["id"], content_id, iso(ctx.now), 1 if waiting else 0),
    )
    return content_id


def _reinstate(ctx, content_id: str, want_path: bool) -> str:
    user = ctx.require_user()
    conn = ctx.conn
    row = access.content_row(conn, content_id, "Learning path" if want_path else "Course")
    access.require_kind(row, want_path, "Reinstate")
    archived = access.archive(conn, user, content_id)
    if archived is None:
        raise SandboxError(f"“{row['title']}” is not in your archive.", NOT_FOUND)
    if not archived["reinstatable"]:
        raise forbidden(
            f"“{row['title']}” cannot be reinstated: its archive is {archived['status']}, kept "
            "for your records only."
        )
    conn.execute("DELETE FROM archives WHERE id = ?", (archived["id"],))
    if not access.holds(conn, user, content_id):
        # Archived before this instance kept its enrollment (the demo's older archives):
        # reinstating gives the access back, from the start.
        conn.execute(
            "INSERT INTO enrollments (user_id, content_id, status, source, enrolled_at) "
            "VALUES (?, ?, 'notStarted', 'assigned', ?)",
            (user["id"], content_id, iso(ctx.now)),
        )
        refresh_path_statuses(conn, user["id"])  # a path's enrollment follows its items
    return content_id


@mutation("ArchiveUserCourse")
def archive_user_course(ctx, id):
    return _archive(ctx, id, want_path=False)


@mutation("ArchiveUserLearningPath")
def archive_user_learning_path(ctx, id):
    return _archive(ctx, id, want_path=True)


@mutation("ReinstateUserCourse")
def reinstate_user_course(ctx, id):
    return _reinstate(ctx, id, want_path=False)


@mutation("ReinstateUserLearningPath")
def reinstate_user_learning_path(ctx, id):
    return _reinstate(ctx, id, want_path=True)
