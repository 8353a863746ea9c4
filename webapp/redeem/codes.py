"""Redemption and registration codes: reading what was typed, checking, redeeming.

How a code is checked: TI cannot tell a redemption code from a registration code up front, so
ValidateRedemptionCode goes first (most codes are redemption codes, and its answer is the
richer one: it knows "expired"). Only when that says "not valid" without saying why (neither
expired nor already redeemed: the instance knows no such redemption code) is
ValidateRegistrationCode asked. So a redemption code costs one request and a registration code
or a typo two. Registration codes carry no expiry flag in TI: an expired one reads "not valid".
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from flask import session

from ..auth import learner_token
from ..gql import Call, OperationFailed, RateLimited, UpstreamUnavailable, instance
from .verdicts import (
    DUPLICATE,
    EXPIRED,
    INVALID,
    MALFORMED,
    MAX_CODE_LENGTH,
    REDEEMABLE,
    REDEEMED,
    TOO_LONG,
    UNCHECKED,
    VALID,
    VALID_REGISTRATION,
    Verdict,
)

MAX_CODES = 20  # codes redeemed at once (the instance's own limit is 20 too)
CACHE_SECONDS = 120  # how long a check's verdict is reused while the learner edits the form
CACHE_SIZE = 40

# Codes hold no spaces or commas, so a pasted list splits into codes on them.
_SEPARATORS = re.compile(r"[\s,;]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")

_CACHEABLE = frozenset({VALID, VALID_REGISTRATION, EXPIRED, REDEEMED, INVALID})


@dataclass
class Box:
    """One code box of the form: what it holds and the verdict on each code in it."""

    index: int
    value: str
    verdicts: list[Verdict] = field(default_factory=list)
    check_on_load: bool = False  # holds something unchecked: HTMX checks it once the page is up
    autofocus: bool = False
    note: str | None = None  # about the box as a whole ("too-many")

    @property
    def invalid(self) -> bool:
        return self.note is not None or any(v.problem for v in self.verdicts)


def split_codes(text: str) -> list[str]:
    return [c for c in _SEPARATORS.split(text or "") if c]


def format_problem(code: str) -> str | None:
    if len(code) > MAX_CODE_LENGTH:
        return TOO_LONG
    if _CONTROL.search(code):
        return MALFORMED
    return None


def key(code: str) -> str:
    """Codes match case-insensitively on TI, so "welcome-2026" is "WELCOME-2026"."""
    return code.casefold()


# -- checking -------------------------------------------------------------------------------


def _ask(codes: list[str]) -> dict[str, str | OperationFailed]:
    """The instance's verdict on well-formed codes, in at most two requests however many.

    TI can't tell a redemption code from a registration code up front: every code is asked as
    a redemption code first (one batch), and those that are simply not valid as a registration
    code (a second batch).
    """
    client, token = instance(), learner_token()
    verdicts: dict[str, str | OperationFailed] = {}
    answers = client.mutate_each(
        [
            Call("ValidateRedemptionCode", {"code": code}, key=f"r{i}")
            for i, code in enumerate(codes)
        ],
        token=token,
    )
    maybe_registration = []
    for code, answer in zip(codes, answers, strict=True):
        if isinstance(answer, OperationFailed):
            verdicts[code] = answer
        elif answer.valid:
            verdicts[code] = VALID
        elif answer.already_redeemed:
            verdicts[code] = REDEEMED
        elif answer.code_expired:
            verdicts[code] = EXPIRED
        else:
            maybe_registration.append(code)
    answers = client.mutate_each(
        [
            Call("ValidateRegistrationCode", {"code": code}, key=f"g{i}")
            for i, code in enumerate(maybe_registration)
        ],
        token=token,
    )
    for code, answer in zip(maybe_registration, answers, strict=True):
        if isinstance(answer, OperationFailed):
            verdicts[code] = answer
        elif answer.valid:
            verdicts[code] = VALID_REGISTRATION
        else:
            verdicts[code] = REDEEMED if answer.already_redeemed else INVALID
    return verdicts


def _cached(code: str) -> str | None:
    entry = (session.get("redeem_checks") or {}).get(key(code))
    if entry and time.time() - entry[1] < CACHE_SECONDS:
        return entry[0]
    return None


def _remember(code: str, status: str) -> None:
    checks = {
        k: v
        for k, v in (session.get("redeem_checks") or {}).items()
        if time.time() - v[1] < CACHE_SECONDS
    }
    checks[key(code)] = [status, time.time()]
    while len(checks) > CACHE_SIZE:
        checks.pop(min(checks, key=lambda k: checks[k][1]))
    session["redeem_checks"] = checks


def forget(codes: list[str]) -> None:
    checks = dict(session.get("redeem_checks") or {})
    for code in codes:
        checks.pop(key(code), None)
    session["redeem_checks"] = checks


def judge(codes: list[str], *, fresh: bool = False, ask: bool = True) -> list[Verdict]:
    """A verdict for each code, in order; repeats are DUPLICATE.

    Verdicts of the last couple of minutes are reused (the live check and the form ask about
    the same codes) unless `fresh`. With `ask` false nothing is sent: codes with no cached
    verdict stay unchecked (status None). After one failure to reach the instance the
    remaining codes are not tried (each would wait for its own timeout).
    """
    verdicts: list[Verdict] = []
    seen: set[str] = set()
    to_ask: list[str] = []
    for code in codes:
        if key(code) in seen:
            verdicts.append(Verdict(code, DUPLICATE))
            continue
        seen.add(key(code))
        problem = format_problem(code)
        if problem:
            verdicts.append(Verdict(code, problem))
            continue
        status = None if fresh else _cached(code)
        if status is None and ask:
            to_ask.append(code)
        verdicts.append(Verdict(code, status))
    if not to_ask:
        return verdicts
    try:
        answers = _ask(to_ask)
    except (RateLimited, UpstreamUnavailable):  # AuthRequired goes on to the app's handler
        answers = {}
    for verdict in verdicts:
        if verdict.code not in to_ask or verdict.status is not None:
            continue
        answer = answers.get(verdict.code)
        if isinstance(answer, OperationFailed):
            verdict.status, verdict.detail = UNCHECKED, str(answer)
        elif answer is None:
            verdict.status = UNCHECKED
        else:
            verdict.status = answer
            _remember(verdict.code, answer)
    return verdicts


# -- redeeming -----------------------------------------------------------------------------


@dataclass
class Snapshot:
    """What the learner had before redeeming: content ids and license ids (None: unknown)."""

    items: list[str] | None = None
    licenses: list[str] | None = None


def snapshot() -> Snapshot:
    """UserContentItems and the learner's licenses, read just before redeeming.

    RedeemRegistrationAndRedemptionCodes says only "redeemed", not what it unlocked; comparing
    the learner's items before and after is the only way to show the new ones. One query
    request, and only when there is something to redeem.
    """
    page = instance().fetch(Call("UserContentItems"), Call("CurrentUser"), token=learner_token())
    found = Snapshot()
    if page.ok("UserContentItems"):
        found.items = [item.id for item in page["UserContentItems"]]
    if page.ok("CurrentUser"):
        found.licenses = license_ids(page["CurrentUser"])
    return found


def license_ids(user) -> list[str]:
    return [a.license_id for a in user.allocated_licenses or [] if a and a.license_id]


def settle_lost_redemption(codes: list[str]) -> bool | None:
    """Whether a redemption whose answer was lost happened, from the codes as the instance has
    them now: True when every code reads redeemed, False when every one can still be redeemed,
    None when it can't say (no answer again, or codes that disagree).

    TI redeems all or nothing, and checking a code doesn't consume it, so the codes themselves
    tell: UserContentItems could not (a code may unlock what the learner already had).
    """
    statuses = {verdict.status for verdict in judge(codes, fresh=True)}
    if statuses == {REDEEMED}:
        return True
    if statuses and statuses <= REDEEMABLE:
        return False
    return None
