"""Views of the archive pages (being built)."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("archive", __name__)
