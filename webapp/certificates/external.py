"""Adding an external certificate: store the image, then CreateCertificateFromUpload; when its
answer is lost, read the learner's certificates again to learn whether it was added."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from .. import outcomes
from ..auth import learner_token
from ..gql import Call, PageData, instance
from ..outcomes import BUSY, DONE, LOST, NOT_FOUND, REFUSED, UNAVAILABLE, Message, Outcome
from . import uploads
from .forms import ExternalCertificateForm

NO_TITLE_FIELD = (REFUSED, "no-title-field")  # refused here: the instance can't take a title
# The form answers 422 for whatever kept the certificate from being added, but a lost answer.
STATUS = {REFUSED: 422, NOT_FOUND: 422, BUSY: 422}


def certificates_call() -> Call:
    """The learner's certificates, expired ones too. The form's POST reads them with its page
    data (no extra request), so that a lost answer can be settled by what is new afterwards."""
    return Call("UserCertificates", {"includeExpiredCertificates": True})


def certificate_ids(page: PageData) -> set[str] | None:
    """The ids of the certificates the learner had before adding (None: unknown)."""
    key = certificates_call().result_key
    if not page.ok(key):
        return None
    return {cert.id for cert in page[key] if cert}


def upload_fields(form: ExternalCertificateForm, fields) -> list[dict] | None:
    """The form's values as CertificateUploadFields, by the instance's field ids and types.

    None when the instance has no field for the title: the certificate would lose it.
    """
    by_type: dict[str, str] = {}
    for spec in fields or []:
        if spec:
            by_type.setdefault(spec.type, spec.id)
    date_type = "contentCompletionDate" if "contentCompletionDate" in by_type else "dateLabel"
    values: dict[str, dict] = {
        "courseLabel": {"value": form.title.data},
        date_type: {"date": form.completed_on.data.isoformat()},
    }
    if form.expires_on.data:
        values["expirationDateLabel"] = {"date": form.expires_on.data.isoformat()}
    if form.identifier.data:
        values["identifier"] = {"value": form.identifier.data}
    if "courseLabel" not in by_type:
        return None
    return [
        {"certificateFieldId": by_type[kind], "type": kind, **value}
        for kind, value in values.items()
        if kind in by_type
    ]


def add_external_certificate(
    form: ExternalCertificateForm, fields, before: set[str] | None = None
) -> Outcome:
    """Store the uploaded image (if any) and create the certificate; the image goes again if
    the certificate was surely not created. `before`: the ids of the learner's certificates
    before this one (certificate_ids), to tell it apart if the answer is lost."""
    mapped = upload_fields(form, fields)
    if mapped is None:
        return Outcome(REFUSED, code=NO_TITLE_FIELD[1])
    stored = None
    if form.upload is not None:
        stored = uploads.store(*form.upload)
        asset = url_for("certificates.upload", name=stored, _external=True)
    else:
        asset = form.image_url.data
    try:
        outcome = outcomes.send(
            Call("CreateCertificateFromUpload", {"asset": asset, "certificateUploadFields": mapped})
        )
    except BaseException:  # signed out meanwhile (AuthRequired): nothing was created
        uploads.discard(stored)
        raise

    def found_new():
        found = _find_new(form, before)
        return False if found is _ABSENT else found

    # A lost answer: the certificate may point at this image already, or come to (the instance
    # may still be working on it while we look), so the image stays whatever the re-read shows.
    lost = outcome.kind == LOST
    outcome = outcomes.reconcile(outcome, found_new)
    if outcome.done:
        uploads.remember(outcome.value.id, asset)  # the API won't give the image back
    elif not lost:
        uploads.discard(stored)  # surely not created
    return outcome


def message(outcome: Outcome, form: ExternalCertificateForm) -> Message:
    """What the learner is told, in their language."""
    wording: outcomes.Wording = {
        DONE: lambda o: _(
            "“%(title)s” is now in your certificates.",
            title=o.value.external_resource_title or form.title.data,
        ),
        NO_TITLE_FIELD: lambda o: _(
            "This learning platform doesn't take titles for external "
            "certificates, so one can't be added here."
        ),
        REFUSED: lambda o: o.reason,  # the instance's own words, about the form's values
        NOT_FOUND: lambda o: o.reason,
        BUSY: lambda o: _(
            "The learning platform is busy. Try again in %(seconds)d seconds.",
            seconds=o.retry_after,
        ),
        UNAVAILABLE: lambda o: _(
            "We couldn't reach the learning platform, so your certificate wasn't "
            "added. Try again in a moment."
        ),
        LOST: lambda o: _(
            "We couldn't reach the learning platform, so we can't tell whether your "
            "certificate was added. Check your certificates before trying again."
        ),
    }
    return outcomes.word(outcome, wording)


_ABSENT = object()  # the re-read shows no such certificate


def _find_new(form: ExternalCertificateForm, before: set[str] | None):
    """The certificate this form created, as the instance lists it now; _ABSENT when it surely
    isn't there, None when that can't be told (no answer again, or no list from before to
    tell a new certificate from one added earlier with the same title).

    The mutation dropped the learner's cached certificates (operations.CHANGES), so this is
    a fresh read."""
    call = certificates_call()
    page = instance().fetch(call, token=learner_token())
    if not page.ok(call.result_key) or call.result_key in page.dated:
        return None
    title = (form.title.data or "").strip()
    identifier = (form.identifier.data or "").strip()
    matching = [
        cert
        for cert in page[call.result_key]
        if cert
        and cert.is_external
        and (cert.external_resource_title or "").strip() == title
        and (not identifier or (cert.identifier or "").strip() == identifier)
    ]
    if before is None:
        return None if matching else _ABSENT
    new = [cert for cert in matching if cert.id not in before]
    return new[0] if new else _ABSENT
