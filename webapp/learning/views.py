"""My learning, a course's details, using credits on a course, and a learning path's awards."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from flask import Blueprint, current_app, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from .. import outcomes
from ..auth import login_required
from ..embed.views import TWIN
from ..htmx import current_path, render_page, see_other, swap_target, wants_fragment
from ..once import once_only
from ..pages import load_page
from ..security import plausible_id, safe_next, safe_url
from . import credits
from .forms import SLUG_PATTERN, UUID_PATTERN, UseCreditsForm, filters_in, parse_filters
from .loaders import Redemption, learning_page, load_details, load_path, load_redemption

blueprint = Blueprint("learning", __name__)


@blueprint.get("/learning")
@login_required
def index():
    """The learner's items by status, a page at a time: kind and status tabs, search and sort,
    all held in the URL."""
    filters = parse_filters(request.args)
    if not filters.notes and sorted(request.args.items(multi=True)) != filters.query_items():
        # Empty or stray arguments (an empty search box): the same page at its clean address.
        return redirect(url_for("learning.index", **filters.args()))
    context = learning_page(request.args)
    listing = context["listing"]
    if listing.ok and filters.page > listing.page_count:
        if wants_fragment():  # "Show more" past the end (items left meanwhile): nothing more
            return render_page(
                "learning/index.html", "learning/_more.html", listing=listing, shown_from=0
            )
        return redirect(url_for("learning.index", **filters.args(page=listing.page_count)))
    more = wants_fragment() and swap_target() == "result-pages"
    return render_page(
        "learning/index.html",
        "learning/_more.html" if more else "learning/_results.html",
        **context,
        # "Show more" appends to the pages on screen, which start where that address does.
        shown_from=listing.shown_before_page(filters_in(current_path()).page) if more else None,
    )


@blueprint.get("/learning/<course_id>/details")
@login_required
def details(course_id: str):
    """A course card's details: the learner's award counts and discussion posts in it."""
    if not plausible_id(course_id):
        return _not_found(_("There is no course with that address in your learning."))
    if request.args.get("collapse"):
        # "Hide details" needs nothing from the instance: the card's collapsed control.
        if wants_fragment():
            return render_page("learning/_details.html", course_id=course_id, details=None)
        return redirect(url_for("learning.index", _anchor=f"card-{course_id}"))
    found = load_details(course_id, with_item=not wants_fragment())
    status = 404 if found.not_found else 200
    return render_page(
        "learning/details.html",
        "learning/_details.html",
        status,
        details=found,
        course_id=course_id,
    )


@blueprint.route("/learning/<course_id>/redeem-balance", methods=["GET", "POST"])
@once_only()
@login_required
def redeem_balance(course_id: str):
    """Use my credits on a course: confirm first, then RedeemBalance, then where it leads."""
    if not UUID_PATTERN.match(course_id):
        return _not_found(_("There is no course with that address in your learning."))
    form = UseCreditsForm()
    came_from = _came_from()
    found = load_redemption(course_id)
    if found.item is None:
        if not found.page.ok("UserContentItems"):
            return _page_missing(found, came_from)
        return _not_found(
            _("That course isn't in your learning, so it can't be bought with credits."),
            loaded=True,
        )
    if request.method == "POST" and form.validate_on_submit() and form.confirmed.data == "yes":
        return _redeem(found, form, came_from)
    return render_page(
        "learning/redeem.html",
        "learning/_redeem_confirm.html",
        redemption=found,
        form=form,
        came_from=came_from,
    )


@blueprint.get("/paths/<slug>")
@login_required
def path(slug: str):
    """A learning path: its milestones and courses with the learner's progress, and awards."""
    if not SLUG_PATTERN.match(slug):
        return _not_found(_("There is no learning path at this address."))
    view = load_path(slug)
    if view.not_found:
        return _not_found(_("There is no learning path at this address."), loaded=True)
    return render_page("learning/path.html", view=view)


# -- helpers -----------------------------------------------------------------------------------


def _redeem(found: Redemption, form: UseCreditsForm, came_from: str):
    outcome = credits.buy(found)
    message = credits.message(outcome, found)
    if outcome.kind == outcomes.NOT_FOUND:
        return _not_found(message.text, loaded=True)
    if outcome.done:
        outcomes.flash_message(message)
        return see_other(after_purchase(outcome.value, came_from))
    if outcome.kind == outcomes.LOST:
        # It may or may not have happened: send the learner to a fresh read of the state.
        outcomes.flash_message(message)
        return see_other(came_from)
    return render_page(
        "learning/redeem.html",
        "learning/_redeem_result.html",  # HTMX: why nothing was charged, in the course's card
        outcomes.status(outcome, credits.STATUS),
        redemption=found,
        form=form,
        came_from=came_from,
        message=message,
        error=message.text,
    )


def _came_from() -> str:
    """The page the learner used their credits from, to return to: the confirmation form's
    `next`, else the page an HTMX request came from, else the referring page; only our own
    pages (never this one), else My learning."""
    for candidate in (request.form.get("next"), current_path(), _referrer_path()):
        page = _return_page(candidate)
        if page:
            return page
    return url_for("learning.index")


def _return_page(value: object) -> str | None:
    path = safe_next(value, "")
    if not path:
        return None
    page = _our_page(path)
    if page is None or _endpoint_of(page) in (None, "learning.redeem_balance"):
        return None
    return page


def _referrer_path() -> str | None:
    """The referring page's path and query, when it is a page of this site."""
    referrer = request.referrer
    if not referrer:
        return None
    try:
        parts = urlsplit(referrer)
    except ValueError:  # a malformed header (`http://[`) names no page of ours
        return None
    if (parts.scheme.lower(), parts.netloc.lower()) != (request.scheme, request.host.lower()):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


# Where the instance sends a learner after a purchase when it has nothing particular to show.
LISTINGS = frozenset({"dashboard.root", "dashboard.index", "learning.index"})


def after_purchase(returned: object, came_from: str) -> str:
    """Where to go once the credits are spent. RedeemBalance's URL is followed when it leads
    to something to open (the course on the instance, say); when it names one of our lists
    (the dashboard, My learning), the learner goes back to the page and filters they left."""
    target = follow_target(returned, came_from)
    return came_from if _endpoint_of(target) in LISTINGS else target


def follow_target(returned: object, fallback: str) -> str:
    """Where RedeemBalance says to go: one of our pages, or a page on the instance.

    A relative URL must pass safe_next; it leads to our page at that path (its embedded twin,
    inside a portal) or, if we have none, to that path on the instance. An absolute URL is
    followed only to the instance. Anything else goes to `fallback`.
    """
    if not isinstance(returned, str) or not returned.strip():
        return fallback
    if returned.startswith("/"):
        path = safe_next(returned, "")
        if not path:
            return fallback
        home = current_app.config.get("TI_INSTANCE_URL")
        return _our_page(path) or (urljoin(home + "/", path) if home else fallback)
    url = safe_url(returned)
    home = current_app.config.get("TI_INSTANCE_URL") or ""
    if url and home and _origin(url) == _origin(home):
        return url
    return fallback


def _our_page(path: str) -> str | None:
    parts = urlsplit(path)
    try:
        endpoint, values = current_app.create_url_adapter(request).match(parts.path, "GET")
    except HTTPException:
        return None
    return url_for(endpoint, **values) + (f"?{parts.query}" if parts.query else "")


def _endpoint_of(path: str) -> str | None:
    """The endpoint one of our paths leads to (an embedded twin counts as its original)."""
    if not path.startswith("/") or path.startswith("//"):
        return None
    try:
        endpoint, _values = current_app.create_url_adapter(request).match(
            urlsplit(path).path, "GET"
        )
    except HTTPException:
        return None
    return endpoint.removeprefix(TWIN)


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def _not_found(message: str, *, loaded: bool = False):
    """A friendly 404 in the learner's chrome (one upstream request, for the chrome)."""
    if not loaded:
        load_page()
    return render_page("learning/not_found.html", "learning/_not_found.html", 404, message=message)


def _page_missing(found: Redemption, came_from: str):
    return render_page(
        "learning/redeem.html",
        "learning/_redeem_confirm.html",
        redemption=found,
        form=UseCreditsForm(),
        came_from=came_from,
    )
