"""The sandbox over HTTP: POST /helium?apiKey=KEY, plus its demo images and its counters."""

from __future__ import annotations

import json
import time
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    send_from_directory,
)

from .engine import SandboxInstance
from .limits import WITHHELD_SECONDS

ASSETS = Path(__file__).with_name("assets")

blueprint = Blueprint("sandbox", __name__)


def _instance() -> SandboxInstance:
    return current_app.extensions["sandbox"]


def _response(answer) -> Response:
    return Response(answer.body(), status=answer.status, headers=answer.headers)


@blueprint.post("/helium")
def helium():
    """TI's GraphQL endpoint: a request or a batch of them; the learner in `authToken`."""
    answer = _instance().handle(
        request.get_data(cache=False),
        request.args.get("apiKey"),
        request.headers.get("authToken"),
    )
    if answer.lost:
        time.sleep(WITHHELD_SECONDS)  # the client has given up by now; the work is done
    return _response(answer)


@blueprint.get("/sandbox/assets/<path:filename>")
def asset(filename: str):
    """The demo company's logos, thumbnails and badges (there is no CDN in the sandbox)."""
    return send_from_directory(ASSETS, filename, max_age=86_400)


@blueprint.get("/learn/<slug>")
def learn(slug: str):
    """Where the instance's content URLs lead: a stand-in for TI's course player."""
    with _instance().store.read() as conn:
        row = conn.execute(
            "SELECT title, kind, description FROM content WHERE slug = ?", (slug,)
        ).fetchone()
    if row is None:
        abort(404)
    return render_template("sandbox/learn.html", item=dict(row))


# The instance's own pages the demo companies' navigation links to as paths (seed.py's
# `acme_nav` and `globex_nav`). Atrium makes such links absolute to the instance; the sandbox
# is the instance and shares Atrium's host, so it answers them with a stand-in, not a 404.
INSTANCE_PAGES = ("/catalog",)


def instance_page():
    """A stand-in for one of the instance's own pages (its catalog...)."""
    return render_template("sandbox/instance_page.html", path=request.path)


for _path in INSTANCE_PAGES:
    blueprint.add_url_rule(_path, "instance_page", instance_page, methods=["GET"])


@blueprint.get("/sandbox/stats")
def stats():
    """What the sandbox served and what budget is left; for tests and benchmarks."""
    instance = _instance()
    if request.args.get("apiKey") != instance.settings.api_key:
        return Response(
            json.dumps({"error": "Invalid or missing API key."}), 401, mimetype="application/json"
        )
    verdict = instance.limiter.peek()
    body = {
        **instance.stats.snapshot(),
        "points_remaining": verdict.points_remaining,
        "requests_remaining": verdict.requests_remaining,
        "latency_ms": instance.faults.latency_ms,
        "fault_rate": instance.faults.fault_rate,
        "lose_answers": sorted(instance.faults.lose_answers),
        "fail_after_loss": instance.faults.fail_after_loss,
    }
    return Response(json.dumps(body), mimetype="application/json")


@blueprint.post("/sandbox/control")
def control():
    """Change faults or reset budgets and counters at run time (tests of a separate process)."""
    instance = _instance()
    if request.args.get("apiKey") != instance.settings.api_key:
        return Response(
            json.dumps({"error": "Invalid or missing API key."}), 401, mimetype="application/json"
        )
    try:
        changes = json.loads(request.get_data() or b"{}")
        if not isinstance(changes, dict):
            raise ValueError
        latency = int(changes.get("latency_ms", instance.faults.latency_ms))
        rate = float(changes.get("fault_rate", instance.faults.fault_rate))
        lose = changes.get("lose_answers", sorted(instance.faults.lose_answers))
        fail_after_loss = changes.get("fail_after_loss", instance.faults.fail_after_loss)
        if (
            latency < 0
            or not 0 <= rate <= 1
            or not isinstance(lose, list)
            or not all(isinstance(name, str) for name in lose)
            or not isinstance(fail_after_loss, bool)
        ):
            raise ValueError
    except (ValueError, TypeError):
        message = {
            "error": "Send JSON: latency_ms >= 0, 0 <= fault_rate <= 1, lose_answers: "
            "[operation names, or query / mutation], fail_after_loss: true|false, "
            "reset: true|false."
        }
        return Response(json.dumps(message), 400, mimetype="application/json")
    instance.faults.latency_ms = latency
    instance.faults.fault_rate = rate
    instance.faults.lose_answers = frozenset(lose)
    instance.faults.fail_after_loss = fail_after_loss
    if changes.get("reset"):
        instance.limiter.reset()
        instance.stats.reset()
    return stats()
