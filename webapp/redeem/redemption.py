"""Redeeming the checked codes: the mutation, what became of it, and what to tell the learner."""

from __future__ import annotations

from flask_babel import gettext as _

from .. import outcomes
from ..gql import Call
from ..outcomes import BUSY, LOST, NOT_FOUND, REFUSED, UNAVAILABLE, Message, Outcome
from .codes import settle_lost_redemption

NOT_REDEEMED = (REFUSED, "not-redeemed")  # the instance answered that it redeemed nothing
STATUS = {NOT_FOUND: 422}  # any refusal of the form's codes is the form's 422


def redeem(codes: list[str]) -> Outcome:
    """RedeemRegistrationAndRedemptionCodes, once (all or nothing on TI); a lost answer is
    settled by checking the codes again (settle_lost_redemption)."""
    outcome = outcomes.send(Call("RedeemRegistrationAndRedemptionCodes", {"codes": codes}))
    if outcome.done and not (outcome.value and outcome.value.redeemed):
        return Outcome(REFUSED, code=NOT_REDEEMED[1])
    return outcomes.reconcile(outcome, lambda: settle_lost_redemption(codes))


def needs_fresh_checks(outcome: Outcome) -> bool:
    """Something changed upstream, or may have: the codes' cached verdicts can't be trusted."""
    refused = outcome.kind in (REFUSED, NOT_FOUND) and outcome.code != NOT_REDEEMED[1]
    return outcome.kind == LOST or refused


def message(outcome: Outcome) -> Message:
    """What the learner is told when nothing (or nothing known) was redeemed."""

    def said(o):
        return _("Nothing was redeemed. The learning platform said: %(reason)s", reason=o.reason)

    wording: outcomes.Wording = {
        NOT_REDEEMED: lambda o: _(
            "The learning platform didn't redeem your codes. Nothing was redeemed."
        ),
        REFUSED: said,
        NOT_FOUND: said,
        BUSY: lambda o: _(
            "The learning platform is busy right now, so nothing was redeemed. "
            "Try again in %(seconds)d seconds.",
            seconds=o.retry_after,
        ),
        UNAVAILABLE: lambda o: _(
            "We couldn't reach the learning platform, so nothing was redeemed: your codes can "
            "still be used. Try again in a moment."
        ),
        LOST: lambda o: _(
            "We couldn't reach the learning platform, so we can't tell whether your codes "
            "were redeemed. Check them again before trying to redeem them."
        ),
    }
    return outcomes.word(outcome, wording)
