"""Views of the learning pages (being built)."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("learning", __name__)
