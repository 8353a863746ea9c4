"""Leaving a waitlist: the mutation, what became of it, and what to tell the learner."""

from __future__ import annotations

from dataclasses import replace

from flask_babel import gettext as _

from .. import outcomes
from ..auth import learner_token
from ..gql import Call, PageData, instance
from ..outcomes import BUSY, DONE, LOST, NOT_FOUND, REFUSED, UNAVAILABLE, Message, Outcome
from ..security import plausible_id

# TI content ids are UUIDs. Any plausible id (security.TI_ID: letters, digits, "-", "_", which also
# make a safe HTML id and CSS selector for the row) is asked about; anything else is refused.

NOT_ON_LIST = "not-on-list"  # REFUSED: UnenrollFromWaitlist returned false
GONE_ALREADY = "gone-already"  # REFUSED: ... and a re-read shows the learner isn't on it anyway

# HTTP status of the answer where it differs from the kind's (outcomes.STATUS).
STATUS = {(REFUSED, NOT_ON_LIST): 409, (REFUSED, GONE_ALREADY): 200}


def leave_waitlist(content_id: str) -> Outcome:
    """UnenrollFromWaitlist, once; AuthRequired goes on to the app's handler."""
    if not plausible_id(content_id):
        return Outcome(NOT_FOUND)
    outcome = outcomes.send(Call("UnenrollFromWaitlist", {"id": content_id}))
    if outcome.done and not outcome.value:
        return Outcome(REFUSED, code=NOT_ON_LIST)
    return outcome


def needs_reread(outcome: Outcome) -> bool:
    """A lost answer or a `false` may hide a removal done (here or in another tab)."""
    return outcome.kind == LOST or outcome.code == NOT_ON_LIST


def still_listed(page: PageData, content_id: str) -> bool | None:
    """Whether the waitlist read after leaving still holds the course; None when the instance
    couldn't say. A dated copy can't say either: it was read before the mutation (which drops
    the learner's cached waitlist, operations.CHANGES, so a fresh read is what is expected)."""
    if not page.ok("UserWaitlist") or "UserWaitlist" in page.dated:
        return None
    return any(item.id == content_id for item in page["UserWaitlist"] if item)


def reread(content_id: str) -> bool | None:
    """still_listed, from a read of the waitlist alone (a plain form's redirect needs no chrome)."""
    return still_listed(instance().fetch(Call("UserWaitlist"), token=learner_token()), content_id)


def reconcile(outcome: Outcome, listed: bool | None) -> Outcome:
    """What the re-read says happened. `listed` is None when the waitlist could not be re-read."""
    if outcome.code == NOT_ON_LIST and listed is False:
        return replace(outcome, code=GONE_ALREADY)
    return outcomes.reconcile(outcome, lambda: None if listed is None else not listed)


def message(outcome: Outcome, title: str | None) -> Message:
    """What the learner is told, in their language."""

    def left(_o):
        if title:
            return _("You left the waitlist for %(title)s.", title=title)
        return _("You left the waitlist.")

    return outcomes.word(outcome, _wording(left), {(REFUSED, GONE_ALREADY): "info"})


def _wording(left) -> outcomes.Wording:
    return {
        DONE: left,
        (REFUSED, GONE_ALREADY): lambda o: _("You were no longer on this waitlist."),
        (REFUSED, NOT_ON_LIST): lambda o: _(
            "The learning platform didn't take you off this waitlist. Try again, or ask your "
            "administrator."
        ),
        NOT_FOUND: lambda o: _(
            "The learning platform doesn't know this course, so there is no waitlist to leave."
        ),
        BUSY: lambda o: _(
            "The learning platform is busy right now, so you are still on this waitlist. "
            "Try again in %(seconds)d seconds.",
            seconds=o.retry_after,
        ),
        UNAVAILABLE: lambda o: _(
            "We couldn't reach the learning platform, so you are still on this waitlist. "
            "Try again in a moment."
        ),
        LOST: lambda o: _(
            "We couldn't reach the learning platform, so we can't tell whether you left this "
            "waitlist. Reload the page to check before trying again."
        ),
    }
