"""Certificates: the learner's list, a certificate's details, the printable transcript,
adding an external certificate, and serving the images learners upload."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, Response, abort, request, session, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from .. import outcomes, resume
from ..auth import login_required
from ..auth.decorators import keeps_typed_input, to_sign_in
from ..gql import Call
from ..htmx import render_page, see_other
from ..pages import load_page
from ..security import plausible_id
from . import external, uploads
from .external import add_external_certificate, certificate_ids, certificates_call
from .forms import TYPED_FIELDS, ExternalCertificateForm, SearchForm, today
from .loaders import load_certificate, load_certificates, load_transcript

blueprint = Blueprint("certificates", __name__)


@blueprint.get("/certificates")
@login_required
def index():
    """The learner's certificates: search and "show expired" live in the URL."""
    form = SearchForm(request.args)
    query, include_expired = form.criteria()
    listing = load_certificates(query, include_expired)
    return render_page(
        "certificates/index.html",
        "certificates/_results.html",
        status=422 if form.errors else 200,
        form=form,
        listing=listing,
    )


@blueprint.get("/certificates/transcript")
@login_required
def transcript():
    """A printable transcript in the columns and date formats the instance's fields set."""
    return render_page("certificates/transcript.html", transcript=load_transcript())


@blueprint.get("/certificates/<certificate_id>")
@login_required
def detail(certificate_id: str):
    """One certificate's details (where View/PDF links lead when the instance has no page)."""
    if not plausible_id(certificate_id):
        abort(404)
    found = load_certificate(certificate_id)
    if found.page.ok("UserCertificates") and found.row is None:
        abort(404)
    return render_page("certificates/detail.html", found=found)


@blueprint.route("/certificates/new", methods=["GET", "POST"])
@keeps_typed_input(".new", TYPED_FIELDS)
@login_required
def new():
    """Add a certificate earned elsewhere, from an uploaded image or an https link."""
    form = ExternalCertificateForm()
    if request.method == "GET":
        page = load_page(Call("UserCertificateFields"))
        file_note = _("A browser can't keep a chosen file, so choose the image again.")
        typed = resume.take(url_for(".new"), file_note)
        if typed is not None:
            form = ExternalCertificateForm(formdata=typed)  # as typed: not judged yet
        return _form_page(form, page)
    page = load_page(Call("UserCertificateFields"), certificates_call())
    if not form.validate_on_submit():
        return _form_page(form, page, status=413 if form.too_large else 422)
    if page.failure is not None or not page.ok("UserCertificateFields"):
        message = _(
            "We couldn't reach the learning platform, so nothing was added. Try again in a moment."
        )
        return _form_page(form, page, status=503, error=message)
    outcome = add_external_certificate(
        form, page["UserCertificateFields"], before=certificate_ids(page)
    )
    message = external.message(outcome, form)
    if not outcome.done:
        status = outcomes.status(outcome, external.STATUS)
        return _form_page(
            form, page, status, error=message.text, may_exist=outcome.kind == outcomes.LOST
        )
    outcomes.flash_message(message)
    created = outcome.value
    expired = created.expiration_date is not None and created.expiration_date <= datetime.now(UTC)
    return see_other(url_for("certificates.index", **({"expired": 1} if expired else {})))


@blueprint.errorhandler(RequestEntityTooLarge)
def too_large(_error):
    """A body over the app's limit is refused before it is read: say so on the form."""
    if not session.get("token"):
        return to_sign_in()
    form = ExternalCertificateForm(formdata=None)
    form.image.errors = [
        _("The image is larger than %(mb)d MB. Choose a smaller one.", mb=uploads.MAX_BYTES >> 20)
    ]
    page = load_page(Call("UserCertificateFields"))
    return _form_page(form, page, status=413, error=_("Nothing was added: the file was too large."))


def _form_page(form, page, status: int = 200, error: str | None = None, may_exist: bool = False):
    return render_page(
        "certificates/new.html",
        status=status,
        form=form,
        fields_loaded=page.ok("UserCertificateFields"),
        error=error,
        may_exist=may_exist,
        today=today(),
        max_image_mb=uploads.MAX_BYTES >> 20,
    )


@blueprint.get("/uploads/<name>")
def upload(name: str):
    """An image uploaded for an external certificate: served without a session, since the
    instance fetches it, but a learner's own document, so no shared cache keeps a copy."""
    image = uploads.read(name)
    if image is None:
        abort(404)
    response = Response(image, mimetype=uploads.content_type(name))
    response.cache_control.private = True
    response.cache_control.max_age = 86_400
    response.set_etag(name.split(".")[0])  # a name's bytes never change: it is never reused
    response.headers["Content-Disposition"] = "inline"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response.make_conditional(request, accept_ranges=True, complete_length=len(image))
