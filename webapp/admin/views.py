"""The admin blueprint and its front page."""

from __future__ import annotations

from flask import Blueprint, current_app

from ..htmx import render_page
from .access import admin_required, load_admin
from .coverage import app_keys

blueprint = Blueprint("admin", __name__, url_prefix="/admin")


@blueprint.record_once
def _collect_app_keys(state) -> None:
    app_keys(state.app.root_path)  # scan the sources once, at start


@blueprint.get("/")
@admin_required
def index():
    """What the admin pages offer."""
    load_admin()
    return render_page("admin/index.html")


def webapp_root() -> str:
    return current_app.root_path
