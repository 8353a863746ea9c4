"""Languages: which one a learner gets, and company strings layered over Atrium's catalogs.

Order of choice: the learner's pick (session), CurrentUser.lang, Accept-Language, then English.
`t(key, default)` speaks the company's string for `key` in that language when the instance has
one (CompanyTranslations, namespace lms), else Atrium's catalog string. Company strings use
TI's `%{var}` placeholders and polyglot-style `singular |||| plural` forms.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, g, request, session
from flask_babel import Babel, get_locale, get_translations

SUPPORTED = ("en", "fr", "de", "es", "ar")
RIGHT_TO_LEFT = frozenset({"ar"})
_PLACEHOLDER = re.compile(r"%\{(\w+)\}")


def base_language(code: object) -> str | None:
    """'fr-CA', 'FR_fr' or 'fr' -> 'fr'; None for anything that has no language part."""
    if not isinstance(code, str) or not code.strip():
        return None
    return code.strip().replace("_", "-").split("-")[0].lower() or None


def supported_language(code: object) -> str | None:
    """The language Atrium speaks for `code`, or None."""
    base = base_language(code)
    return base if base in SUPPORTED else None


def select_locale() -> str:
    for candidate in (session.get("lang"), g.get("user_lang"), session.get("user_lang")):
        chosen = supported_language(candidate)
        if chosen:
            return chosen
    return request.accept_languages.best_match(SUPPORTED) or "en"


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "en"


def text_direction() -> str:
    return "rtl" if current_language() in RIGHT_TO_LEFT else "ltr"


def _plural_index(lang: str, count: int) -> int:
    """polyglot.js's plural-form index for the languages Atrium speaks."""
    n = abs(count)
    if lang == "fr":
        return 0 if n <= 1 else 1
    if lang == "ar":
        if n == 0:
            return 0
        if n == 1:
            return 1
        if n == 2:
            return 2
        if 3 <= n % 100 <= 10:
            return 3
        if n % 100 >= 11:
            return 4
        return 5
    return 0 if n == 1 else 1


def _company_string(key: str, lang: str) -> str | None:
    strings = (g.get("company_strings") or {}).get(lang) or {}
    value = strings.get(key)
    return value if isinstance(value, str) and value.strip() else None


def format_company(template: str, lang: str, count: int | None, variables: dict) -> str:
    """Pick the plural form for `count`, then fill `%{var}` placeholders (unknown ones stay)."""
    forms = [f.strip() for f in template.split("||||")]
    if count is not None and len(forms) > 1:
        template = forms[min(_plural_index(lang, count), len(forms) - 1)]
    else:
        template = forms[0]
    values = {**variables, **({"smart_count": count, "count": count} if count is not None else {})}
    return _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), template)


def N_(text: str) -> str:  # noqa: N802 - the conventional name extraction tools know
    """Mark a string for extraction where it is translated later (`t(key, label)`)."""
    return text


def t(key: str, default: str, **variables) -> str:
    """The company's string for `key` in the current language, else our catalog's `default`.

    Our catalog strings use Python's `%(name)s` placeholders; pass the values as keywords.
    """
    lang = current_language()
    company = _company_string(key, lang)
    if company is not None:
        return format_company(company, lang, None, variables)
    text = _request_catalog().ugettext(default)
    return text % variables if variables else text


def tn(key: str, singular: str, plural: str, count: int, **variables) -> str:
    """`t` for a counted string: the company's `a |||| b` forms, else our catalog's plural.

    In our strings the count is `%(num)d`; in the company's it is `%{smart_count}`/`%{count}`.
    """
    lang = current_language()
    company = _company_string(key, lang)
    if company is not None:
        return format_company(company, lang, count, variables)
    variables.setdefault("num", count)
    return _request_catalog().ungettext(singular, plural, count) % variables


def compile_catalogs(directory: Path) -> list[str]:
    """Compile every .po whose .mo is missing or older, so a fresh clone speaks all languages
    without a separate build step. Returns the languages compiled."""
    compiled = []
    for po_path in sorted(directory.glob("*/LC_MESSAGES/messages.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as source:
            catalog = read_po(source)
        try:
            with mo_path.open("wb") as target:
                write_mo(target, catalog)
        except OSError:
            logging.getLogger("atrium.i18n").warning("cannot write %s", mo_path)
            continue
        compiled.append(po_path.parent.parent.name)
    return compiled


def init_i18n(app: Flask) -> None:
    directory = _translations_dir(app)
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(directory))
    compile_catalogs(directory)
    Babel(app, locale_selector=select_locale)
    # Templates call gettext ~80 times a page; Flask-Babel looks up the locale, domain and
    # catalog afresh on each call. Keep the request's catalog where refresh() drops it.
    app.jinja_env.install_gettext_callables(
        gettext=_template_gettext, ngettext=_template_ngettext, newstyle=True
    )
    app.jinja_env.globals.update(
        t=t,
        tn=tn,
        text_direction=text_direction,
        current_language=current_language,
        supported_languages=SUPPORTED,
    )


def _request_catalog():
    """The request's translations, looked up once per request (and again after refresh())."""
    if not g:  # outside an app context: Flask-Babel's untranslated fallback
        return get_translations()
    context = g.get("_flask_babel")
    catalog = getattr(context, "babel_translations", None)
    if catalog is None:
        catalog = get_translations()
        context = g.get("_flask_babel")  # get_translations() creates it on first use
        if context is not None:
            context.babel_translations = catalog  # flask_babel.refresh() deletes this name
    return catalog


def _template_gettext(string: str) -> str:
    return _request_catalog().ugettext(string)  # Jinja fills in the variables, escaped


def _template_ngettext(singular: str, plural: str, num: int) -> str:
    return _request_catalog().ungettext(singular, plural, num)


def _translations_dir(app: Flask) -> Path:
    return Path(app.root_path).parent / "translations"
