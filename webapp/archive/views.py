"""The archive: content the learner set aside or no longer has, moving items in and out."""

from __future__ import annotations

from typing import NamedTuple

from flask import Blueprint, url_for

from .. import outcomes
from ..auth import login_required
from ..gql import Call
from ..htmx import current_path, render_page, see_other, wants_fragment
from ..learning.forms import FilterForm, filters_in
from ..learning.loaders import load_listing
from ..pages import load_page
from ..security import plausible_id
from . import actions
from .forms import ArchiveChangeForm
from .loaders import load_archive

blueprint = Blueprint("archive", __name__)


@blueprint.get("/archive")
@login_required
def index():
    """Archived items with their status and dates; restore the ones that can come back."""
    return render_page("archive/index.html", "archive/_list.html", view=load_archive())


@blueprint.get("/learning/<item_id>/archive")
@login_required
def confirm_archive(item_id: str):
    """The confirmation step before archiving, for browsers without JavaScript."""
    item = None
    if plausible_id(item_id):
        page = load_page(Call("UserContentItems"))
        listed = page.get("UserContentItems", [])
        item = next((i for i in listed if i and i.id == item_id), None)
        # Only a list we could read may say "not there"; otherwise still offer the step.
        found = item is not None or not page.ok("UserContentItems")
    else:
        page, found = load_page(), False
    return _confirmation(actions.ARCHIVE, item_id, page, item, found)


@blueprint.post("/learning/<item_id>/archive")
@login_required
def archive_item(item_id: str):
    """Move an item of My learning to the archive, once confirmed."""
    done = _confirmed(actions.ARCHIVE, item_id, ".confirm_archive", "learning.index")
    if not isinstance(done, _Done):
        return done
    form, outcome, message = done
    # The pages on screen again, as the instance has them now: every count, tab and group
    # follows, and the re-read rides in the request the fragment makes for its chrome anyway.
    filters = filters_in(current_path())
    listing = load_listing(filters, last_page=form.known_pages())
    return render_page(
        "learning/index.html",
        "learning/_archived.html",
        outcomes.status(outcome, actions.STATUS),
        listing=listing,
        form=FilterForm.showing(filters),
        message=message,
    )


@blueprint.get("/archive/<item_id>/restore")
@login_required
def confirm_restore(item_id: str):
    """The confirmation step before restoring, for browsers without JavaScript."""
    view = load_archive() if plausible_id(item_id) else None
    entry = view.find(item_id) if view else None
    found = entry is not None or (view is not None and not view.page.ok("UserArchives"))
    if view is None:
        load_page()
    return _confirmation(actions.RESTORE, item_id, view.page if view else None, entry, found)


@blueprint.post("/archive/<item_id>/restore")
@login_required
def restore_item(item_id: str):
    """Bring an archived item back to My learning, once confirmed."""
    done = _confirmed(actions.RESTORE, item_id, ".confirm_restore", ".index")
    if not isinstance(done, _Done):
        return done
    _form, outcome, message = done
    return render_page(
        "archive/index.html",
        "archive/_restored.html",
        outcomes.status(outcome, actions.STATUS),
        view=load_archive(),
        message=message,
    )


def _confirmation(action: str, item_id: str, page, item, found: bool):
    """The no-JavaScript confirmation step; `item` has the title and kind, when known."""
    return render_page(
        "archive/confirm.html",
        status=200 if found else 404,
        action=action,
        page=page,
        item_id=item_id,
        title=item.title if item else None,
        kind=item.kind if item else None,
        found=found,
    )


class _Done(NamedTuple):
    form: ArchiveChangeForm
    outcome: outcomes.Outcome
    message: outcomes.Message


def _confirmed(action: str, item_id: str, confirm_endpoint: str, back_endpoint: str):
    """Archive or restore once confirmed: the page to go to for a plain form (or for an
    unconfirmed post, the confirmation step), else what happened for the HTMX answer."""
    form = ArchiveChangeForm()
    form.validate()  # CSRF is checked app-wide; the hidden fields are only hints
    if form.confirm.data != "yes":
        return see_other(url_for(confirm_endpoint, item_id=item_id))
    outcome = actions.change(action, item_id, form.known_kind())
    message = actions.message(action, outcome, form.known_title())
    if not wants_fragment():
        outcomes.flash_message(message)
        return see_other(url_for(back_endpoint))
    return _Done(form, outcome, message)
