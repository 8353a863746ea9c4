"""Adding an external certificate: store the image, then CreateCertificateFromUpload."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _

from ..auth import learner_token
from ..gql import Call, OperationFailed, RateLimited, UpstreamUnavailable, instance
from . import uploads
from .forms import ExternalCertificateForm


@dataclass
class Outcome:
    created: object | None = None
    error: str | None = None
    may_exist: bool = False  # the instance did not answer: the certificate may have been added


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


def add_external_certificate(form: ExternalCertificateForm, fields) -> Outcome:
    """Store the uploaded image (if any) and create the certificate; the image goes again if
    the certificate was surely not created."""
    mapped = upload_fields(form, fields)
    if mapped is None:
        return Outcome(
            error=_(
                "This learning platform doesn't take titles for external "
                "certificates, so one can't be added here."
            )
        )
    stored = None
    if form.upload is not None:
        stored = uploads.store(*form.upload)
        asset = url_for("certificates.upload", name=stored, _external=True)
    else:
        asset = form.image_url.data
    keep = False
    try:
        created = instance().mutate(
            Call(
                "CreateCertificateFromUpload", {"asset": asset, "certificateUploadFields": mapped}
            ),
            token=learner_token(),
        )
        keep = True
        uploads.remember(created.id, asset)  # the API won't give the image back
        return Outcome(created=created)
    except OperationFailed as failed:
        return Outcome(error=failed.errors[0].message if failed.errors else str(failed))
    except RateLimited as limited:
        return Outcome(
            error=_(
                "The learning platform is busy. Try again in %(seconds)d seconds.",
                seconds=limited.seconds,
            )
        )
    except UpstreamUnavailable:
        keep = True  # the certificate may point at this image already
        return Outcome(
            may_exist=True,
            error=_(
                "We couldn't reach the learning platform, so we can't tell whether your "
                "certificate was added. Check your certificates before trying again."
            ),
        )
    finally:
        if not keep:
            uploads.discard(stored)
