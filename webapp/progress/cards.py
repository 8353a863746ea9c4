"""A course card as every page shows one: the item, its progress and its due date."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .standing import COMPLETED, Progress


@dataclass
class CourseCard:
    item: Any  # any typed content item: id, title, kind, url, asset, currentUserDueDate
    progress: Progress | None = None  # None: the learner's progress couldn't be read
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    waitlisted: bool = False  # the learner waits for a seat: nothing to start yet

    @property
    def completed(self) -> bool:
        return self.progress is not None and self.progress.state == COMPLETED

    @property
    def current_user_due_date(self) -> datetime | None:
        return getattr(self.item, "current_user_due_date", None)

    @property
    def is_overdue(self) -> bool:
        due = self.current_user_due_date
        return bool(due and due < self.now and not self.completed)
