"""Switching the active license: the mutation, what became of it, and what to tell the learner."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from ..auth import learner_token
from ..gql import Call, OperationFailed, RateLimited, UpstreamUnavailable, instance
from ..i18n import t

SWITCHED = "switched"
NOT_THEIRS = "not-theirs"  # FORBIDDEN / NOT_FOUND: not one of the learner's licenses
REFUSED = "refused"  # another refusal, in the instance's words
BUSY = "busy"  # rate limited: nothing was sent
UNCHANGED = "unchanged"  # no answer, and a re-read shows another license still active
UNCONFIRMED = "unconfirmed"  # no answer, and the learner could not be re-read either


@dataclass(frozen=True)
class Outcome:
    result: str
    detail: str | None = None
    retry_after: int = 0

    @property
    def switched(self) -> bool:
        return self.result == SWITCHED


def switch_license(license_id: str) -> Outcome:
    """SelectCurrentUserActiveLicense, once; a lost answer is settled by reading the learner's
    active license again before anything is said. AuthRequired goes on to sign-in."""
    try:
        instance().mutate(
            Call("SelectCurrentUserActiveLicense", {"licenseId": license_id}),
            token=learner_token(),
        )
    except OperationFailed as failed:
        if failed.code in ("FORBIDDEN", "NOT_FOUND"):
            return Outcome(NOT_THEIRS)
        return Outcome(REFUSED, detail=failed.errors[0].message if failed.errors else str(failed))
    except RateLimited as limited:
        return Outcome(BUSY, retry_after=limited.seconds)
    except UpstreamUnavailable:
        active = active_license_id()
        if active is None:
            return Outcome(UNCONFIRMED)
        return Outcome(SWITCHED if active == license_id else UNCHANGED)
    return Outcome(SWITCHED)


def active_license_id() -> str | None:
    """The learner's active license as the instance has it now ("" for none), or None when it
    can't say. The mutation dropped the learner's cached answers (operations.CHANGES), so this
    is a fresh read, never the license the page showed before."""
    page = instance().fetch(Call("CurrentUser"), token=learner_token())
    if not page.ok("CurrentUser") or "CurrentUser" in page.dated:
        return None
    active = page["CurrentUser"].active_license
    return (active.id if active else None) or ""


def message(outcome: Outcome) -> str:
    """What the learner is told, in their language."""
    result = outcome.result
    if result == SWITCHED:
        return t("license.switched", "Your active license has changed.")
    if result == NOT_THEIRS:
        return _("That license isn't one of yours, so your active license didn't change.")
    if result == BUSY:
        return _(
            "The learning platform is busy, so your active license didn't change. "
            "Try again in %(seconds)d seconds.",
            seconds=outcome.retry_after,
        )
    if result == UNCHANGED:
        return _(
            "We couldn't reach the learning platform, so your active license didn't change. "
            "Try again in a moment."
        )
    if result == UNCONFIRMED:
        return _(
            "We couldn't reach the learning platform, so we couldn't confirm whether your "
            "license changed. Reload the page to check before trying again."
        )
    return _("Your active license didn't change: %(reason)s", reason=outcome.detail or "")
