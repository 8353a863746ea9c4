"""Views of the waitlist pages (being built)."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("waitlist", __name__)
