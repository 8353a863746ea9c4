"""How far the learner is in each item, and what to do next, for every page that shows cards."""

from .plan import Book, Entry, ItemList, Memo, load_with_progress, top_up
from .standing import COMPLETED, IN_PROGRESS, NOT_STARTED, STATES, Progress, Standing

__all__ = [
    "COMPLETED",
    "IN_PROGRESS",
    "NOT_STARTED",
    "STATES",
    "Book",
    "Entry",
    "ItemList",
    "Memo",
    "Progress",
    "Standing",
    "load_with_progress",
    "top_up",
]
