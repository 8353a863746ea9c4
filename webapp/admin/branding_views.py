"""Branding preview: the company's settings judged, and learner pages in trial branding.

Trial values live only in the query string of the admin's own requests: they are validated,
applied to a copy of the theme for one response, and never stored, cached or shown to anyone
else. The API has no write for appearance; changes are made in TI's admin.
"""

from __future__ import annotations

import re
from contextlib import nullcontext
from dataclasses import replace

from flask import Response, abort, g, make_response, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from ..auth import learner_token
from ..branding import theme_from
from ..custom_css import sanitize_css
from ..gql import Call, instance
from ..htmx import render_page
from ..i18n import supported_language
from ..learner_pages import page_named
from ..pages import chrome
from ..security import content_security_policy, csp_nonce, plausible_id
from .access import admin_required, check_admin, fetch_admin, load_admin, require_admin
from .appearance import apply_overrides, build_report, colours_of
from .forms import LANG_PATTERN, PREVIEW_PAGES, TryBrandingForm, lang_choices
from .views import blueprint


def _trial_form(args) -> TryBrandingForm:
    form = TryBrandingForm(formdata=args)
    form.lang.validate_choice = False  # the instance's Languages are checked once loaded
    form.validate()
    return form


def _user_of(form: TryBrandingForm) -> str | None:
    return form.user.data if form.user.data and not form.user.errors else None


def _company_vars(user: str | None) -> dict:
    return {"user": user} if user else {}


def _language_codes(languages) -> list[str]:
    return [lang.code for lang in languages or [] if lang is not None and lang.code]


def _locale_for(code: str) -> str:
    """The locale learners who pick `code` get: Atrium's catalogs only cover SUPPORTED."""
    return supported_language(code) or "en"


@blueprint.get("/branding")
@admin_required
def branding():
    """Every appearance setting as learners get it, and a form to try others in a preview."""
    form = _trial_form(request.args)
    user = _user_of(form)
    page = load_admin(Call("CompanyDetails", _company_vars(user), key="Branding"))
    languages = page.get("Languages", [])
    form.lang.choices = lang_choices(languages)
    if form.lang.data and form.lang.data not in _language_codes(languages):
        form.lang.errors.append(_("This instance does not offer that language."))
    company, settings_for = page["Branding"], "user" if user else "company"
    if user and page.not_found("Branding"):
        form.user.errors.append(_("There is no user with the ID %(id)s on this instance.", id=user))
        # Rather than nothing: the branding the admin sees on their own pages.
        user, company, settings_for = None, page["CompanyDetails"], "you"
    report = build_report(company)
    trial = apply_overrides(report.theme if report else chrome().theme, form.overrides())
    params = {**form.overrides()}
    if user:
        params["user"] = user
    if form.lang.data and not form.lang.errors:
        params["lang"] = form.lang.data
    chosen = form.chosen_page()
    chosen_lang = params.get("lang", "")
    unsupported = bool(chosen_lang) and supported_language(chosen_lang) is None
    has_errors = any(form[name].errors for name in form._fields)
    return render_page(
        "admin/branding.html",
        "admin/_try.html",
        422 if has_errors else 200,
        form=form,
        page=page,
        report=report,
        trial_colours=colours_of(trial),
        trial=trial,
        overrides=form.overrides(),
        preview_user=user,
        settings_for=settings_for,
        preview_page=chosen,
        preview_url=url_for("admin.branding_preview", page_name=chosen, **params),
        unsupported_language=unsupported,
        pages=PREVIEW_PAGES,
    )


# -- the preview itself --------------------------------------------------------------------------


# The frame is sandboxed without allow-scripts and its page is inert: it runs no script, so it
# loads none (each one the browser refused would be a console error), and its CSP says so.
# Our templates write <script> elements only as `<script src=...></script>`; page data is
# escaped, so no "<script" comes from the instance.
_SCRIPT_ELEMENT = re.compile(r"[ \t]*<script\b[^>]*>.*?</script>[ \t]*\n?", re.I | re.S)


def _without_scripts(html: str) -> str:
    return _SCRIPT_ELEMENT.sub("", html)


def _frame_policy() -> str:
    """The page's own policy, framed by our admin page only, with no script at all."""
    return "; ".join(
        "script-src 'none'" if directive.startswith("script-src ") else directive
        for directive in content_security_policy(csp_nonce(), "'self'").split("; ")
    )


def _frame_response(html: str, status: int = 200) -> Response:
    """A page for the preview frame: no scripts, a policy that allows none, never cached."""
    response = make_response(_without_scripts(html), status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Security-Policy"] = _frame_policy()
    return response


def _frame_message(title: str, message: str, status: int) -> Response:
    return _frame_response(
        render_template("admin/preview_message.html", title=title, message=message), status
    )


@blueprint.get("/branding/preview/<page_name>")
@admin_required
def branding_preview(page_name: str):
    """A learner page rendered for the admin in trial branding, for the branding page's frame."""
    g.frame_ancestors = "'self'"  # only our own admin page may frame it
    learner_page = page_named(page_name)
    if learner_page is None or not learner_page.previewable:
        require_admin()
        abort(404)
    form = _trial_form(request.args)
    user = _user_of(form)
    lang = form.lang.data if LANG_PATTERN.match(form.lang.data or "") else ""
    with force_locale(_locale_for(lang)) if lang else nullcontext():
        # The page as a learner first opens it: its own loader, with no query string.
        template, context = learner_page.template, learner_page.load(MultiDict())
        current = chrome()
        check_admin(current.user, current.failure)
        if lang and lang not in _language_codes(current.languages):
            return _frame_message(
                _("Unknown language"), _("This instance does not offer that language."), 422
            )
        # Usually served from the cache: the branding page has just asked for the same.
        found = instance().fetch(Call("CompanyDetails", _company_vars(user)), token=learner_token())
        if user and found.not_found("CompanyDetails"):
            return _frame_message(
                _("Unknown user"),
                _("There is no user with the ID %(id)s on this instance.", id=user),
                404,
            )
        base = theme_from(found["CompanyDetails"]) if found["CompanyDetails"] else current.theme
        theme = apply_overrides(base, form.overrides())
        # The page's own custom CSS link would follow the admin's client; the frame links the
        # previewed one instead (preview_css below).
        current.theme = replace(theme, custom_css_version=None)
        css_url = (
            url_for("admin.branding_preview_css", **_company_vars(user))
            if base.custom_css_version
            else None
        )
        return _frame_response(
            render_template(
                "admin/preview_frame.html",
                preview_template=template,
                preview_css=css_url,
                **context,
            )
        )


@blueprint.get("/branding/preview.css")
@admin_required
def branding_preview_css():
    """The previewed branding's custom CSS, sanitised like the learners' own stylesheet."""
    user = request.args.get("user", "")
    user = user if plausible_id(user) else None
    page = fetch_admin(Call("CompanyDetails", _company_vars(user)))
    company = page["CompanyDetails"]
    source = company.settings.custom_css if company and company.settings else None
    response = Response(sanitize_css(source).css, mimetype="text/css")
    response.headers["Cache-Control"] = "private, no-store"
    return response
