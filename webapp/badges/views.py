"""Badges: what the learner has earned, what is next, and where they stand."""

from __future__ import annotations

from flask import Blueprint, request

from ..auth import login_required
from ..htmx import render_page, wants_fragment
from .loaders import badges_page

blueprint = Blueprint("badges", __name__)


@blueprint.get("/badges")
@login_required
def index():
    """Earned and unearned badges with progress, and the top-N leaderboard."""
    fragment = wants_fragment()
    return render_page(
        "badges/index.html",
        "badges/_leaderboard.html",
        fragment=fragment,
        **badges_page(request.args, board=not fragment),
    )
