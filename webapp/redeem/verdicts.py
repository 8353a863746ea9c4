"""What the check says about one code: its verdict, and the words for it in the learner's
language (a badge: words and tone, never colour alone; and a sentence).

The sentences a company may reword use TI's redemption-code.* keys (i18n.t); every word is
looked up when a page shows it, after the chrome has loaded the company's strings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _

from ..i18n import t

MAX_CODE_LENGTH = 100  # longer is no code: refused without asking the instance

# Verdicts. The first two can be redeemed.
VALID = "valid"  # a redemption code the learner can use now
VALID_REGISTRATION = "valid-registration"  # a registration code the learner can use now
EXPIRED = "expired"
REDEEMED = "redeemed"  # already redeemed (by this learner, or used up)
INVALID = "invalid"  # the instance knows no such code (or an expired registration code)
TOO_LONG = "too-long"
MALFORMED = "malformed"  # control or invisible characters: a paste gone wrong
DUPLICATE = "duplicate"  # the same code again, earlier in the form
UNCHECKED = "unchecked"  # the instance could not be asked (down, busy, or an error)

REDEEMABLE = frozenset({VALID, VALID_REGISTRATION})


@dataclass
class Verdict:
    code: str
    status: str | None = None  # None: not checked yet
    detail: str | None = None  # the instance's message, for UNCHECKED after an error

    @property
    def redeemable(self) -> bool:
        return self.status in REDEEMABLE

    @property
    def problem(self) -> bool:
        return self.status is not None and self.status not in REDEEMABLE

    @property
    def tone(self) -> str:
        """The badge's modifier: ok, warn or alert."""
        return _TONES.get(self.status, "alert")

    @property
    def label(self) -> str:
        """The badge's words."""
        return _LABELS.get(self.status, lambda: _("Not a code"))()

    @property
    def text(self) -> str:
        """The sentence that says what the verdict means for the learner."""
        say = _SENTENCES.get(self.status)
        return say(self) if say else ""


_TONES = {
    VALID: "ok",
    VALID_REGISTRATION: "ok",
    DUPLICATE: "warn",
    UNCHECKED: "warn",
}

_LABELS: dict[str | None, Callable[[], str]] = {
    VALID: lambda: _("Valid"),
    VALID_REGISTRATION: lambda: _("Valid"),
    EXPIRED: lambda: _("Expired"),
    REDEEMED: lambda: _("Already used"),
    INVALID: lambda: _("Not found"),
    DUPLICATE: lambda: _("Repeated"),
    UNCHECKED: lambda: _("Not checked"),
}


def _unchecked(verdict: Verdict) -> str:
    if verdict.detail:
        return _("We couldn't check this code: %(reason)s", reason=verdict.detail)
    return _("We couldn't check this code right now. Try again in a moment.")


_SENTENCES: dict[str | None, Callable[[Verdict], str]] = {
    VALID: lambda v: t(
        "redemption-code.valid", "This code is valid. It will be redeemed when you press Redeem."
    ),
    VALID_REGISTRATION: lambda v: t(
        "redemption-code.valid-registration",
        "This registration code is valid. It will be redeemed when you press Redeem.",
    ),
    EXPIRED: lambda v: t("redemption-code.expired", "This code has expired."),
    # TI's alreadyRedeemed is one flag for "you redeemed it" and "it is used up" (a single-use
    # code someone else used): the words must hold in both cases.
    REDEEMED: lambda v: t(
        "redemption-code.already-redeemed",
        "This code can't be redeemed again: you have already redeemed it, or it has been used "
        "as many times as it allows.",
    ),
    INVALID: lambda v: t(
        "redemption-code.invalid", "We couldn't find this code. Check it for typos."
    ),
    TOO_LONG: lambda v: _(
        "This is too long to be a code: codes have at most %(max)d characters.",
        max=MAX_CODE_LENGTH,
    ),
    MALFORMED: lambda v: _(
        "This contains invisible or control characters. Type the code instead of pasting it."
    ),
    DUPLICATE: lambda v: _("You entered this code more than once. It is redeemed once."),
    UNCHECKED: _unchecked,
}
