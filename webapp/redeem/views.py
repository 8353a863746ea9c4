"""Redeem codes: several at once, each checked as it is typed, then redeemed together."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, redirect, request, session, url_for

from .. import outcomes, resume
from ..auth import login_required
from ..auth.decorators import keeps_typed_input
from ..gql import Call
from ..htmx import render_page, see_other, wants_fragment
from ..once import once_only
from ..pages import load_fragment_strings, load_page
from ..progress import ItemList, load_with_progress
from ..sections import loaded_from
from ..throttles import code_checks
from . import codes as c
from . import redemption
from .forms import EMPTY, NO_MORE_BOXES, NONE_VALID, TOO_MANY, RedeemForm, form_problem

blueprint = Blueprint("redeem", __name__)


def _form_page(
    boxes: list[c.Box],
    *,
    problem: str | None = None,
    entered: int = 0,
    message: outcomes.Message | None = None,
    status: int = 200,
    fragment: str | None = None,
    page=None,
):
    """The redeem page (or, for HTMX, `fragment`), with what became of redeeming (`message`)
    or the form's `problem` (forms.form_problem), worded once the chrome has settled the
    learner's language."""
    page = load_page() if page is None else page
    if problem is not None:
        message = form_problem(problem, max_codes=c.MAX_CODES, entered=entered)
    return render_page(
        "redeem/index.html",
        fragment,
        status=status,
        page=page,
        boxes=boxes,
        message=message,
        max_codes=c.MAX_CODES,
    )


def _boxes(codes: list[str], verdicts: list[c.Verdict]) -> list[c.Box]:
    """One box per code, in order, with its verdict; plus an empty box when there is none."""
    boxes = [c.Box(i, v.code, [v], check_on_load=v.status is None) for i, v in enumerate(verdicts)]
    return boxes or [c.Box(0, "")]


@blueprint.get("/redeem")
@blueprint.get("/redeem/<code>")
@login_required
def index(code: str | None = None):
    """The redeem form; /redeem/<code> (a link from an email) arrives with the code filled in.

    Nothing is checked here (checking is a mutation): with JavaScript the box checks itself
    once the page is up; without, "Check codes" or "Redeem" does.
    """
    page = load_page()  # first: should the session have ended, what was typed stays kept
    typed = resume.take(url_for(".index")) if code is None else None
    if typed is not None:
        return _retyped(typed, page)
    codes = c.split_codes(code or "")
    if len(codes) > c.MAX_CODES:
        return _form_page([c.Box(0, code or "")], problem=TOO_MANY, status=422, page=page)
    return _form_page(_boxes(codes, c.judge(codes, ask=False)), page=page)


def _retyped(typed, page):
    """The boxes as the learner left them when their session ended (checked again with JS)."""
    values = [value for _index, value in RedeemForm.boxes(typed)]
    boxes = [c.Box(i, value, check_on_load=bool(value.strip())) for i, value in enumerate(values)]
    codes = [code for value in values for code in c.split_codes(value)]
    if len(values) > c.MAX_CODES or len({c.key(code) for code in codes}) > c.MAX_CODES:
        return _form_page(boxes, problem=TOO_MANY, entered=len(codes), page=page)
    return _form_page(boxes or [c.Box(0, "")], page=page)


@blueprint.post("/redeem")
@once_only(session_keys=("redeem_result",))
@keeps_typed_input(".index", RedeemForm.is_box)
@login_required
@code_checks
def submit():
    """Redeem every valid code ("Redeem"), or only check them, or add a box; no JS needed."""
    form = RedeemForm()
    action = form.chosen_action()
    values = form.box_values()
    codes = [code for value in values for code in c.split_codes(value)]
    if len(values) > c.MAX_CODES or len({c.key(code) for code in codes}) > c.MAX_CODES:
        # Show what was sent, unchecked: nothing is asked or redeemed until it fits.
        boxes = [c.Box(i, value) for i, value in enumerate(values)] or [c.Box(0, "")]
        return _form_page(boxes, problem=TOO_MANY, status=422, entered=len(codes))
    if action == "add":
        boxes = _boxes(codes, c.judge(codes, ask=False))  # verdicts already known; none asked
        problem = None
        if not codes:
            boxes = []
        if len(boxes) >= c.MAX_CODES:
            problem = NO_MORE_BOXES
        else:
            boxes.append(c.Box(len(boxes), "", autofocus=True))
        return _form_page(boxes, problem=problem, fragment="redeem/_code_list.html")
    if not codes:
        return _form_page([c.Box(0, "")], problem=EMPTY, status=422)
    # Redeeming asks afresh: RedeemRegistrationAndRedemptionCodes is all or nothing, so one
    # code that stopped being valid since it was checked would sink all the others.
    verdicts = c.judge(codes, fresh=action == "redeem")
    boxes = _boxes(codes, verdicts)
    if action == "check":
        return _form_page(boxes)
    valid = [v.code for v in verdicts if v.redeemable]
    if not valid:
        return _form_page(boxes, problem=NONE_VALID, status=422)
    before = c.snapshot()
    outcome = redemption.redeem(valid)
    if not outcome.done:
        if redemption.needs_fresh_checks(outcome):
            c.forget(valid)  # something changed upstream, or may have: check them again next time
        return _form_page(
            boxes,
            message=redemption.message(outcome),
            status=outcomes.status(outcome, redemption.STATUS),
        )
    c.forget(valid)
    session["redeem_result"] = {
        "redeemed": [
            [v.code, "registration" if v.status == c.VALID_REGISTRATION else "redemption"]
            for v in verdicts
            if v.redeemable
        ],
        # A repeat went in with its first copy; it is no skipped code.
        "skipped": [[v.code, v.status] for v in verdicts if v.problem and v.status != c.DUPLICATE],
        "items": before.items,
        "licenses": before.licenses,
    }
    return see_other(url_for(".done"))


@blueprint.post("/redeem/check")
@keeps_typed_input(".index", RedeemForm.is_box)
@login_required
@code_checks
def check():
    """Check one code box as it is typed: its verdict for HTMX, else the form holding it.

    `?part=status` answers with the verdict alone (for the live region next to a box being
    typed in, so the box itself is never replaced under the learner's fingers); otherwise
    the whole box, with aria-invalid set, once the learner has left it.
    """
    boxes = RedeemForm.boxes()
    index, value = boxes[0] if boxes else (0, "")
    # The verdict needs the company's strings; only a full page (no JavaScript) needs the chrome.
    page = load_page() if not wants_fragment() else load_fragment_strings()
    codes = c.split_codes(value)
    if len(codes) > c.MAX_CODES:
        box = c.Box(index, value, note="too-many")
    else:
        box = c.Box(index, value, c.judge(codes))
    if not wants_fragment():
        box.index = 0
    part = "status" if request.args.get("part") == "status" else "field"
    return render_page(
        "redeem/index.html",
        f"redeem/_code_{part}.html",
        page=page,
        boxes=[box],
        box=box,
        message=None,
        max_codes=c.MAX_CODES,
    )


@blueprint.get("/redeemed")
@login_required
def done():
    """What the codes unlocked: the learner's items that were not there before redeeming.

    A learner wants to see what they got and open it, so this reads UserContentItems once
    (the chrome's CurrentUser brings the licenses) and shows only what is new, with the codes
    that were skipped and why.
    """
    result = session.get("redeem_result")
    if not isinstance(result, dict):
        return redirect(url_for(".index"))
    before_items = set(result["items"]) if isinstance(result.get("items"), list) else None
    items_list = ItemList(Call("UserContentItems"))

    def new_ones(lists, _state):
        return [e for e in lists["items"] if before_items is not None and e.id not in before_items]

    page, book = load_with_progress(
        items_list.call, lists={"items": items_list}, choose=new_ones, load=load_page
    )
    new_items = None
    if page.ok("UserContentItems") and before_items is not None:
        new_items = [
            book.card(item, datetime.now(UTC))
            for item in items_list.items(page["UserContentItems"])
            if item.id not in before_items
        ]
    new_licenses = []
    user = page["CurrentUser"]
    if user is not None and result.get("licenses") is not None:
        before = set(result["licenses"])
        new_licenses = [
            a.license.name
            for a in user.allocated_licenses or []
            if a and a.license and a.license_id not in before
        ]
    return render_page(
        "redeem/done.html",
        result=result,
        new_items=loaded_from(page, "UserContentItems", new_items),
        new_licenses=new_licenses,
        skipped=[c.Verdict(code, status) for code, status in result.get("skipped") or []],
    )
