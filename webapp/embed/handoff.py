"""Sign-in handoff from a company portal: a signed, short-lived, single-use token.

    token = base64url(JSON claims) "." base64url(HMAC-SHA256(EMBED_SHARED_SECRET, first part))

Claims: `jti` (unique id), `aud` (must be this Atrium's audience), `iat`/`exp` (seconds since the
epoch; at most 5 minutes apart), and either `authToken` (the learner's TI token) or, where the
instance signs learners in by email (the embedded sandbox does), `email`. A token is accepted
once: its `jti` is remembered in the shared state (Redis with several machines) until it
expires, so no machine accepts it a second time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import time
from dataclasses import dataclass

from ..state import SharedState

MAX_LIFETIME = 300
TI_TOKEN = re.compile(r"[\x21-\x7e]{1,4096}\Z")  # visible ASCII: fit for the authToken header
CLOCK_SKEW = 30


class HandoffError(Exception):
    """Why a handoff token was refused; `reason` is one of the class constants."""

    MALFORMED = "malformed"
    TAMPERED = "tampered"
    EXPIRED = "expired"
    REPLAYED = "replayed"
    AUDIENCE = "audience"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Handoff:
    jti: str
    audience: str
    expires_at: int
    auth_token: str | None
    email: str | None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(secret: str, payload: str) -> str:
    return _b64(hmac.new(secret.encode(), payload.encode(), hashlib.sha256).digest())


def issue(
    secret: str,
    audience: str,
    *,
    auth_token: str | None = None,
    email: str | None = None,
    lifetime: int = 120,
    now: float | None = None,
) -> str:
    """A handoff token (what a portal's server does; here for the demo portal and tests)."""
    issued = int(now if now is not None else time.time())
    claims = {
        "jti": secrets.token_urlsafe(16),
        "aud": audience,
        "iat": issued,
        "exp": issued + lifetime,
    }
    if auth_token:
        claims["authToken"] = auth_token
    if email:
        claims["email"] = email
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    return f"{payload}.{_sign(secret, payload)}"


class ReplayGuard:
    """Remembers accepted token ids until they expire, in the state every machine shares."""

    def __init__(self, state: SharedState):
        self.state = state

    def first_use(self, jti: str, expires_at: float, now: float | None = None) -> bool:
        """True the first time `jti` is seen; False ever after (until it has expired)."""
        now = now if now is not None else time.time()
        # Kept CLOCK_SKEW past `exp`: a machine whose clock runs behind still takes the token for
        # current, so it must still find it used. Set-if-absent: one request wins, on any machine.
        remember_for = max(1.0, expires_at - now + CLOCK_SKEW)
        return self.state.add(f"handoff:{jti}", "1", ttl=remember_for)


def verify(
    token: str, secret: str, audience: str, guard: ReplayGuard, now: float | None = None
) -> Handoff:
    """The token's claims if it is authentic, current, for us and unused; else HandoffError."""
    now = now if now is not None else time.time()
    if not isinstance(token, str) or token.count(".") != 1 or len(token) > 8192:
        raise HandoffError(HandoffError.MALFORMED)
    payload, signature = token.split(".")
    if not hmac.compare_digest(_sign(secret, payload).encode(), signature.encode()):
        raise HandoffError(HandoffError.TAMPERED)
    try:
        claims = json.loads(_unb64(payload))
        jti, aud = str(claims["jti"]), str(claims["aud"])
        issued, expires = int(claims["iat"]), int(claims["exp"])
    except (ValueError, KeyError, TypeError, OverflowError):  # OverflowError: exp = Infinity
        raise HandoffError(HandoffError.MALFORMED) from None
    if aud != audience:
        raise HandoffError(HandoffError.AUDIENCE)
    if (
        expires - issued > MAX_LIFETIME
        or expires < now
        or expires > now + MAX_LIFETIME
        or issued > now + CLOCK_SKEW
    ):
        raise HandoffError(HandoffError.EXPIRED)
    auth_token, email = claims.get("authToken"), claims.get("email")
    if not (isinstance(auth_token, str) and auth_token) and not (isinstance(email, str) and email):
        raise HandoffError(HandoffError.MALFORMED)
    if isinstance(auth_token, str) and auth_token and not TI_TOKEN.match(auth_token):
        # It travels in a header: a line break would fail the request before it left, taken
        # for an instance that is down (and, five times over, pause the instance for everyone).
        raise HandoffError(HandoffError.MALFORMED)
    if not guard.first_use(jti, expires, now):
        raise HandoffError(HandoffError.REPLAYED)
    return Handoff(jti, aud, expires, auth_token or None, email or None)
