"""The learner's account: profile, terms and conditions, and the license switcher."""

from __future__ import annotations

import re

from flask import Blueprint, flash, url_for
from flask_babel import gettext as _

from ..auth import learner_token, login_required
from ..gql import Call, OperationFailed, RateLimited, UpstreamUnavailable, instance
from ..htmx import render_page, see_other
from ..i18n import t
from ..once import once_only
from ..pages import load_page
from ..security import safe_next
from .forms import LicenseForm

blueprint = Blueprint("account", __name__)

MAX_NEXT = 2048
_BLANK_LINES = re.compile(r"\n\s*\n")
# What a license switch reports to the learner; AuthRequired goes on to sign-in.
_FAILURES = (OperationFailed, RateLimited, UpstreamUnavailable)


@blueprint.get("/profile")
@login_required
def profile():
    """The learner's details, licenses, balance and progress counts (read-only)."""
    page = load_page(Call("CurrentUserForProfile"))
    return render_page("account/profile.html", "account/_profile.html", page=page)


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
        "account/terms.html", "account/_terms.html", page=page, paragraphs=paragraphs
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
    # so the action costs the mutation alone; the page we return to shows the new license.
    try:
        instance().mutate(
            Call("SelectCurrentUserActiveLicense", {"licenseId": form.license_id.data.strip()}),
            token=learner_token(),
        )
    except _FAILURES as failure:
        flash(_failure_message(failure), "error")
        return see_other(destination)
    flash(t("license.switched", "Your active license has changed."), "success")
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


def _failure_message(failure: Exception) -> str:
    if isinstance(failure, OperationFailed) and failure.code in ("FORBIDDEN", "NOT_FOUND"):
        return _("That license isn't one of yours, so your active license didn't change.")
    if isinstance(failure, OperationFailed):
        return _("Your active license didn't change: %(reason)s", reason=failure.errors[0].message)
    if isinstance(failure, RateLimited):
        return _(
            "The learning platform is busy, so your active license didn't change. "
            "Try again in %(seconds)d seconds.",
            seconds=failure.seconds,
        )
    return _(
        "We couldn't reach the learning platform, so your active license didn't change. "
        "Try again in a moment."
    )
