"""Using credits on a course: RedeemBalance, what became of it, and what to tell the learner."""

from __future__ import annotations

from flask_babel import gettext as _

from .. import outcomes
from ..auth import learner_token
from ..gql import Call, instance
from ..outcomes import DONE, LOST, NOT_FOUND, REFUSED, Message, Outcome
from ..templating import balance_filter, money_filter
from .loaders import Redemption

PURCHASABLE = "purchasable"  # availabilityStatus of a priced course the learner doesn't own
# The refusals that say the learner's state is in the way (owned already, too few credits).
STATUS = {(REFUSED, "ALREADY_EXISTS"): 409, (REFUSED, "INSUFFICIENT_BALANCE"): 409}
TONES = {LOST: "warning"}


def buy(found: Redemption) -> Outcome:
    """RedeemBalance once (never retried); a lost answer is settled by reading the learner's
    items again: a course bought is no longer for sale to them."""
    item = found.item
    outcome = outcomes.send(Call("RedeemBalance", {"contentId": item.id}))
    was_for_sale = item.availability_status == PURCHASABLE
    return outcomes.reconcile(outcome, lambda: bought(item.id) if was_for_sale else None)


def bought(course_id: str) -> bool | None:
    """Whether the learner owns the course now, as the instance lists their items; None when it
    can't say. The mutation dropped their cached items (operations.CHANGES): a fresh read."""
    page = instance().fetch(Call("UserContentItems"), token=learner_token())
    if not page.ok("UserContentItems") or "UserContentItems" in page.dated:
        return None
    item = next((i for i in page["UserContentItems"] if i and i.id == course_id), None)
    if item is None:
        return None
    return item.availability_status != PURCHASABLE


def message(outcome: Outcome, found: Redemption) -> Message:
    """What the learner is told, in their language."""
    item, offer, user = found.item, found.offer, found.user
    title = item.title or _("This course")

    def done(_o):
        if offer is None:  # bought although we didn't offer it: we can't say what is left
            return _("%(title)s is now in your learning.", title=title)
        # The balance is money wherever Atrium shows it ("$71.00"), so it is here too.
        return _(
            "%(title)s is now in your learning. Your credit balance is now %(balance)s.",
            title=title,
            balance=balance_filter(offer.balance_after, offer.currency),
        )

    def too_few_credits(_o):
        currency = user.preferred_currency if user else None
        return _(
            "Your credit balance of %(balance)s doesn't cover %(title)s (%(price)s). "
            "Nothing was charged.",
            balance=money_filter(round((user.balance or 0) * 100) if user else 0, currency),
            title=title,
            price=money_filter(item.price_in_cents or 0, currency),
        )

    wording: outcomes.Wording = {
        DONE: done,
        (REFUSED, "INSUFFICIENT_BALANCE"): too_few_credits,
        (REFUSED, "ALREADY_EXISTS"): lambda o: _(
            "%(title)s is already in your learning. Nothing was charged.", title=title
        ),
        REFUSED: lambda o: _("The learning platform refused: %(message)s", message=o.reason),
        NOT_FOUND: lambda o: _("That course no longer exists on the learning platform."),
        LOST: lambda o: _(
            "We couldn't confirm whether %(title)s was bought. "
            "Check My learning before trying again.",
            title=title,
        ),
    }
    return outcomes.word(outcome, wording, TONES)
