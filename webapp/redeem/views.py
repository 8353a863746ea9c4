"""Views of the redeem pages (being built)."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("redeem", __name__)
