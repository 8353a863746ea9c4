"""Handoff tokens: accepted once when authentic, current and for us; refused otherwise."""

from __future__ import annotations

import pytest

from webapp.embed.handoff import MAX_LIFETIME, HandoffError, ReplayGuard, issue, verify
from webapp.state import SqliteState

SECRET = "portal-shared-secret"
AUDIENCE = "https://atrium.example"


@pytest.fixture
def guard(tmp_path):
    return ReplayGuard(SqliteState(str(tmp_path / "state.sqlite3")))


def test_a_valid_token_is_accepted_once(guard):
    token = issue(SECRET, AUDIENCE, auth_token="ti-token-1")
    handoff = verify(token, SECRET, AUDIENCE, guard)
    assert handoff.auth_token == "ti-token-1" and handoff.email is None
    with pytest.raises(HandoffError) as replay:
        verify(token, SECRET, AUDIENCE, guard)
    assert replay.value.reason == HandoffError.REPLAYED


def test_a_tampered_token_is_refused(guard):
    token = issue(SECRET, AUDIENCE, email="learner@acme.test")
    payload, signature = token.split(".")
    forged = issue("someone-elses-secret", AUDIENCE, email="admin@acme.test")
    for bad in (
        forged,
        f"{forged.split('.')[0]}.{signature}",  # their claims, our signature
        f"{payload}.{signature[:-2]}xx",
    ):
        with pytest.raises(HandoffError) as refused:
            verify(bad, SECRET, AUDIENCE, guard)
        assert refused.value.reason == HandoffError.TAMPERED


def test_an_expired_token_is_refused(guard):
    token = issue(SECRET, AUDIENCE, email="learner@acme.test", lifetime=60, now=1_000_000)
    with pytest.raises(HandoffError) as refused:
        verify(token, SECRET, AUDIENCE, guard, now=1_000_061)
    assert refused.value.reason == HandoffError.EXPIRED


def test_a_token_living_longer_than_five_minutes_is_refused(guard):
    token = issue(SECRET, AUDIENCE, email="learner@acme.test", lifetime=MAX_LIFETIME + 1)
    with pytest.raises(HandoffError) as refused:
        verify(token, SECRET, AUDIENCE, guard)
    assert refused.value.reason == HandoffError.EXPIRED


def test_a_token_for_another_audience_is_refused(guard):
    token = issue(SECRET, "https://other-app.example", email="learner@acme.test")
    with pytest.raises(HandoffError) as refused:
        verify(token, SECRET, AUDIENCE, guard)
    assert refused.value.reason == HandoffError.AUDIENCE


@pytest.mark.parametrize("junk", ["", "abc", "a.b.c", "x" * 9000, "..", "e30.sig"])
def test_junk_is_malformed_or_tampered_never_a_crash(guard, junk):
    with pytest.raises(HandoffError) as refused:
        verify(junk, SECRET, AUDIENCE, guard)
    assert refused.value.reason in (HandoffError.MALFORMED, HandoffError.TAMPERED)


def test_a_used_token_is_remembered_until_just_past_its_expiry(tmp_path):
    state = SqliteState(str(tmp_path / "state.sqlite3"))
    token = issue(SECRET, AUDIENCE, email="learner@acme.test", lifetime=120)
    handoff = verify(token, SECRET, AUDIENCE, ReplayGuard(state))
    kept = state.expires_in(f"handoff:{handoff.jti}")
    assert 120 < kept <= 120 + 30  # its lifetime, and the clock skew another machine may have


@pytest.mark.parametrize("moment", ["Infinity", "-Infinity", "NaN", "1e400", '"soon"', "[1]"])
def test_a_signed_token_with_an_impossible_time_is_malformed_not_a_crash(guard, moment):
    """A portal's bug (or a forged secret) must not take the handoff down (issue 12, item 9)."""
    from webapp.embed.handoff import _b64, _sign

    claims = f'{{"jti":"j1","aud":"{AUDIENCE}","iat":1,"exp":{moment},"email":"a@b.test"}}'
    payload = _b64(claims.encode())
    with pytest.raises(HandoffError) as refused:
        verify(f"{payload}.{_sign(SECRET, payload)}", SECRET, AUDIENCE, guard)
    assert refused.value.reason == HandoffError.MALFORMED
