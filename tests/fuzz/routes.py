"""What each route reads: query parameters, form fields (from its WTForms form), file parts.

The map is keyed by (endpoint, method), an /embed twin counting as its original. A form's
fields are read from its class, so a field added to a form is fuzzed without touching this
file; a route or a form the map doesn't know fails tests/fuzz/test_route_map.py, loudly.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_wtf.file import FileField as FlaskFileField
from wtforms import FileField
from wtforms.fields.core import UnboundField

from webapp.account.forms import LicenseForm
from webapp.admin.forms import ActionForm, CreateLearnerForm, ImportForm, TryBrandingForm
from webapp.archive.forms import ArchiveChangeForm
from webapp.auth.forms import LoginForm, LogoutForm
from webapp.certificates.forms import ExternalCertificateForm, SearchForm
from webapp.learning.forms import FilterForm, UseCreditsForm
from webapp.redeem.forms import RedeemForm as CodesForm
from webapp.waitlist.forms import LeaveForm

# Not pages: files, the sandbox's own API (it has its own tests), and its test hooks.
SKIPPED_ENDPOINTS = frozenset(
    {"static", "sandbox.helium", "sandbox.control", "sandbox.stats", "sandbox.asset"}
)
TWIN = "embed_"

# Headers the app reads somewhere (webapp/htmx.py, security.py, i18n.py, compression.py,
# metrics.py, the CSRF check, conditional responses). Every request may carry any of them.
HEADERS = (
    "HX-Request",
    "HX-Target",
    "HX-Current-URL",
    "HX-Boosted",
    "HX-History-Restore-Request",
    "Origin",
    "Referer",
    "Sec-Fetch-Site",
    "Accept-Language",
    "Accept-Encoding",
    "Accept",
    "Authorization",
    "If-None-Match",
    "Range",
)


def form_fields(*forms) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The (text fields, file fields) the WTForms classes declare (csrf_token aside)."""
    text, files = [], []
    for form in forms:
        for name in dir(form):
            unbound = getattr(form, name, None)
            if name.startswith("_") or not isinstance(unbound, UnboundField):
                continue
            is_file = issubclass(unbound.field_class, FileField | FlaskFileField)
            (files if is_file else text).append(name)
    return tuple(text), tuple(files)


@dataclass(frozen=True)
class Inputs:
    query: tuple[str, ...] = ()  # query parameters the view reads
    form: tuple[str, ...] = ()  # text fields of the body the view reads
    files: tuple[str, ...] = ()  # file fields
    forms: tuple = ()  # the WTForms classes these were read from
    once: bool = False  # the form carries a submission id (webapp/once.py)
    code_boxes: bool = False  # the redeem form's codes-0, codes-1, ... fields
    admin: bool = False  # an admin page: fuzzed mostly as the admin


def _query(*forms, extra: tuple[str, ...] = (), **kwargs) -> Inputs:
    """A GET form (or plain query parameters): its fields ride in the query string."""
    return Inputs(query=extra + form_fields(*forms)[0], forms=forms, **kwargs)


def _form(*forms, extra: tuple[str, ...] = (), **kwargs) -> Inputs:
    """A POST form: its text and file fields in the body."""
    text, files = form_fields(*forms)
    return Inputs(form=extra + text, files=files, forms=forms, **kwargs)


_THEME = ("accent", "secondary", "link", "font", "alt", "bg", "tiled", "r")
_FILTERS = ("kind", "status", "show", "page")  # parse_filters reads these besides FilterForm's

INPUTS: dict[tuple[str, str], Inputs] = {
    ("dashboard.root", "GET"): Inputs(),
    ("dashboard.index", "GET"): Inputs(),
    ("auth.login", "GET"): Inputs(query=("next",)),
    ("auth.login", "POST"): _form(LoginForm),
    ("auth.confirm_logout", "GET"): Inputs(),
    ("auth.logout", "POST"): _form(LogoutForm),
    ("language.choose", "POST"): Inputs(form=("lang", "next")),
    ("branding.theme_css", "GET"): Inputs(query=_THEME),
    ("branding.custom_css", "GET"): Inputs(query=("v", "r")),
    ("learning.index", "GET"): _query(FilterForm, extra=_FILTERS),
    ("learning.details", "GET"): Inputs(query=("collapse",)),
    ("learning.redeem_balance", "GET"): Inputs(),
    ("learning.redeem_balance", "POST"): _form(UseCreditsForm, extra=("next",), once=True),
    ("learning.path", "GET"): Inputs(),
    ("waitlist.index", "GET"): Inputs(),
    ("waitlist.confirm_leave", "GET"): Inputs(),
    ("waitlist.leave", "POST"): _form(LeaveForm, once=True),
    ("redeem.index", "GET"): Inputs(),
    ("redeem.submit", "POST"): _form(CodesForm, once=True, code_boxes=True),
    ("redeem.check", "POST"): Inputs(query=("part",), code_boxes=True),
    ("redeem.done", "GET"): Inputs(),
    ("certificates.index", "GET"): _query(SearchForm),
    ("certificates.transcript", "GET"): Inputs(),
    ("certificates.detail", "GET"): Inputs(),
    ("certificates.new", "GET"): Inputs(),
    ("certificates.new", "POST"): _form(ExternalCertificateForm),
    ("certificates.upload", "GET"): Inputs(),
    ("badges.index", "GET"): Inputs(query=("limit",)),
    ("archive.index", "GET"): Inputs(),
    ("archive.confirm_archive", "GET"): Inputs(),
    ("archive.archive_item", "POST"): _form(ArchiveChangeForm),
    ("archive.confirm_restore", "GET"): Inputs(),
    ("archive.restore_item", "POST"): _form(ArchiveChangeForm),
    ("account.profile", "GET"): Inputs(),
    ("account.terms", "GET"): Inputs(),
    ("account.switch_license", "POST"): _form(LicenseForm, once=True),
    ("embed.handoff", "POST"): Inputs(form=("token", "next")),
    ("admin.index", "GET"): Inputs(admin=True),
    ("admin.branding", "GET"): _query(TryBrandingForm, admin=True),
    ("admin.branding_preview", "GET"): _query(TryBrandingForm, admin=True),
    ("admin.branding_preview_css", "GET"): Inputs(query=("user",), admin=True),
    ("admin.learners", "GET"): Inputs(admin=True),
    ("admin.create_learner", "POST"): _form(CreateLearnerForm, once=True, admin=True),
    ("admin.upload", "POST"): _form(ImportForm, admin=True),
    ("admin.import_preview", "GET"): Inputs(admin=True),
    ("admin.confirm_import", "POST"): _form(ActionForm, admin=True),
    ("admin.cancel_import", "POST"): _form(ActionForm, admin=True),
    ("admin.import_report", "GET"): Inputs(admin=True),
    ("admin.import_report_csv", "GET"): Inputs(admin=True),
    ("admin.translations", "GET"): Inputs(admin=True),
    ("admin.translations_csv", "GET"): Inputs(admin=True),
    ("health.healthz", "GET"): Inputs(),
    ("health.readyz", "GET"): Inputs(),
    ("metrics.exposition", "GET"): Inputs(),
    ("sandbox.instance_page", "GET"): Inputs(),
    ("sandbox.learn", "GET"): Inputs(),
}

# Names read straight from request.args / request.form somewhere in webapp/ that are no single
# route's parameter: the once-only submission id rides in every `once` form (see Inputs.once).
READ_EVERYWHERE = frozenset({"submission_id", "csrf_token"})


def route_key(endpoint: str, method: str) -> tuple[str, str]:
    """The map's key for a rule's endpoint: an /embed twin is fuzzed as its original."""
    return endpoint.removeprefix(TWIN), method


def app_routes(app) -> dict[tuple[str, str], list]:
    """Every (endpoint, method) of the app that is fuzzed, with its rules (twins included)."""
    found: dict[tuple[str, str], list] = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIPPED_ENDPOINTS:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.setdefault(route_key(rule.endpoint, method), []).append(rule)
    return found


def all_forms() -> set[type]:
    return {form for inputs in INPUTS.values() for form in inputs.forms}
