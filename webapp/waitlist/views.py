"""The waitlist page: courses the learner waits for, and leaving a waitlist."""

from __future__ import annotations

from flask import Blueprint, url_for

from .. import outcomes
from ..auth import login_required
from ..gql import Call
from ..htmx import render_page, see_other, wants_fragment
from ..once import once_only
from ..pages import load_page
from ..sections import loaded_from
from ..security import plausible_id
from . import leaving
from .forms import LeaveForm

blueprint = Blueprint("waitlist", __name__)


def _find(items: list, content_id: str):
    return next((item for item in items if item.id == content_id), None)


@blueprint.get("/waitlist")
@login_required
def index():
    """UserWaitlist: title, kind, start and enrollment dates, seats and queue length."""
    page = load_page(Call("UserWaitlist"))
    return render_page(
        "waitlist/index.html",
        waitlist=loaded_from(page, "UserWaitlist", page.get("UserWaitlist", [])),
    )


@blueprint.get("/waitlist/<content_id>/leave")
@login_required
def confirm_leave(content_id: str):
    """The confirmation step before leaving, for browsers without JavaScript."""
    if not plausible_id(content_id):
        page, item = load_page(), None
        found = False
    else:
        page = load_page(Call("UserWaitlist"))
        item = _find(page.get("UserWaitlist", []), content_id)
        # Only a waitlist we could read may say "not on it"; otherwise still offer the step.
        found = item is not None or not page.ok("UserWaitlist")
    return render_page(
        "waitlist/confirm_leave.html",
        status=200 if found else 404,
        waitlist_loaded=page.ok("UserWaitlist"),
        item=item,
        found=found,
        content_id=content_id,
    )


@blueprint.post("/waitlist/<content_id>/leave")
@once_only()
@login_required
def leave(content_id: str):
    """Leave a waitlist once confirmed: a fragment for HTMX, else a message and /waitlist."""
    form = LeaveForm()
    form.validate()  # CSRF is already checked app-wide; the hidden fields are only hints
    if form.confirm.data != "yes":
        return see_other(url_for(".confirm_leave", content_id=content_id))
    outcome = leaving.leave_waitlist(content_id)
    title = form.known_title()
    if not wants_fragment():
        # Worded here, in the learner's language (known since sign-in); the waitlist page the
        # learner goes back to reads the instance again, so it shows where they stand.
        if leaving.needs_reread(outcome):
            outcome = leaving.reconcile(outcome, leaving.reread(content_id))
        outcomes.flash_message(leaving.message(outcome, title))
        return see_other(url_for(".index"))
    # The count must match the instance: re-read UserWaitlist rather than subtract one from
    # what the page showed. The page may be stale (another tab, another device), and a `false`
    # or a lost answer says nothing certain about the list. The re-read rides in the chrome's
    # request (the fragment needs the learner's language and the company's strings anyway),
    # so it costs no extra request.
    page = load_page(Call("UserWaitlist"))
    still_listed = leaving.still_listed(page, content_id)
    items = page["UserWaitlist"] if still_listed is not None else None
    outcome = leaving.reconcile(outcome, still_listed)
    # A `false` the re-read confirms (left in another tab) removes the row too; an unknown id
    # or a failure leaves it, and says why.
    removed = outcome.done or outcome.code == leaving.GONE_ALREADY
    if items is not None:
        count = len(items)
    elif form.known_count() is not None:
        # The re-read failed: the page's count, less the one row the instance said it removed.
        count = max(0, form.known_count() - (1 if outcome.done else 0))
    else:
        count = None
    return render_page(
        "waitlist/index.html",
        "waitlist/_leave_result.html",
        status=outcomes.status(outcome, leaving.STATUS),
        row_id=content_id if plausible_id(content_id) else None,
        removed=removed,
        count=count,
        message=leaving.message(outcome, title),
    )
