"""Probes for the load balancer: /healthz (the process answers) and /readyz (it can serve).

Neither needs a sign-in or touches the session, so neither sends a cookie; both are GETs,
which CSRF protection leaves alone. A liveness probe must not depend on anything outside
the process (a restart cures nothing Redis or the instance is suffering from); readiness
says whether pages can be served now: shared state answers and so does the instance.
"""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify

from .gql import Call, instance
from .state import shared_state

log = logging.getLogger("atrium.health")

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz():
    """Alive: answers without asking Redis or the instance."""
    return _no_store(jsonify(status="ok"), 200)


@blueprint.get("/readyz")
def readyz():
    """Ready: 200 when shared state and the instance answer, else 503 naming what failed."""
    checks = {"state": _state_answers(), "instance": _instance_answers()}
    ready = all(checks.values())
    body = {
        "status": "ready" if ready else "unavailable",
        **{part: "ok" if fine else "failed" for part, fine in checks.items()},
    }
    return _no_store(jsonify(body), 200 if ready else 503)


def _state_answers() -> bool:
    try:
        return shared_state().ping()
    except Exception:  # a probe reports; it never fails with a 500
        log.exception("readiness: shared state check failed")
        return False


def _instance_answers() -> bool:
    """Languages is the cheapest query and instance-level: while the shared cache holds it
    fresh, probes from every machine cost the budget nothing. Meanwhile the shared breaker
    knows whether the instance has been failing the pages' own requests."""
    try:
        client = instance()
        return not client.breaker.is_open() and client.fetch(Call("Languages")).failure is None
    except Exception:
        log.exception("readiness: instance check failed")
        return False


def _no_store(response, status: int):
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response
