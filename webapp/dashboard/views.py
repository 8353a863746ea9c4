"""The learner's home: progress, what to continue, what is due, badges and standing."""

from __future__ import annotations

from flask import Blueprint, redirect, request, url_for

from ..auth import login_required
from ..htmx import render_page
from .loaders import dashboard_page

blueprint = Blueprint("dashboard", __name__)


@blueprint.get("/")
def root():
    """The site's front door leads to the dashboard."""
    return redirect(url_for("dashboard.index"))


@blueprint.get("/dashboard")
@login_required
def index():
    """Greeting, stat tiles, continue learning, due items, badges, license and balance."""
    return render_page("dashboard/index.html", **dashboard_page(request.args))
