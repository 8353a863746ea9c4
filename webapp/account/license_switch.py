"""Switching the active license: the mutation, what became of it, and what to tell the learner."""

from __future__ import annotations

from flask_babel import gettext as _

from .. import outcomes
from ..auth import learner_token
from ..gql import Call, instance
from ..i18n import t
from ..outcomes import BUSY, DONE, LOST, NOT_FOUND, REFUSED, UNAVAILABLE, Message, Outcome


def switch_license(license_id: str) -> Outcome:
    """SelectCurrentUserActiveLicense, once; a lost answer is settled by reading the learner's
    active license again before anything is said. AuthRequired goes on to sign-in."""
    outcome = outcomes.send(
        Call("SelectCurrentUserActiveLicense", {"licenseId": license_id}), token=learner_token()
    )

    def happened() -> bool | None:
        active = active_license_id()
        return None if active is None else active == license_id

    return outcomes.reconcile(outcome, happened)


def active_license_id() -> str | None:
    """The learner's active license as the instance has it now ("" for none), or None when it
    can't say. The mutation dropped the learner's cached answers (operations.CHANGES), so this
    is a fresh read, never the license the page showed before."""
    page = instance().fetch(Call("CurrentUser"), token=learner_token())
    if not page.ok("CurrentUser") or "CurrentUser" in page.dated:
        return None
    active = page["CurrentUser"].active_license
    return (active.id if active else None) or ""


def message(outcome: Outcome) -> Message:
    """What the learner is told, in their language."""

    def not_theirs(_o):
        return _("That license isn't one of yours, so your active license didn't change.")

    wording: outcomes.Wording = {
        DONE: lambda o: t("license.switched", "Your active license has changed."),
        # FORBIDDEN or NOT_FOUND: not one of the learner's licenses.
        NOT_FOUND: not_theirs,
        (REFUSED, "FORBIDDEN"): not_theirs,
        REFUSED: lambda o: _("Your active license didn't change: %(reason)s", reason=o.reason),
        BUSY: lambda o: _(
            "The learning platform is busy, so your active license didn't change. "
            "Try again in %(seconds)d seconds.",
            seconds=o.retry_after,
        ),
        UNAVAILABLE: lambda o: _(
            "We couldn't reach the learning platform, so your active license didn't change. "
            "Try again in a moment."
        ),
        LOST: lambda o: _(
            "We couldn't reach the learning platform, so we couldn't confirm whether your "
            "license changed. Reload the page to check before trying again."
        ),
    }
    return outcomes.word(outcome, wording)
