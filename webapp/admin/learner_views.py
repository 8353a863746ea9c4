"""Learners: create one (CreateLearner), or many from a CSV file (CreateLearners, in batches).

Upload -> preview with every row's problems -> confirm -> created batch by batch -> a report of
every row (downloadable as CSV). Between preview and confirmation the parsed file waits
server-side (pending.py).
"""

from __future__ import annotations

from collections import Counter

from flask import Response, current_app, flash, g, redirect, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from .. import outcomes, resume
from ..auth import learner_token
from ..auth.decorators import keeps_typed_input, to_sign_in
from ..gql import (
    AuthRequired,
    Call,
    OperationFailed,
    PageData,
    RateLimited,
    UpstreamUnavailable,
    instance,
)
from ..htmx import render_page, see_other
from ..once import once_only
from . import pending
from .access import admin_required, load_admin, require_admin
from .forms import OTHER, TYPED_LEARNER_FIELDS, ActionForm, CreateLearnerForm, ImportForm
from .learner_import import (
    ALREADY_THERE,
    CREATED,
    INVALID,
    MAX_BYTES,
    NOT_SENT,
    REFUSED,
    STATUS_TONES,
    STATUS_WORDS,
    UNCONFIRMED,
    BatchNotSent,
    BatchRefused,
    BatchUnconfirmed,
    ImportFileError,
    RowResult,
    max_rows,
    parse_csv,
    report_csv,
    run_import,
)
from .views import blueprint

STATUS_ORDER = (CREATED, ALREADY_THERE, REFUSED, INVALID, UNCONFIRMED, NOT_SENT)


def _no_upload() -> str:
    return _("There is no upload waiting: it was imported, cancelled, or is over an hour old.")


def _owner() -> str:
    return g.admin_user.id


def _render_learners(
    page: PageData,
    create_form: CreateLearnerForm | None = None,
    import_form: ImportForm | None = None,
    *,
    status: int = 200,
    refusal: dict | None = None,
) -> Response:
    user = page["CurrentUser"]
    if create_form is None:
        create_form = CreateLearnerForm(formdata=None)
        create_form.offer(user)
    return render_page(
        "admin/learners.html",
        status=status,
        page=page,
        form=create_form,
        import_form=import_form or ImportForm(formdata=None),
        refusal=refusal,
        has_upload=pending.has_upload(),
        has_report=pending.has_report(),
        max_mb=MAX_BYTES >> 20,
        max_rows=max_rows(),
        other=OTHER,
    )


@blueprint.get("/learners")
@admin_required
def learners():
    """Create a learner, or import many from a CSV file."""
    page = load_admin()  # first: only an admin gets back what an admin typed here
    form = None
    typed = resume.take(url_for(".learners"))
    if typed is not None:
        form = CreateLearnerForm(formdata=typed)  # as typed: not judged yet
        form.offer(page["CurrentUser"])
    return _render_learners(page, form)


@blueprint.post("/learners")
@once_only()
@keeps_typed_input(".learners", TYPED_LEARNER_FIELDS)
@admin_required
def create_learner():
    """CreateLearner with the chosen client and licenses; the instance's refusal, clearly."""
    page = load_admin()
    form = CreateLearnerForm()
    form.offer(page["CurrentUser"])
    if not form.validate_on_submit():
        return _render_learners(page, form, status=422)
    variables = form.variables()
    outcome = outcomes.send(Call("CreateLearner", variables))
    if not outcome.done:
        return _render_learners(
            page,
            form,
            status=outcomes.status(outcome, CREATE_STATUS),
            refusal=_refusal(outcome, form),
        )
    created = outcome.value
    name = " ".join(p for p in (created.first_name, created.last_name) if p) if created else ""
    outcomes.flash_message(
        outcomes.Message(
            "success",
            _(
                "%(name)s (%(email)s) was created in %(client)s.",
                name=name or variables["email"],
                email=(created.email if created else None) or variables["email"],
                client=created.client.name
                if created and created.client
                else _("the default client"),
            ),
        )
    )
    return see_other(url_for("admin.learners"))


# The form answers 422 for any refusal, and 503 when nothing (or nothing known) was done.
CREATE_STATUS = {outcomes.NOT_FOUND: 422, outcomes.BUSY: 503}

_CREATE_WORDING: outcomes.Wording = {
    (outcomes.REFUSED, "ALREADY_EXISTS"): lambda o: _(
        "The platform refused: a user with this email already exists."
    ),
    (outcomes.REFUSED, "FORBIDDEN"): lambda o: _(
        "The platform does not let your account create learners."
    ),
    outcomes.REFUSED: lambda o: _("The platform refused: %(reason)s", reason=o.reason),
    outcomes.NOT_FOUND: lambda o: _("The platform refused: %(reason)s", reason=o.reason),
    outcomes.BUSY: lambda o: _(
        "The learning platform is busy. Nothing was created; try again in a minute."
    ),
    outcomes.LOST: lambda o: _(
        "The learning platform did not answer, so the learner may or may not have been "
        "created. Try again: if the email is already taken, it was."
    ),
}


def _refusal(outcome: outcomes.Outcome, form: CreateLearnerForm) -> dict:
    """What the instance said, placed where the admin can act on it."""
    message = outcomes.word(outcome, _CREATE_WORDING).text
    if outcome.code == "ALREADY_EXISTS":
        form.email.errors.append(_("A user with this email already exists."))
        return {"message": message}
    if outcome.kind == outcomes.NOT_FOUND and form.client.data == OTHER:
        form.other_client.errors.append(_("The platform has no client with this ID."))
    if outcome.code == "FORBIDDEN" or outcome.kind in (outcomes.BUSY, outcomes.LOST):
        return {"message": message}
    return {"message": message, "problems": [str(p) for p in outcome.details.get("problems") or []]}


# -- bulk import ---------------------------------------------------------------------------------


@blueprint.errorhandler(RequestEntityTooLarge)
def too_large(_error):
    """Bigger than the app accepts at all (checked before any view): the page, 413, saying so.
    Anyone but an admin gets what admin_required gives them (raised in an error handler,
    that refusal would be a 500)."""
    if not learner_token():
        return to_sign_in()
    try:
        return _too_large(ImportForm(formdata=None))  # the body is not read: it is too large
    except Exception as refused:  # not an admin (403), or the instance failing
        return current_app.handle_user_exception(refused)


def _too_large(form: ImportForm) -> Response:
    form.file.errors = [
        _("The file is larger than %(mb)d MB. Split it into smaller files.", mb=MAX_BYTES >> 20)
    ]
    return _render_learners(load_admin(), import_form=form, status=413)


@blueprint.post("/learners/import")
@admin_required
def upload():
    """Check the file and every row; keep it server-side for the preview."""
    page = load_admin()
    form = ImportForm()
    if not form.validate_on_submit():
        return _render_learners(page, import_form=form, status=422)
    upload_file = form.file.data
    data = upload_file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        return _too_large(form)  # nothing is kept
    try:
        parsed = parse_csv(data)
    except ImportFileError as problem:
        form.file.errors.append(str(problem))
        return _render_learners(page, import_form=form, status=422)
    filename = (upload_file.filename or "")[-200:]
    pending.save_upload(parsed, _owner(), filename)
    return see_other(url_for("admin.import_preview"))


@blueprint.get("/learners/import")
@admin_required
def import_preview():
    """Every row of the waiting upload with its problems, and the button to import it."""
    page = load_admin()
    found = pending.load_upload(_owner())
    if found is None:
        flash(_no_upload(), "info")
        return redirect(url_for("admin.learners"), 303)
    parsed, filename = found
    return render_page(
        "admin/import_preview.html",
        page=page,
        parsed=parsed,
        filename=filename,
        form=ActionForm(formdata=None),
    )


def create_batch(learners: list[dict]) -> None:
    """One CreateLearners call, its refusal mapped for run_import (all or nothing upstream)."""
    try:
        instance().mutate(Call("CreateLearners", {"learners": learners}), token=learner_token())
    except OperationFailed as failed:
        named: dict[int, str] = {}
        for error in failed.errors:
            for entry in error.details.get("invalidLearners") or []:
                if isinstance(entry, dict) and isinstance(entry.get("index"), int):
                    problems = entry.get("problems") or []
                    reason = "; ".join(str(p) for p in problems) or error.message
                    named[entry["index"]] = reason
        raise BatchRefused(named or {-1: str(failed)}) from None
    except RateLimited as limited:
        raise BatchNotSent(
            _(
                "the learning platform is busy; import the file again in %(seconds)d seconds",
                seconds=limited.seconds,
            )
        ) from None
    except UpstreamUnavailable:
        # Sent, perhaps done: no query tells whether a learner exists, so the rows say so.
        raise BatchUnconfirmed(
            _(
                "the learning platform did not answer, so these learners may or may not have "
                "been created; import the file again: those created will show as already there"
            ),
            later=_(
                "the learning platform did not answer; import the file again: learners already "
                "created will show as already there"
            ),
        ) from None
    except AuthRequired:
        raise BatchNotSent(_("your sign-in ended; sign in and import the file again")) from None


@blueprint.post("/learners/import/confirm")
@admin_required
def confirm_import():
    """Create the previewed learners in batches; every row ends in the report."""
    require_admin()
    if not ActionForm().validate_on_submit():
        return redirect(url_for("admin.import_preview"), 303)
    found = pending.claim_upload(_owner())
    if found is None:
        flash(_no_upload(), "info")
        return see_other(url_for("admin.learners"))
    parsed, filename = found
    results = run_import(parsed, create_batch)
    pending.save_report(results, _owner(), filename)
    return see_other(url_for("admin.import_report"))


@blueprint.post("/learners/import/cancel")
@admin_required
def cancel_import():
    """Forget the waiting upload; nothing was sent to the platform."""
    require_admin()
    if ActionForm().validate_on_submit() and pending.discard_upload(_owner()):
        flash(_("The upload was discarded. No learners were created."), "info")
    return see_other(url_for("admin.learners"))


@blueprint.get("/learners/import/report")
@admin_required
def import_report():
    """What was created, what was already there, and what the platform refused and why."""
    page = load_admin()
    found = pending.load_report(_owner())
    if found is None:
        flash(_("There is no import report: reports are kept for an hour."), "info")
        return redirect(url_for("admin.learners"), 303)
    results, filename = found
    counts = Counter(r.status for r in results)
    return render_page(
        "admin/import_report.html",
        page=page,
        rows=sorted(results, key=_report_order),
        counts=[
            (STATUS_WORDS[status], STATUS_TONES[status], counts[status])
            for status in STATUS_ORDER
            if counts[status]
        ],
        unconfirmed=counts[UNCONFIRMED],
        not_sent=counts[NOT_SENT],
        filename=filename,
        total=len(results),
    )


def _report_order(result: RowResult) -> tuple[int, int]:
    """Problems first (what needs the admin), then what went well, each in file order."""
    rank = {UNCONFIRMED: 0, NOT_SENT: 1, REFUSED: 2, INVALID: 3, ALREADY_THERE: 4, CREATED: 5}
    return rank.get(result.status, 6), result.line


@blueprint.get("/learners/import/report.csv")
@admin_required
def import_report_csv():
    """The import report as CSV: line, email, status, reason (cells never run as formulas)."""
    require_admin()
    found = pending.load_report(_owner())
    if found is None:
        flash(_("There is no import report: reports are kept for an hour."), "info")
        return redirect(url_for("admin.learners"), 303)
    results, _filename = found
    response = Response(report_csv(results), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="learner-import-report.csv"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
