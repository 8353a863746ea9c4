"""Leaving a waitlist: the mutation, what became of it, and what to tell the learner."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from ..auth import learner_token
from ..gql import Call, OperationFailed, PageData, RateLimited, UpstreamUnavailable, instance
from ..security import plausible_id

# TI content ids are UUIDs. Any plausible id (security.TI_ID: letters, digits, "-", "_", which also
# make a safe HTML id and CSS selector for the row) is asked about; anything else is refused.

LEFT = "left"  # the instance took the learner off the waitlist
NOT_ON_LIST = "not-on-list"  # UnenrollFromWaitlist returned false
UNKNOWN_CONTENT = "unknown"  # no such content (or an id that cannot be one)
UNAVAILABLE = "unavailable"  # no answer: it may or may not have happened
BUSY = "busy"  # rate limited: nothing was sent
REFUSED = "refused"  # the instance answered with another error


@dataclass
class Outcome:
    result: str
    detail: str | None = None  # the instance's own message, for REFUSED
    retry_after: int = 0

    @property
    def left(self) -> bool:
        return self.result == LEFT


def leave_waitlist(content_id: str) -> Outcome:
    """UnenrollFromWaitlist, once; AuthRequired goes on to the app's handler."""
    if not plausible_id(content_id):
        return Outcome(UNKNOWN_CONTENT)
    try:
        left = instance().mutate(
            Call("UnenrollFromWaitlist", {"id": content_id}), token=learner_token()
        )
    except OperationFailed as failed:
        if failed.code == "NOT_FOUND":
            return Outcome(UNKNOWN_CONTENT)
        return Outcome(REFUSED, detail=str(failed))
    except RateLimited as limited:
        return Outcome(BUSY, retry_after=limited.seconds)
    except UpstreamUnavailable:
        return Outcome(UNAVAILABLE)
    return Outcome(LEFT if left else NOT_ON_LIST)


def still_listed(page: PageData, content_id: str) -> bool | None:
    """Whether the waitlist read after leaving still holds the course; None when the instance
    couldn't say. A dated copy can't say either: it was read before the mutation (which drops
    the learner's cached waitlist, operations.CHANGES, so a fresh read is what is expected)."""
    if not page.ok("UserWaitlist") or "UserWaitlist" in page.dated:
        return None
    return any(item.id == content_id for item in page["UserWaitlist"] if item)


def reconcile(outcome: Outcome, still_listed: bool | None) -> Outcome:
    """What the re-read says happened: a lost answer or a `false` may hide a done removal.

    `still_listed` is None when the waitlist could not be re-read.
    """
    if outcome.result in (UNAVAILABLE, NOT_ON_LIST) and still_listed is False:
        return Outcome(LEFT if outcome.result == UNAVAILABLE else NOT_ON_LIST)
    return outcome


def message(outcome: Outcome, title: str | None, *, still_listed: bool | None = None) -> str:
    """What the learner is told, in their language."""
    result = outcome.result
    if result == LEFT:
        if title:
            return _("You left the waitlist for %(title)s.", title=title)
        return _("You left the waitlist.")
    if result == NOT_ON_LIST:
        if still_listed is False:
            return _("You were no longer on this waitlist.")
        return _(
            "The learning platform didn't take you off this waitlist. Try again, or ask your "
            "administrator."
        )
    if result == UNKNOWN_CONTENT:
        return _(
            "The learning platform doesn't know this course, so there is no waitlist to leave."
        )
    if result == BUSY:
        return _(
            "The learning platform is busy right now, so you are still on this waitlist. "
            "Try again in %(seconds)d seconds.",
            seconds=outcome.retry_after,
        )
    if result == UNAVAILABLE:
        if still_listed:
            return _(
                "We couldn't reach the learning platform, so you are still on this waitlist. "
                "Try again in a moment."
            )
        return _(
            "We couldn't reach the learning platform, so we can't tell whether you left this "
            "waitlist. Reload the page to check before trying again."
        )
    return _("The learning platform refused: %(reason)s", reason=outcome.detail or "")
