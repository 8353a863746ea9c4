"""The archive: content the learner no longer has active, and whether it can come back."""

from __future__ import annotations

from flask import Blueprint

from ..auth import login_required
from ..htmx import render_page
from .loaders import load_archive

blueprint = Blueprint("archive", __name__)


@blueprint.get("/archive")
@login_required
def index():
    """Archived items with their status, dates and details; reinstating is an admin's job."""
    return render_page("archive/index.html", "archive/_list.html", view=load_archive())
