"""The language picker: a learner's explicit choice wins over their profile and browser."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, session, url_for
from flask_babel import gettext as _

from .i18n import supported_language
from .security import safe_next

blueprint = Blueprint("language", __name__)


@blueprint.post("/language")
def choose():
    """Remember the picked language (one Atrium speaks) and go back to the page."""
    code = supported_language(request.form.get("lang"))
    destination = safe_next(request.form.get("next"), url_for("dashboard.index"))
    if code is None:
        flash(_("That language isn't available."), "error")
        return redirect(destination, 303)
    session["lang"] = code
    return redirect(destination, 303)
