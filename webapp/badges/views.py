"""Views of the badges pages (being built)."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("badges", __name__)
