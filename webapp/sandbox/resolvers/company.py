"""Instance-level data: the company, its branding, languages, translations, terms, fields."""

from __future__ import annotations

import json

from ..errors import not_found
from . import shapes
from .registry import query


def _award_type(row: dict | None) -> dict | None:
    if not row:
        return None
    return {
        "id": row["id"],
        "label": row["label"],
        "pluralLabel": row["plural_label"],
        "icon": row["icon"],
        "includeOnDashboard": bool(row["include_on_dashboard"]),
        "deleted": bool(row["deleted"]),
    }


def award_type(conn, award_type_id: str | None) -> dict | None:
    return _award_type(
        award_type_id
        and shapes.one(conn, "SELECT * FROM award_types WHERE id = ?", (award_type_id,))
    )


@query("CompanyDetails")
def company_details(ctx, user=None):
    conn = ctx.conn
    company = shapes.one(conn, "SELECT * FROM company")
    settings = shapes.one(conn, "SELECT * FROM appearance WHERE client_id IS NULL")
    if user is not None:
        member = shapes.one(conn, "SELECT client_id FROM users WHERE id = ?", (user,))
        if member is None:
            raise not_found("User", user)
        own = member["client_id"] and shapes.one(
            conn, "SELECT * FROM appearance WHERE client_id = ?", (member["client_id"],)
        )
        settings = own or settings
    return {
        "name": company["name"],
        "subdomain": company["subdomain"],
        "settings": shapes.appearance(settings),
    }


@query("CompanyTranslations")
def company_translations(ctx, namespace):
    found = shapes.rows(
        ctx.conn,
        "SELECT t.* FROM translations t LEFT JOIN languages l ON l.code = t.lang "
        "WHERE t.namespace = ? ORDER BY l.position, t.lang",
        (namespace,),
    )
    return [
        {"id": r["id"], "lang": r["lang"], "translations": json.loads(r["strings"])} for r in found
    ]


@query("Languages")
def languages(ctx):
    found = shapes.rows(ctx.conn, "SELECT * FROM languages ORDER BY position")
    return [
        {
            "id": r["id"],
            "code": r["code"],
            "label": r["label"],
            "selectorLabel": r["selector_label"],
            "isCustom": bool(r["is_custom"]),
        }
        for r in found
    ]


@query("TermsAndConditions")
def terms_and_conditions(ctx):
    company = shapes.one(ctx.conn, "SELECT global_terms FROM company")
    return {"globalTerms": company["global_terms"] if company else None}


@query("UserCertificateFields")
def user_certificate_fields(ctx):
    ctx.optional_user()  # a dead token is refused; fields are the instance's either way
    found = shapes.rows(ctx.conn, "SELECT * FROM certificate_fields ORDER BY position")
    if not found:
        return None  # documented: null when no fields are configured
    return [
        {
            "id": r["id"],
            "type": r["type"],
            "label": r["label"],
            "includeOnTranscript": bool(r["include_on_transcript"]),
            "includeOnExternalCertificate": bool(r["include_on_external"]),
            "text": r["text"],
            "dateFormat": r["date_format"],
            "identifierPrefix": r["identifier_prefix"],
            "identifierBodyLength": r["identifier_body_length"],
            "hasIdentifierPrefix": bool(r["identifier_prefix"]),
            "awardTypeId": r["award_type_id"],
            "awardType": lambda r=r: award_type(ctx.conn, r["award_type_id"]),
            "customFieldSlug": r["custom_field_slug"],
            "customField": _custom_field(r["custom_field_slug"]),
            "userCustomFieldSlug": r["user_custom_field_slug"],
            "userCustomField": _user_custom_field(r["user_custom_field_slug"]),
            "sessionCustomContentFieldSlug": None,
        }
        for r in found
    ]


def _custom_field(slug: str | None) -> dict | None:
    if not slug:
        return None
    return {
        "id": f"cf-{slug}",
        "label": slug.replace("-", " ").title(),
        "slug": slug,
        "indexed": True,
        "multiple": False,
    }


def _user_custom_field(slug: str | None) -> dict | None:
    if not slug:
        return None
    label = slug.replace("-", " ").title()
    return {
        "id": f"ucf-{slug}",
        "label": label,
        "slug": slug,
        "type": "singleField",
        "required": False,
    }
