"""How far the learner is in one item: a state (in progress / not started / completed) and,
where the instance says, a percentage.

The learner's status per course (CurrentUser.purchasedCourses) and per path
(allocatedLearningPaths) already settles two of the three states: "completed" is 100% and
"notStarted" 0%, and an item in neither list was never started (TI records a course or path
for the learner when they begin it). Only what lies in between needs UserCourseProgress, whose
every call costs 5 extra points.
"""

from __future__ import annotations

from dataclasses import dataclass

IN_PROGRESS = "inProgress"
NOT_STARTED = "notStarted"
COMPLETED = "completed"
# The order My learning groups items in: what to continue, what to start, what is done.
STATES = (IN_PROGRESS, NOT_STARTED, COMPLETED)

# Kinds UserCourseProgress doesn't answer for: a path's progress is its courses' (its page
# shows them); on a card it is the path's status alone.
UNTRACKED_KINDS = frozenset({"learningPath"})

# TI's statuses that settle the state without asking for a percentage.
_SETTLED = {"completed": COMPLETED, "notStarted": NOT_STARTED}


@dataclass(frozen=True)
class Progress:
    """One item's progress as a card shows it."""

    state: str
    percent: int | None = None  # None: in progress, and the instance's number is missing

    @property
    def action(self) -> str:
        """The card's one primary action: resume, start or review."""
        return {IN_PROGRESS: "resume", NOT_STARTED: "start", COMPLETED: "review"}[self.state]

    @classmethod
    def from_percent(cls, percent: int) -> Progress:
        percent = max(0, min(100, int(percent)))
        if percent >= 100:
            return cls(COMPLETED, 100)
        return cls(IN_PROGRESS if percent > 0 else NOT_STARTED, percent)


def settled_progress(status: str | None) -> Progress | None:
    """The progress a status alone tells (None: only a percentage from the instance can)."""
    state = NOT_STARTED if status is None else _SETTLED.get(status)
    if state is None:
        return None
    return Progress(state, 100 if state == COMPLETED else 0)


class Standing:
    """The learner's status per course and path, from CurrentUserForLearning."""

    def __init__(self, user):
        self.known = user is not None
        self.statuses: dict[str, str] = {}
        self.waitlisted: set[str] = set()  # courses the learner waits for a seat in
        if user is None:
            return
        self.waitlisted = {w.course_id for w in user.waitlisted_courses or [] if w}
        for course in user.purchased_courses or []:
            if course and course.course_id:
                self.statuses[course.course_id] = course.status
        for path in user.allocated_learning_paths or []:
            if path and path.learning_path_id and path.status:
                self.statuses[path.learning_path_id] = path.status

    def status(self, item_id: str) -> str | None:
        return self.statuses.get(item_id)
