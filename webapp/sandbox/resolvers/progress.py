"""A learner's progress in one course: UserCourseProgress and UserCourseCompletionProgress."""

from __future__ import annotations

from ..progress import criteria
from . import access
from .registry import query


@query("UserCourseProgress")
def user_course_progress(ctx, id):
    user = ctx.require_user()
    access.require_course(ctx.conn, user, id)
    # Not enrolled (the license offers it): nothing done yet, and nothing stored.
    found = access.enrollment(ctx.conn, user, id) or {}
    return {
        "percentComplete": found.get("percent_complete", 0),
        "totalTime": found.get("total_time", 0),
        "totalViews": found.get("total_views", 0),
    }


@query("UserCourseCompletionProgress")
def user_course_completion_progress(ctx, id):
    user = ctx.require_user()
    access.require_course(ctx.conn, user, id)
    return criteria(ctx.conn, user["id"], id)
