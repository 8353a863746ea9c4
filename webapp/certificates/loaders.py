"""The certificates pages' data: one batch of calls, shaped into what each page shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app, request, url_for

from ..gql import Call, PageData
from ..pages import load_page
from ..sections import Section, loaded_from
from ..security import instance_url, safe_url
from . import uploads
from .awards import Resource, load_awards, predicted, resource_of
from .transcript import Cell, Column, Fact, cell, fact_value, layout, transcript_columns

EXPIRES_SOON = timedelta(days=30)


@dataclass(frozen=True)
class CertificateRow:
    """One certificate as the pages show it."""

    id: str
    title: str
    kind: str  # course, learningPath, external, or "" when the instance doesn't say
    kind_label: str | None  # the instance's label, for kinds we don't know
    issued_at: datetime
    expires_at: datetime | None
    expired: bool
    expires_soon: bool
    identifier: str | None
    view_url: str | None
    pdf_url: str | None
    pdf_is_page: bool = False  # the PDF link leads to our details page (no instance pages)
    image_url: str | None = None  # an external certificate's image, fit for src


@dataclass
class CertificateList:
    page: PageData
    query: str = ""
    include_expired: bool = False
    rows: list[CertificateRow] = field(default_factory=list)
    # The rows as the list shows them: loaded or not (see webapp/sections.py).
    certificates: Section[list[CertificateRow]] = field(default_factory=lambda: Section([], False))


@dataclass
class CertificateDetail:
    page: PageData
    row: CertificateRow | None = None


@dataclass
class TranscriptRow:
    """One certificate on the transcript: what its cells are made of, and its cells."""

    title: str
    issued_at: datetime
    expires_at: datetime | None
    expired: bool
    identifier: str | None
    resource: Resource | None = None
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Transcript:
    page: PageData
    learner: str = ""
    facts: list[Fact] = field(default_factory=list)  # fields that read the same on every row
    columns: list[Column] = field(default_factory=list)
    rows: Section[list[TranscriptRow]] = field(default_factory=lambda: Section([], False))
    generated_at: datetime | None = None
    fields_loaded: bool = False  # else the columns are the standard ones

    @property
    def expired_count(self) -> int:
        return sum(row.expired for row in self.rows.items)

    @property
    def shows_expiry(self) -> bool:
        """Whether a column tells when certificates expire (else titles carry the mark)."""
        return any(c.type == "expirationDateLabel" for c in self.columns)


def title_of(cert) -> str:
    resource = cert.resource
    if resource is not None and (resource.title or resource.name):
        return resource.title or resource.name
    return cert.external_resource_title or ""


def instance_link(url: str | None, certificate_id: str) -> str | None:
    """A View/PDF link from the instance, fit for href (relative ones are the instance's paths).

    Where the instance has no certificate pages (INSTANCE_CERTIFICATE_PAGES off: the embedded
    sandbox is an API, and `/certificates/<id>` here is our route), relative links lead to
    our own details page.
    """
    if (
        not current_app.config["INSTANCE_CERTIFICATE_PAGES"]
        and safe_url(url)
        and url.lstrip().startswith("/")
    ):
        return url_for("certificates.detail", certificate_id=certificate_id)
    return instance_url(url)


def image_src(asset: object) -> str | None:
    """An external certificate's image fit for src: an upload of ours as our own path (it is
    served here), anything else only over https."""
    if not isinstance(asset, str):
        return None
    url = safe_url(asset)
    if url is None:
        return None
    parts = urlsplit(url)
    name = parts.path.rsplit("/", 1)[-1]
    ours = not parts.netloc or parts.netloc.lower() == request.host.lower()
    if ours and parts.path == f"/uploads/{name}" and uploads.is_ours(name):
        return url_for("certificates.upload", name=name)
    return safe_url(url, allow_http=False) if parts.scheme else None


def certificate_row(cert, now: datetime, images: dict[str, str] | None = None) -> CertificateRow:
    expires = cert.expiration_date
    expired = bool(cert.is_expired) or (expires is not None and expires <= now)
    kind = "external" if cert.is_external else (cert.resource_type or "")
    pdf_url = instance_link(cert.pdf_asset, cert.id)
    own_page = url_for("certificates.detail", certificate_id=cert.id)
    return CertificateRow(
        id=cert.id,
        title=title_of(cert),
        kind=kind,
        kind_label=cert.resource_type_label,
        issued_at=cert.issued_at,
        expires_at=expires,
        expired=expired,
        expires_soon=not expired and expires is not None and expires <= now + EXPIRES_SOON,
        identifier=cert.identifier,
        view_url=instance_link(cert.url, cert.id),
        pdf_url=pdf_url,
        pdf_is_page=pdf_url == own_page,
        image_url=image_src((images or {}).get(cert.id)) if cert.is_external else None,
    )


def _rows(page: PageData, now: datetime) -> list[CertificateRow]:
    certs = [c for c in page.get("UserCertificates", []) if c]
    images = uploads.remembered([c.id for c in certs if c.is_external])
    return [certificate_row(c, now, images) for c in certs]


def load_certificates(query: str, include_expired: bool, now: datetime | None = None):
    """The learner's certificates matching `query`, expired ones only when asked for."""
    variables: dict = {"includeExpiredCertificates": include_expired}
    if query:
        variables["query"] = query
    page = load_page(Call("UserCertificates", variables))
    listing = CertificateList(page=page, query=query, include_expired=include_expired)
    listing.rows = _rows(page, now or datetime.now(UTC))
    listing.certificates = loaded_from(page, "UserCertificates", listing.rows)
    return listing


def load_certificate(certificate_id: str, now: datetime | None = None) -> CertificateDetail:
    """One of the learner's certificates (expired ones included), or row None."""
    page = load_page(Call("UserCertificates", {"includeExpiredCertificates": True}))
    found = [r for r in _rows(page, now or datetime.now(UTC)) if r.id == certificate_id]
    return CertificateDetail(page=page, row=found[0] if found else None)


def load_transcript(now: datetime | None = None) -> Transcript:
    """Every certificate (expired ones too: a transcript is the whole record), in the columns,
    labels and date formats the instance's certificate fields ask for, with the awards each
    brought where a column asks for them."""
    now = now or datetime.now(UTC)
    asked = predicted()
    page = load_page(
        Call("UserCertificatesForTranscript", {"includeExpiredCertificates": True}),
        Call("UserCertificateFields"),
        *[r.call for r in asked],
    )
    user = page["CurrentUser"]
    learner = (user.name or user.first_name or "") if user is not None else ""
    client = user.client.name if user is not None and user.client else ""
    transcript = Transcript(
        page=page,
        learner=learner,
        generated_at=now,
        fields_loaded=page.ok("UserCertificateFields"),
    )
    parts = layout(transcript_columns(page.get("UserCertificateFields", [])))
    transcript.columns = parts.columns
    transcript.facts = [
        Fact(c.heading, value)
        for c in parts.facts
        if c.type != "nameLabel"  # the learner's name heads the page
        and (value := fact_value(c, learner, client))
    ]
    certs = [c for c in page.get("UserCertificatesForTranscript", []) if c]
    rows = sorted((_transcript_row(c, now) for c in certs), key=lambda r: r.issued_at, reverse=True)
    award_columns = [c for c in transcript.columns if c.type == "awardLabel"]
    wanted = [r.resource for r in rows if r.resource] if award_columns else []
    awards = load_awards(page, wanted, asked)
    for row in rows:
        row.cells = [
            cell(column, row, learner, client, awards.amount(row.resource, column))
            for column in transcript.columns
        ]
    transcript.rows = loaded_from(page, "UserCertificatesForTranscript", rows)
    return transcript


def _transcript_row(cert, now: datetime) -> TranscriptRow:
    expires = cert.expiration_date
    return TranscriptRow(
        title=title_of(cert),
        issued_at=cert.issued_at,
        expires_at=expires,
        expired=bool(cert.is_expired) or (expires is not None and expires <= now),
        identifier=cert.identifier,
        resource=resource_of(cert),
    )
