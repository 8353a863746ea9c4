"""Progress for the items a page shows, in the page's one upstream request.

UserCourseProgress takes one id, and a page learns which items it shows only from the answer
to its own request. So the page predicts them: it runs the same choice it will make on the
fresh answer (`choose`) over what the learner's previous views saw, kept in the server-side
session (`Memo`: each item list's ids in order, and the learner's statuses). The progress calls
for the predicted items ride in the page's batch. When the learner's items changed meanwhile
(elsewhere, or right after signing in before anything was seen), the prediction misses some
items and one more request tops them up; the next view predicts right again.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import session

from ..gql import Call, PageData, instance
from .cards import CourseCard
from .standing import (
    IN_PROGRESS,
    UNTRACKED_KINDS,
    Progress,
    Standing,
    settled_progress,
)

MEMO_KEY = "progress_memo"
MEMO_LISTS = 6  # item lists remembered per learner (the most recent ones)
STANDING_CALL = Call("CurrentUserForLearning")


@dataclass(frozen=True)
class Entry:
    """An item as a page's choice needs it: which one, its kind, when it is due."""

    id: str
    kind: str | None = None
    due: str | None = None  # ISO 8601, for ordering only

    @classmethod
    def of(cls, item) -> Entry:
        due = item.current_user_due_date
        return cls(item.id, item.kind, due.isoformat() if due else None)


# A page's choice: from its item lists (by name) and each entry's state, the entries it shows.
Choose = Callable[[dict[str, list[Entry]], Callable[[Entry], str]], list[Entry]]


@dataclass(frozen=True)
class ItemList:
    """A call whose answer holds items, and how to reach them in its typed value."""

    call: Call
    items: Callable[[Any], list] = lambda value: [i for i in value or [] if i is not None]

    @property
    def memo_key(self) -> str:
        # The answer's items don't depend on which fields an operation selects.
        return self.call.op.root_field + json.dumps(self.call.variables, sort_keys=True)


class Memo:
    """What the learner's previous views saw: item lists and statuses (the session keeps it)."""

    def __init__(self, data: dict | None = None):
        data = data if isinstance(data, dict) else {}
        lists, statuses = data.get("lists"), data.get("statuses")
        self.lists: dict[str, list] = lists if isinstance(lists, dict) else {}
        self.statuses: dict[str, str] = statuses if isinstance(statuses, dict) else {}

    @classmethod
    def load(cls) -> Memo:
        return cls(session.get(MEMO_KEY))

    def entries(self, item_list: ItemList) -> list[Entry]:
        rows = self.lists.get(item_list.memo_key) or []
        return [Entry(*row) for row in rows if isinstance(row, list) and len(row) == 3]

    def remember(self, item_list: ItemList, entries: list[Entry]) -> None:
        key = item_list.memo_key
        self.lists.pop(key, None)
        self.lists[key] = [[e.id, e.kind, e.due] for e in entries]
        while len(self.lists) > MEMO_LISTS:
            self.lists.pop(next(iter(self.lists)))

    def save(self) -> None:
        data = {"lists": self.lists, "statuses": self.statuses}
        if session.get(MEMO_KEY) != data:
            session[MEMO_KEY] = data


@dataclass
class Book:
    """Every progress a page knows: statuses, and the percentages the instance gave."""

    standing: Standing
    percents: dict[str, int | None] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)  # asked, and the instance didn't say

    def of(self, item) -> Progress | None:
        """The progress a card shows for `item` (None: unknown, the page says it's missing)."""
        return self.of_entry(Entry(item.id, item.kind))

    def card(self, item, now: datetime, card_type: type[CourseCard] = CourseCard, **extra):
        """A card for `item`: its progress, and whether the learner waits for a seat in it."""
        waitlisted = item.id in self.standing.waitlisted
        return card_type(item, self.of(item), now, waitlisted=waitlisted, **extra)

    def of_entry(self, entry: Entry) -> Progress | None:
        if not self.standing.known:
            return None
        settled = settled_progress(self.standing.status(entry.id))
        if settled is not None:
            return settled
        if entry.kind in UNTRACKED_KINDS:
            return Progress(IN_PROGRESS)  # a path under way: its page tells how far
        percent = self.percents.get(entry.id)
        return Progress.from_percent(percent) if percent is not None else Progress(IN_PROGRESS)

    def state(self, entry: Entry) -> str:
        progress = self.of_entry(entry)
        return progress.state if progress else IN_PROGRESS

    def needs_percent(self, entry: Entry) -> bool:
        return (
            self.standing.known
            and entry.kind not in UNTRACKED_KINDS
            and settled_progress(self.standing.status(entry.id)) is None
            and entry.id not in self.percents
        )

    @property
    def missing(self) -> bool:
        """Some progress could not be read (the page says so)."""
        return not self.standing.known or bool(self.failed)


def progress_calls(ids) -> list[Call]:
    return [Call("UserCourseProgress", {"id": i}, key=f"progress:{i}") for i in ids]


def load_with_progress(
    *calls: Call,
    lists: dict[str, ItemList],
    choose: Choose,
    load: Callable[..., PageData],
) -> tuple[PageData, Book]:
    """The page's calls, the learner's statuses and the progress of the items `choose` picks,
    in one request (two when the prediction missed)."""
    memo = Memo.load()

    def remembered_state(entry: Entry) -> str:
        settled = settled_progress(memo.statuses.get(entry.id))
        return settled.state if settled else IN_PROGRESS

    predicted = choose({name: memo.entries(lst) for name, lst in lists.items()}, remembered_state)
    asked = [
        e.id
        for e in predicted
        if e.kind not in UNTRACKED_KINDS and settled_progress(memo.statuses.get(e.id)) is None
    ]
    page = load(STANDING_CALL, *calls, *progress_calls(dict.fromkeys(asked)))
    book = Book(Standing(page[STANDING_CALL.result_key]))
    _read_percents(page, asked, book)
    fresh = {
        name: [Entry.of(i) for i in lst.items(page[lst.call.result_key])]
        for name, lst in lists.items()
    }
    shown = choose(fresh, book.state)
    top_up(book, [e.id for e in shown if book.needs_percent(e)])
    for name, lst in lists.items():
        if page.ok(lst.call.result_key):
            memo.remember(lst, fresh[name])
    if book.standing.known:
        memo.statuses = dict(book.standing.statuses)
    memo.save()
    return page, book


def remember_answers(page: PageData, lists: list[ItemList]) -> None:
    """Seed the memo from answers read outside a page (at sign-in), so that the first views
    already know which items they will show."""
    memo = Memo.load()
    user = page[STANDING_CALL.result_key]
    if user is not None:
        memo.statuses = dict(Standing(user).statuses)
    for item_list in lists:
        if page.ok(item_list.call.result_key):
            items = item_list.items(page[item_list.call.result_key])
            memo.remember(item_list, [Entry.of(i) for i in items])
    memo.save()


def top_up(book: Book, ids: list[str]) -> None:
    """Ask for the percentages the page's request didn't carry: one more request, if any."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return
    # The learner's token, as pages.load_page reads it (importing auth here would be a cycle).
    page = instance().fetch(*progress_calls(ids), token=session.get("token"))
    if page.failure:
        book.failed.update(ids)
        return
    _read_percents(page, ids, book)


def _read_percents(page: PageData, ids: list[str], book: Book) -> None:
    for item_id in ids:
        answer = page[f"progress:{item_id}"]
        percent = answer.percent_complete if answer is not None else None
        if percent is None:
            book.failed.add(item_id)
            book.percents[item_id] = None
        else:
            book.percents[item_id] = percent
