"""The item lists a learner's first views show, read once at sign-in so that those views
predict their progress calls right (see plan.py)."""

from __future__ import annotations

from ..gql import Call
from .plan import STANDING_CALL, ItemList


def first_view_lists() -> list[ItemList]:
    """The dashboard's recent items and My learning's unfiltered list."""
    # Imported here: the pages' loaders import this package.
    from ..dashboard.loaders import RECENT
    from ..learning.forms import Filters

    return [RECENT, ItemList(Call("UserContentItems", Filters().variables()))]


def sign_in_calls() -> list[Call]:
    """What signing in reads besides the learner: their statuses and first views' items."""
    return [STANDING_CALL, *(item_list.call for item_list in first_view_lists())]
