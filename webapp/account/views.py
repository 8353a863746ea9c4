"""The learner's account: profile, terms and conditions, and the license switcher."""

from __future__ import annotations

import re

from flask import Blueprint, flash, url_for
from flask_babel import gettext as _

from .. import outcomes
from ..auth import login_required
from ..gql import Call
from ..htmx import render_page, see_other
from ..once import once_only
from ..pages import load_page
from ..sections import loaded_from
from ..security import safe_next
from . import license_switch
from .forms import LicenseForm

blueprint = Blueprint("account", __name__)

MAX_NEXT = 2048
_BLANK_LINES = re.compile(r"\n\s*\n")


@blueprint.get("/profile")
@login_required
def profile():
    """The learner's details, licenses, balance and progress counts (read-only)."""
    page = load_page(Call("CurrentUserForProfile"))
    return render_page(
        "account/profile.html",
        "account/_profile.html",
        learner=loaded_from(page, "CurrentUser"),
        account=page["CurrentUserForProfile"],
    )


@blueprint.get("/terms")
def terms():
    """The instance's terms and conditions, signed in or not."""
    page = load_page(Call("TermsAndConditions"))
    found = page["TermsAndConditions"]
    text = (found.global_terms or "") if found else ""
    paragraphs = [
        p.strip()
        for p in _BLANK_LINES.split(text.replace("\r\n", "\n").replace("\r", "\n"))
        if p.strip()
    ]
    return render_page(
        "account/terms.html",
        "account/_terms.html",
        terms=loaded_from(page, "TermsAndConditions", paragraphs),
    )


@blueprint.post("/license")
@once_only()
@login_required
def switch_license():
    """Make one of the learner's allocated licenses the active one, then go back."""
    form = LicenseForm()
    destination = _back_to(form.next.data)
    if not form.validate_on_submit():
        flash(_("Choose one of your licenses."), "error")
        return see_other(destination)
    # The instance checks the license is the learner's own (FORBIDDEN / NOT_FOUND otherwise),
    # so the action costs the mutation alone (and a re-read if its answer is lost); the page we
    # return to shows the license the instance has active.
    outcome = license_switch.switch_license(form.license_id.data.strip())
    outcomes.flash_message(license_switch.message(outcome))
    return see_other(destination)


def _back_to(next_value: object) -> str:
    """Where the learner was: one of our own pages (never this POST-only URL), else home."""
    home = url_for("dashboard.index")
    if isinstance(next_value, str) and len(next_value) > MAX_NEXT:
        return home
    destination = safe_next(next_value, home)
    if destination.split("?", 1)[0] == url_for("account.switch_license"):
        return home
    return destination
