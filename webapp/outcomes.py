"""What became of an action, one way for every feature: send the mutation once, settle a lost
answer by the feature's own re-read, word the result per kind in the learner's language, and
answer with one HTTP status per kind.

A feature supplies its words as a mapping from a kind (or a `(kind, code)` pair, for a finer
case such as the instance's ALREADY_EXISTS) to a function of the outcome; the words are looked
up when the message is made, in the action's own request, which knows the learner's language
from sign-in (i18n.select_locale), so a flash reads the same as the page it lands on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from flask import flash
from flask_babel import gettext as _

from .auth import learner_token
from .gql import Call, OperationFailed, RateLimited, UpstreamUnavailable, instance

DONE = "done"  # the instance did it (or a re-read shows it did)
REFUSED = "refused"  # the instance answered no, in its own words (`reason`) and `code`
LOST = "lost"  # no answer and no re-read that could tell: it may or may not have happened
BUSY = "busy"  # rate limited: nothing was sent; try again in `retry_after` seconds
UNAVAILABLE = "unavailable"  # no answer, and a re-read shows nothing changed
NOT_FOUND = "not-found"  # the instance (or our id check) knows no such thing

# The HTTP status of an action's answer, per kind (htmx swaps 4xx/5xx too, see base.html).
STATUS = {DONE: 200, REFUSED: 422, LOST: 503, BUSY: 429, UNAVAILABLE: 503, NOT_FOUND: 404}
TONE = {DONE: "success"}  # every other kind is an error unless a feature says otherwise


@dataclass(frozen=True)
class Outcome:
    kind: str
    code: str | None = None  # the instance's error code, or the feature's finer case
    reason: str = ""  # REFUSED: the instance's own message
    retry_after: int = 0  # BUSY: whole seconds (at least one)
    value: Any = None  # DONE: the mutation's answer (None when a re-read settled it)
    details: Mapping = field(default_factory=dict)  # REFUSED: the rest of the error's extensions

    @property
    def done(self) -> bool:
        return self.kind == DONE


@dataclass(frozen=True)
class Message:
    """What the learner is told, worded: rendered by _outcome.html (fragment or flash)."""

    tone: str  # success, info, warning or error (the notice's modifier class)
    text: str


Wording = Mapping[Any, Callable[[Outcome], str]]


def send(call: Call, *, token: str | None = None) -> Outcome:
    """Run one mutation once (never retried) and say what became of it. AuthRequired goes on
    to the app's handler (sign in again, keeping what was typed)."""
    try:
        value = instance().mutate(call, token=token if token is not None else learner_token())
    except OperationFailed as failed:
        kind = NOT_FOUND if failed.code == "NOT_FOUND" else REFUSED
        error = failed.errors[0] if failed.errors else None
        reason = error.message if error else str(failed)
        return Outcome(
            kind, code=failed.code, reason=reason, details=error.details if error else {}
        )
    except RateLimited as limited:
        return Outcome(BUSY, retry_after=limited.seconds)
    except UpstreamUnavailable:
        return Outcome(LOST)
    return Outcome(DONE, value=value)


def reconcile(outcome: Outcome, reread: Callable[[], object]) -> Outcome:
    """Settle a lost answer by what the instance holds now: `reread()` says the action happened
    (True, or what it made, which becomes the outcome's value), surely didn't (False), or can't
    tell (None: the re-read failed too). Only LOST is re-read; any other outcome is what the
    instance said."""
    if outcome.kind != LOST:
        return outcome
    happened = reread()
    if happened is None:
        return outcome
    if happened is False:
        return replace(outcome, kind=UNAVAILABLE)
    return replace(outcome, kind=DONE, value=None if happened is True else happened)


def status(outcome: Outcome, overrides: Mapping[Any, int] | None = None) -> int:
    """The HTTP status for `outcome`: the feature's for its finer case, else the kind's."""
    return _pick(overrides or {}, outcome, STATUS[outcome.kind])


def word(outcome: Outcome, wording: Wording, tones: Mapping[Any, str] | None = None) -> Message:
    """The feature's words for `outcome`, now, in the learner's language."""
    say = _pick(wording, outcome, None) or _DEFAULT_WORDING[outcome.kind]
    return Message(_pick(tones or {}, outcome, TONE.get(outcome.kind, "error")), say(outcome))


def flash_message(message: Message) -> None:
    """For a plain form's redirect: the next page's notices show it (the same partial)."""
    flash(message.text, message.tone)


def _pick(mapping: Mapping, outcome: Outcome, default):
    for key in ((outcome.kind, outcome.code), outcome.kind):
        if key in mapping:
            return mapping[key]
    return default


# Words for the kinds a feature may leave to the helper; DONE and LOST say what was meant to
# happen, so every feature words those itself.
_DEFAULT_WORDING: dict[str, Callable[[Outcome], str]] = {
    REFUSED: lambda o: _("The learning platform refused: %(reason)s", reason=o.reason),
    NOT_FOUND: lambda o: _("The learning platform refused: %(reason)s", reason=o.reason),
    BUSY: lambda o: _(
        "The learning platform is busy right now, so nothing changed. "
        "Try again in %(seconds)d seconds.",
        seconds=o.retry_after,
    ),
    UNAVAILABLE: lambda o: _(
        "We couldn't reach the learning platform, so nothing changed. Try again in a moment."
    ),
}
