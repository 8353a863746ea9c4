"""Atrium inside a company portal: chrome-less /embed/ pages, framing rules, sign-in handoff.

Every learner blueprint is registered a second time under /embed (as `embed_<name>`), so an
embedded page links to embedded pages: `Atrium.url_for` maps an endpoint to its embed twin
while a request is embedded. Embed pages may be framed by EMBED_ALLOWED_ORIGINS only; every
other page refuses framing (webapp/security.py).
"""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    Flask,
    current_app,
    g,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from ..auth.decorators import start_session
from ..gql import Call, InstanceError, instance
from ..htmx import see_other
from ..security import safe_next
from ..state import shared_state
from .handoff import HandoffError, ReplayGuard, verify

log = logging.getLogger("atrium.embed")

PREFIX = "/embed"
TWIN = "embed_"

blueprint = Blueprint("embed", __name__, url_prefix=PREFIX)


def embed_endpoint(endpoint: str) -> str:
    """The embedded twin of `endpoint`, if there is one; else `endpoint` itself."""
    twin = TWIN + endpoint
    return twin if twin in current_app.view_functions else endpoint


def allowed_origins() -> list[str]:
    return current_app.config["EMBED_ALLOWED_ORIGINS"]


def _own_origin() -> str:
    return f"{request.scheme}://{request.host}".lower()


def _before_request() -> None:
    if request.blueprint and request.blueprint.startswith(TWIN):
        g.embedded = True
        g.frame_ancestors = " ".join(allowed_origins()) or "'none'"


@blueprint.post("/session")
def handoff():
    """A portal signs its learner in with a one-time token (no second login)."""
    # A portal's form post always carries its origin; a missing or "null" one (a sandboxed or
    # no-referrer page) could be an attacker signing the learner into the attacker's account.
    origin = (request.headers.get("Origin") or "").lower()
    if origin not in allowed_origins() and origin != _own_origin():
        return _refused(_("This portal is not allowed to embed Atrium."), 403)
    config = current_app.config
    if not config["EMBED_SHARED_SECRET"]:
        return _refused(_("Embedding is not configured on this Atrium."), 403)
    guard = ReplayGuard(shared_state())
    try:
        claims = verify(
            request.form.get("token", ""),
            config["EMBED_SHARED_SECRET"],
            config["EMBED_AUDIENCE"],
            guard,
        )
    except HandoffError as refused:
        messages = {
            HandoffError.EXPIRED: _(
                "This sign-in link has expired. Reload the portal page to get a new one."
            ),
            HandoffError.REPLAYED: _(
                "This sign-in link was already used. Reload the portal page to get a new one."
            ),
            HandoffError.AUDIENCE: _("This sign-in link was made for another application."),
        }
        log.warning("handoff refused: %s", refused.reason)
        return _refused(messages.get(refused.reason, _("This sign-in link is not valid.")), 400)
    token = claims.auth_token
    if token is None and "sign_in_by_email" in current_app.extensions:  # the instance allows it
        token = current_app.extensions["sign_in_by_email"](claims.email)
    if token is None:
        return _refused(_("This sign-in link names no account we can sign in."), 400)
    try:
        user = instance().query(Call("CurrentUser"), token=token)
    except InstanceError:
        user = None
    if user is None:
        return _refused(_("The learning platform did not accept this sign-in."), 400)
    start_session(token, user, embed=True)
    if origin in allowed_origins():
        session["embed_origin"] = origin
    home = url_for(TWIN + "dashboard.index")
    destination = safe_next(request.form.get("next"), home)
    if not destination.startswith(PREFIX + "/"):  # a portal keeps its learner in the frame
        destination = home
    return see_other(destination)


def _refused(message: str, status: int):
    g.embedded = True
    g.frame_ancestors = " ".join(allowed_origins()) or "'none'"
    return render_template(
        "errors/error.html", title=_("Can't sign you in"), message=message
    ), status


def init_embed(app: Flask, learner_blueprints) -> None:
    """Register the embed twins, the handoff route and the framing and origin rules."""
    for family in learner_blueprints:
        app.register_blueprint(family, name=TWIN + family.name, url_prefix=PREFIX)
    app.register_blueprint(blueprint)
    # The handoff is authenticated by its signed token and comes from the portal's page,
    # so it cannot carry our CSRF token.
    app.extensions["csrf"].exempt(handoff)
    app.before_request(_before_request)
    from .demo_portal import embed_demo_command

    app.cli.add_command(embed_demo_command)

    @app.context_processor
    def _embed_context() -> dict:
        embedded = g.get("embedded", False)
        origin = session.get("embed_origin") if embedded else None
        return {
            "embedded": embedded,
            "embed_origins": allowed_origins() if embedded else [],
            "embed_parent": origin if origin in allowed_origins() else None,
        }
