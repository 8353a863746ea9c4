"""Views of the certificates pages (being built)."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("certificates", __name__)
