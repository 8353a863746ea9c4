"""Badges: what the learner has earned, what is next, and where they stand."""

from __future__ import annotations

from flask import Blueprint, request

from ..auth import login_required
from ..htmx import render_page, wants_fragment
from .loaders import LIMITS, load_badges, parse_limit

blueprint = Blueprint("badges", __name__)


@blueprint.get("/badges")
@login_required
def index():
    """Earned and unearned badges with progress, and the top-N leaderboard."""
    limit = parse_limit(request.args.get("limit"))
    fragment = wants_fragment()
    view = load_badges(limit, board=not fragment)
    return render_page(
        "badges/index.html", "badges/_leaderboard.html", view=view, limits=LIMITS, fragment=fragment
    )
