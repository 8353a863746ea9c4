"""What each certificate on the transcript brought of an award type, in the page's one request.

A transcript's award column (TI's `awardLabel` field: "CPE Credits") holds the amount each
certificate's course or path awarded the learner. UserCourseAwardCounts takes one course and
LearningPathCurrentUserAwardTotals one path, while the transcript learns which certificates it
lists only from its own answer. So, as cards do with progress (webapp/progress), the page asks
for what the learner's last transcript listed (kept in the server-side session) in its own
request, and tops up once for anything new; the next view is exact again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import session
from flask_babel import format_decimal

from ..auth import learner_token
from ..gql import Call, PageData, instance
from ..security import plausible_id

MEMO_KEY = "transcript_awards"
MEMO_LIMIT = 200  # certificates remembered: a transcript longer than this tops up its rest


@dataclass(frozen=True)
class Resource:
    """The course or learning path a certificate was for."""

    kind: str  # "course" or "path"
    id: str
    slug: str | None = None  # a path is asked for by its slug

    @property
    def call(self) -> Call:
        key = f"awards:{self.id}"
        if self.kind == "path":
            return Call(
                "LearningPathCurrentUserAwardTotalsForTranscript", {"slug": self.slug}, key=key
            )
        return Call("UserCourseAwardCounts", {"courseId": self.id}, key=key)


def resource_of(cert) -> Resource | None:
    """What a certificate's awards are asked by; None for external ones (nothing to ask)."""
    if cert.is_external or not plausible_id(cert.resource_id):
        return None
    if cert.resource_type == "learningPath":
        slug = cert.resource.slug if cert.resource is not None else None
        return Resource("path", cert.resource_id, slug) if plausible_id(slug) else None
    return Resource("course", cert.resource_id)


@dataclass
class Awards:
    answers: dict[str, Any] = field(default_factory=dict)  # resource id -> the answer

    def read(self, page: PageData, resources: list[Resource]) -> None:
        for resource in resources:
            key = resource.call.result_key
            if page.ok(key):
                self.answers[resource.id] = page[key]

    def amount(self, resource: Resource | None, column) -> str:
        """The amount of the column's award type, written out; "" when it can't be known."""
        if resource is None or resource.id not in self.answers:
            return ""
        answer = [a for a in self.answers[resource.id] or [] if a is not None]
        if resource.kind == "path":
            # The path's own award: its courses' awards are on their own certificates' rows.
            total = sum(
                a.total or 0
                for a in answer
                if a.resource_id == resource.id
                and a.award_type is not None
                and a.award_type.id == column.award_type_id
            )
        else:
            total = sum(
                a.count or 0
                for a in answer
                if (column.award_type_id and a.id == column.award_type_id)
                or (a.label and a.label in column.award_names)
            )
        return format_decimal(total)


def predicted() -> list[Resource]:
    """What the learner's last transcript listed (whose awards this view asks for at once)."""
    rows = session.get(MEMO_KEY)
    found = []
    for row in rows if isinstance(rows, list) else []:
        if isinstance(row, list) and len(row) == 3 and row[0] in ("course", "path"):
            kind, rid, slug = row
            if plausible_id(rid) and (kind == "course" or plausible_id(slug)):
                found.append(Resource(kind, rid, slug))
    return found


def load_awards(page: PageData, wanted: list[Resource], asked: list[Resource]) -> Awards:
    """The awards of `wanted` from the page's answer (which carried `asked`), topped up with
    one more request for those it didn't; the session remembers `wanted` for next time."""
    awards = Awards()
    asked_ids = {r.id for r in asked}
    awards.read(page, [r for r in wanted if r.id in asked_ids])
    missing = list({r.id: r for r in wanted if r.id not in asked_ids}.values())
    if missing:
        extra = instance().fetch(*[r.call for r in missing], token=learner_token())
        if extra.failure is None:
            awards.read(extra, missing)
    remember(wanted)
    return awards


def remember(resources: list[Resource]) -> None:
    rows = [[r.kind, r.id, r.slug] for r in dict.fromkeys(resources)][:MEMO_LIMIT]
    if session.get(MEMO_KEY) != rows:
        session[MEMO_KEY] = rows
