"""A part of a page as its template sees it: what it shows, and whether it could be loaded.

Templates never name the instance's operations: a loader turns the page's PageData into
Sections, and the `section` macro (templates/_macros/states.html) shows each in one of three
states: loaded with something to show, loaded with nothing (the empty state), or not loaded
(the "couldn't be loaded" notice).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .gql import PageData

T = TypeVar("T")
_FROM_PAGE: Any = object()  # `loaded_from`'s default: the operation's own value


@dataclass(frozen=True)
class Section(Generic[T]):
    """`items` to show (a list, a count, a record), and whether the page could load them."""

    items: T
    loaded: bool

    @property
    def empty(self) -> bool:
        """Loaded, with nothing to show: the page says so rather than that it failed."""
        return self.loaded and not self.items


def loaded_from(page: PageData, key: str, items: Any = _FROM_PAGE) -> Section:
    """The section call `key` feeds: loaded when the call answered without error; its items
    are `items` (shaped from the answer by the loader), else the answer itself."""
    return Section(page[key] if items is _FROM_PAGE else items, page.ok(key))
