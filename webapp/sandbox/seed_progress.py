"""The demo's completion criteria, learning-path milestones and how far each learner got.

seed.py calls these with its own id function, so every id stays stable across resets. Which
criteria an item has follows its kind: an article is read, a video watched, a webinar or event
attended, a course's topics viewed and its assessment passed...
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable

from .progress import PERCENT_CRITERIA

Uid = Callable[[str, str], str]


def _digest(slug: str) -> int:
    return int.from_bytes(hashlib.sha256(slug.encode()).digest()[:4], "big")


def criteria_for(
    slug: str, kind: str, tags: list[str], meeting_days: int | None, uid: Uid
) -> list[tuple[str, list[str] | None]]:
    """(CourseCompletionCriteriaType, required ids or None) for one item, 1 to 3 of them.

    `meeting_days` is how many days a scheduled item meets (None: it is self-paced).
    """

    def ids(what: str, count: int) -> list[str]:
        return [uid(what, f"{slug}:{n}") for n in range(1, count + 1)]

    if kind == "article":
        return [("articlePercentViewed", None)]
    if kind == "video":
        return [("videoPercentViewed", None)]
    if kind in ("webinar", "inPersonEvent"):
        return [("courseMeetingAttended", ids("meeting", meeting_days or 1))]
    if kind == "microCourse":
        return [("coursePercentViewed", None), ("courseTopicViewed", ids("topic", 3))]
    if meeting_days:  # a live cohort: its sessions and the projects between them
        return [("courseMeetingAttended", ids("meeting", 6)),
                ("courseAssignmentComplete", ids("assignment", 2))]  # fmt: skip
    if "Compliance" in tags:  # compliance training ships as a SCORM package with a quiz
        return [("scormComplete", ids("scorm", 1)), ("courseAssessmentPassed", ids("quiz", 1))]
    digest = _digest(slug)
    topics = ids("topic", 4 + digest % 5)
    return [
        [("coursePercentViewed", None), ("courseAssessmentPassed", ids("assessment", 1))],
        [("courseTopicViewed", topics), ("courseAssessmentPassed", ids("assessment", 1))],
        [("coursePercentViewed", None), ("courseTopicViewed", topics),
         ("courseAssignmentComplete", ids("assignment", 1 + digest % 2))],
    ][digest % 3]  # fmt: skip


def criteria_rows(content: list[tuple], schedule: dict, content_id: Callable, uid: Uid) -> list:
    """completion_criteria rows for every course-like item of the catalog (paths have none)."""
    rows = []
    for slug, kind, *_rest, tag_list, _authors in content:
        if kind == "learningPath":
            continue
        dated = schedule.get(slug)
        days = dated[2] - dated[0] + 1 if dated else None
        tags = [t.strip() for t in tag_list.split(",")]
        for position, (kind_, required) in enumerate(criteria_for(slug, kind, tags, days, uid), 1):
            rows.append((
                uid("criterion", f"{slug}:{position}"), content_id(slug), position, kind_,
                None if required is None else json.dumps(required),
            ))  # fmt: skip
    return rows


def done_share(required: list[str], status: str, percent: int) -> list[str]:
    """What of a criterion's required ids a learner has done: all once the item is completed,
    none before it is started, and in between a share that stays short of all of it."""
    if status == "completed":
        return list(required)
    if status == "notStarted":
        return []
    return required[: math.floor(len(required) * percent / 100)]


def criterion_progress_rows(criteria: list[tuple], enrollments: list[dict]) -> list[tuple]:
    """criterion_progress rows for the enrollments (dicts with user, content, status, percent)."""
    by_content: dict[str, list[tuple]] = {}
    for criterion_id, content, _position, kind, required in criteria:
        if kind not in PERCENT_CRITERIA:
            by_content.setdefault(content, []).append((criterion_id, json.loads(required)))
    rows = []
    for enrollment in enrollments:
        for criterion_id, required in by_content.get(enrollment["content"], []):
            done = done_share(required, enrollment["status"], enrollment["percent"])
            if done:
                rows.append((enrollment["user"], criterion_id, json.dumps(done)))
    return rows


def milestone_rows(milestones: dict, content_id: Callable, uid: Uid) -> tuple[list, list]:
    """(milestones rows, path_items rows) for every path, in order."""
    found, items = [], []
    for path, stages in milestones.items():
        position = 0
        for order, (name, members) in enumerate(stages, 1):
            milestone = uid("milestone", f"{path}:{order}")
            found.append((milestone, content_id(path), order, name, "required"))
            for member in members:
                position += 1
                items.append((content_id(path), content_id(member), position, milestone))
    return found, items
