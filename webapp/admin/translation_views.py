"""Translation coverage: per language and namespace, what is missing against the default."""

from __future__ import annotations

from flask import Response
from flask_babel import gettext as _

from ..gql import Call, PageData, UpstreamUnavailable
from ..htmx import render_page
from .access import admin_required, load_admin
from .coverage import Coverage, app_keys, coverage_csv, measure
from .views import blueprint, webapp_root

# CompanyTranslations(namespace: lms) is one of the chrome's calls; emails is the page's own.
EMAILS_KEY = "EmailTranslations"


def _load() -> tuple[PageData, Coverage]:
    page = load_admin(Call("CompanyTranslations", {"namespace": "emails"}, key=EMAILS_KEY))
    namespaces = {
        "lms": page["CompanyTranslations"] if page.ok("CompanyTranslations") else None,
        "emails": page[EMAILS_KEY] if page.ok(EMAILS_KEY) else None,
    }
    if page.ok("Languages"):
        languages = [
            (lang.code, lang.selector_label or lang.label or lang.code)
            for lang in page["Languages"]
            if lang is not None and lang.code
        ]
    else:  # no list of languages: the ones the translations name
        seen = {e.lang for entries in namespaces.values() for e in entries or [] if e and e.lang}
        languages = [(code, code) for code in sorted(seen)]
    return page, measure(languages, namespaces, app_keys(webapp_root()))


@blueprint.get("/translations")
@admin_required
def translations():
    """Missing and empty company strings per language, and Atrium strings not overridden."""
    page, coverage = _load()
    return render_page(
        "admin/translations.html",
        page=page,
        coverage=coverage,
        languages_ok=page.ok("Languages"),
    )


@blueprint.get("/translations.csv")
@admin_required
def translations_csv():
    """The coverage as CSV: language, namespace, key, status (cells never run as formulas)."""
    _page, coverage = _load()
    if not all(coverage.loaded.values()):
        # A partial file would look complete in a spreadsheet: better no file than a wrong one.
        raise UpstreamUnavailable(_("the translations could not be loaded"))
    response = Response(coverage_csv(coverage), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="translation-coverage.csv"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
