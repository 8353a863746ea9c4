"""Certificates: the learner's, and external ones they upload."""

from __future__ import annotations

import json
import re
import secrets
import string
import uuid

from ..context import RequestContext
from ..dates import is_past, iso, parse
from ..errors import bad_input, not_found
from ..search import parse_query
from . import shapes
from .registry import mutation, query

_SAFE_ASSET = re.compile(r"^(https?://[^\s/]+|/(?!/))\S*$", re.I)
_IDENTIFIER_ALPHABET = string.ascii_uppercase + string.digits


def _template(conn, template_id: str | None, resource: dict | None) -> dict | None:
    row = template_id and shapes.one(
        conn, "SELECT * FROM certificate_templates WHERE id = ?", (template_id,)
    )
    if not row:
        return None
    return {
        "id": row["id"],
        "title": row["title"],
        "asset": row["asset"],
        "expirationDays": row["expiration_days"],
        "isExpired": False,
        "resourceType": row["resource_type"],
        "resource": resource,
    }


def certificate(ctx: RequestContext, row: dict) -> dict:
    conn = ctx.conn
    resource = shapes.course_ref(conn, row["content_id"])
    expired = is_past(row["expiration_date"], ctx.now)
    resource_type = None
    if resource:
        resource_type = "learningPath" if resource["__typename"] == "LearningPath" else "course"
    return {
        "id": row["id"],
        "issuedAt": row["issued_at"],
        "expirationDate": row["expiration_date"],
        "recertificationDate": row["recertification_date"],
        "didExpire": expired,
        "isExpired": expired,
        "deleted": bool(row["deleted"]),
        "progressWasReset": bool(row["progress_was_reset"]),
        "url": row["url"],
        "pdfAsset": row["pdf_asset"],
        "identifier": row["identifier"],
        "source": row["source"],
        "isExternal": bool(row["is_external"]),
        "externalResourceTitle": row["external_title"],
        "resourceId": row["content_id"],
        "resourceType": resource_type,
        "resourceTypeLabel": {"course": "Course", "learningPath": "Learning Path"}.get(
            resource_type or "", "External"
        ),
        "resource": resource,
        "certificateTemplate": lambda: _template(conn, row["template_id"], resource),
        "contentItem": lambda: _content_item(ctx, row["content_id"]),
        "user": lambda: shapes.user(
            ctx, shapes.one(conn, "SELECT * FROM users WHERE id = ?", (row["user_id"],))
        ),
    }


def _content_item(ctx: RequestContext, content_id: str | None) -> dict | None:
    row = content_id and shapes.one(ctx.conn, "SELECT * FROM content WHERE id = ?", (content_id,))
    if not row:
        return None
    return shapes.content(row, shapes.tags_by_content(ctx.conn, [row["id"]])[row["id"]])


def _title(row: dict) -> str:
    return row["external_title"] or row["content_title"] or ""


@query("UserCertificates")
def user_certificates(ctx, query=None, include_expired_certificates=None):
    user = ctx.require_user()
    found = shapes.rows(
        ctx.conn,
        "SELECT cert.*, c.title AS content_title, t.title AS template_title FROM certificates cert "
        "LEFT JOIN content c ON c.id = cert.content_id "
        "LEFT JOIN certificate_templates t ON t.id = cert.template_id "
        "WHERE cert.user_id = ? AND cert.deleted = 0 ORDER BY cert.issued_at DESC",
        (user["id"],),
    )
    if not include_expired_certificates:
        found = [r for r in found if not is_past(r["expiration_date"], ctx.now)]
    terms = [t.value for t in parse_query(query)]
    if terms:

        def hit(row):
            haystack = " ".join(
                filter(None, [_title(row), row["identifier"], row["template_title"]])
            ).casefold()
            return all(term in haystack for term in terms)

        found = [r for r in found if hit(r)]
    return [certificate(ctx, r) for r in found]


@mutation("CreateCertificateFromUpload")
def create_certificate_from_upload(ctx, asset, certificate_upload_fields=None):
    user = ctx.require_user()
    asset = (asset or "").strip()
    if not _SAFE_ASSET.match(asset):
        raise bad_input("The certificate image must be an http(s) URL or a path on this instance.")
    fields = {r["id"]: r for r in shapes.rows(ctx.conn, "SELECT * FROM certificate_fields")}
    values: dict[str, object] = {}
    stored = []
    for entry in certificate_upload_fields or []:
        field = fields.get(entry["certificateFieldId"])
        if field is None:
            raise not_found("Certificate field", entry["certificateFieldId"])
        kind = entry["type"]
        if kind in ("contentCompletionDate", "dateLabel", "expirationDateLabel") and entry.get(
            "date"
        ):
            try:
                moment = parse(str(entry["date"]))
                iso(moment)  # converting to UTC may leave the calendar (year 0 or 10000)
            except (ValueError, OverflowError):
                raise bad_input(f"“{entry['date']}” is not a date (use YYYY-MM-DD).") from None
            if not 1900 <= moment.year <= 2999:
                raise bad_input(f"“{entry['date']}” is not a plausible date.")
            values[kind] = moment
        elif kind == "awardLabel":
            values[kind] = (
                entry.get("awardTypeId") or field["award_type_id"],
                entry.get("awardAmount"),
            )
        elif entry.get("value") is not None:
            values[kind] = str(entry["value"]).strip()
        stored.append(entry)
    issued = values.get("contentCompletionDate") or values.get("dateLabel") or ctx.now
    expires = values.get("expirationDateLabel")
    if expires and expires <= issued:
        raise bad_input("The expiry date must come after the completion date.")
    if issued > ctx.now:
        raise bad_input("The completion date cannot be in the future.")
    title = values.get("courseLabel") or "External certificate"
    if len(title) > 200:
        raise bad_input("The certificate title is longer than 200 characters.")
    cert_id = str(uuid.uuid4())
    identifier = values.get("identifier") or _new_identifier(fields.values())
    ctx.conn.execute(
        "INSERT INTO certificates (id, user_id, content_id, template_id, issued_at,"
        " expiration_date,"
        " url, pdf_asset, identifier, source, is_external, external_title, asset, fields) "
        "VALUES (?, ?, NULL, NULL, ?, ?, ?, NULL, ?, 'upload', 1, ?, ?, ?)",
        (
            cert_id,
            user["id"],
            iso(issued),
            iso(expires) if expires else None,
            f"/certificates/{cert_id}",
            identifier,
            title,
            asset,
            json.dumps(stored),
        ),
    )
    row = shapes.one(ctx.conn, "SELECT * FROM certificates WHERE id = ?", (cert_id,))
    return certificate(ctx, row)


def _new_identifier(fields) -> str:
    spec = next((f for f in fields if f["type"] == "identifier"), None)
    prefix = (spec and spec["identifier_prefix"]) or "CERT-"
    length = (spec and spec["identifier_body_length"]) or 8
    return prefix + "".join(secrets.choice(_IDENTIFIER_ALPHABET) for _ in range(length))
