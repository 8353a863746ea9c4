"""Throttles on guessing: failed sign-ins per account and per client address, and redemption
codes checked per learner (Flask-Limiter).

With REDIS_URL set the counts live in Redis, so every process on every machine counts
together; without it each process counts on its own ("memory://"). Only the views marked here
are limited (no default limits) and only their POSTs: a page someone merely looks at costs
nothing. Each app gets its own Limiter, so two apps in one process (the tests) share counts
only through Redis, exactly as two machines do.

Past a limit the learner gets a 429 with Retry-After and the reason in their language: the
sign-in form again with the message, or, for codes, the branded error page (or its fragment).
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from functools import wraps

from flask import Flask, current_app, g, render_template, request, session
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter import Limiter, RateLimitExceeded

SIGN_IN = "sign-in"
CODE_CHECKS = "code-checks"
_FAILED_SIGN_IN = (401, 403)  # the instance refused the credentials (or the account)
_MARKED: dict[Callable, str] = {}  # view -> kind, filled as the view modules are imported


def sign_in_attempts(view: Callable) -> Callable:
    """Limit failed sign-ins posted to `view`, per account and per client address."""
    return _marked(view, SIGN_IN)


def code_checks(view: Callable) -> Callable:
    """Limit the redemption codes a signed-in learner has checked through `view`."""
    return _marked(view, CODE_CHECKS)


def _marked(view: Callable, kind: str) -> Callable:
    # The limits are bound per app in init_throttles(); this only finds the app's version.
    _MARKED[view] = kind

    @wraps(view)
    def throttled(*args, **kwargs):
        return current_app.extensions["throttles"][view](*args, **kwargs)

    return throttled


# -- whom a limit counts --------------------------------------------------------------------


def _account() -> str:
    """The account being signed in to, as typed (normalised); hashed, so no email is stored."""
    email = request.form.get("email", "").strip().casefold()
    return "account:" + hashlib.sha256(email.encode()).hexdigest()[:32]


def _address() -> str:
    # The client's own address: behind a proxy, ProxyFix (TRUSTED_PROXIES) has put it here.
    return "address:" + (request.remote_addr or "unknown")


def _learner() -> str:
    return f"learner:{session.get('user_id')}"


def _failed(response) -> bool:
    return response.status_code in _FAILED_SIGN_IN


def _codes_to_check() -> int:
    """How many codes this request will ask the instance about for the first time.

    Counting codes rather than requests is what stops guessing: one form holds up to 20
    codes. Codes the learner had a verdict on minutes ago are not asked again, so editing the
    form or pressing Redeem after a check costs nothing; "Add another code" asks nothing.
    """
    if "codes_to_check" not in g:
        from .redeem import codes as c
        from .redeem.forms import RedeemForm

        count = 0
        if request.form.get("action") != "add":
            typed = [code for _i, value in RedeemForm.boxes() for code in c.split_codes(value)]
            if len(typed) <= c.MAX_CODES:  # more is refused without asking anything
                count = sum(1 for v in c.judge(typed, ask=False) if v.status is None)
        g.codes_to_check = count
    return g.codes_to_check


def _no_codes_to_check() -> bool:
    return not session.get("user_id") or _codes_to_check() == 0


# -- binding the limits to an app -----------------------------------------------------------


def _storage_uri(redis_url: str) -> str:
    if not redis_url:
        return "memory://"
    if redis_url.startswith("unix://"):
        return "redis+unix://" + redis_url.removeprefix("unix://")  # the limits library's name
    return redis_url


def init_throttles(app: Flask) -> Limiter:
    """Bind the marked views' limits to a Limiter of this app's own (call after blueprints)."""
    redis_url = app.config.get("REDIS_URL") or ""
    limiter = Limiter(
        key_func=_address,
        storage_uri=_storage_uri(redis_url),
        # Short timeouts, as for shared state: a page must answer within its deadline.
        storage_options={"socket_timeout": 1.0, "socket_connect_timeout": 1.0} if redis_url else {},
        strategy="moving-window",  # small limits: count exactly, no burst at a window's edge
        key_prefix="atrium",
        headers_enabled=False,  # Retry-After only on a refusal (below), not on every answer
    )
    limiter.init_app(app)
    config = app.config
    by_kind = {
        SIGN_IN: [
            limiter.shared_limit(
                lambda: config["THROTTLE_SIGN_IN_ACCOUNT"],
                "sign-in-account",
                key_func=_account,
                methods=["POST"],
                deduct_when=_failed,
            ),
            limiter.shared_limit(
                lambda: config["THROTTLE_SIGN_IN_ADDRESS"],
                "sign-in-address",
                key_func=_address,
                methods=["POST"],
                deduct_when=_failed,
            ),
        ],
        CODE_CHECKS: [
            limiter.shared_limit(
                lambda: config["THROTTLE_CODE_CHECKS"],
                "code-checks",
                key_func=_learner,
                methods=["POST"],
                exempt_when=_no_codes_to_check,
                cost=_codes_to_check,
            )
        ],
    }
    guarded: dict[Callable, Callable] = {}
    for view, kind in _MARKED.items():  # a page and its embed twin share one function
        for limit in by_kind[kind]:
            view_with_limits = limit(guarded.get(view, view))
            guarded[view] = view_with_limits
    app.extensions["throttles"] = guarded
    app.extensions["throttle_limiter"] = limiter
    app.register_error_handler(RateLimitExceeded, _refused)
    return limiter


# -- past a limit -----------------------------------------------------------------------------


def _retry_after() -> int:
    """Seconds until the limit lets one more through (never more than its window: the
    library rounds its reset time up to the next second)."""
    limit = current_app.extensions["throttle_limiter"].current_limit
    if limit is None:
        return 60
    window = limit.limit.get_expiry()
    return max(1, min(window, math.ceil(limit.window[0] - time.time())))


def _refused(error: RateLimitExceeded):
    from .errors import dress
    from .htmx import render_page

    seconds = _retry_after()
    minutes = math.ceil(seconds / 60)
    dress(cached_only=True)  # the language first; a refused request sends nothing upstream
    if str(error.limit.scope).startswith(SIGN_IN):
        response = _sign_in_refused(minutes)
    else:
        message = ngettext(
            "You have checked a lot of codes in a short time. Try again in %(num)d minute.",
            "You have checked a lot of codes in a short time. Try again in %(num)d minutes.",
            minutes,
        )
        response = render_page(
            "errors/error.html",
            "errors/_error.html",
            429,
            title=_("Too many codes checked"),
            message=message,
        )
    response.headers["Retry-After"] = str(seconds)
    return response


def _sign_in_refused(minutes: int):
    """The sign-in form again (the email kept, never the password), saying why and how long."""
    from .auth.forms import LoginForm
    from .auth.views import demo_accounts

    message = ngettext(
        "Too many unsuccessful sign-in attempts. To protect your account, try again in "
        "%(num)d minute.",
        "Too many unsuccessful sign-in attempts. To protect your account, try again in "
        "%(num)d minutes.",
        minutes,
    )
    page = render_template(
        "auth/login.html", form=LoginForm(), error=message, demo_accounts=demo_accounts()
    )
    return current_app.make_response((page, 429))
