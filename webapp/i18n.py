"""Languages: which one a learner gets, and company strings layered over Atrium's catalogs.

Order of choice: the learner's pick (session), CurrentUser.lang, Accept-Language, then English.
`t(key, default)` speaks the company's string for `key` in that language when the instance has
one (CompanyTranslations, namespace lms), else Atrium's catalog string. Company strings use
TI's `%{var}` placeholders and polyglot-style `singular |||| plural` forms.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import os
import re
import shutil
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, g, request, session
from flask_babel import Babel, get_locale, get_translations

SUPPORTED = ("en", "fr", "de", "es", "ar")
RIGHT_TO_LEFT = frozenset({"ar"})
_PLACEHOLDER = re.compile(r"%\{(\w+)\}")
# The compiled catalogs an installed package carries (setup.py builds them from translations/).
PACKAGED_CATALOGS = Path(__file__).with_name("translations")
_log = logging.getLogger("atrium.i18n")


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


def catalog_directory(app: Flask) -> Path:
    """Where the compiled catalogs are: inside the installed package (building it compiles them,
    setup.py); in a source checkout, which has none there, compiled from translations/*.po into
    a cache outside the sources, so a clone speaks every language with no build step."""
    if any(PACKAGED_CATALOGS.glob("*/LC_MESSAGES/messages.mo")):
        return PACKAGED_CATALOGS
    sources = Path(app.root_path).parent / "translations"
    if any(sources.glob("*/LC_MESSAGES/messages.po")):
        return compile_catalogs(sources, _cache_root())
    _log.warning("no compiled catalogs in %s: Atrium speaks English only", PACKAGED_CATALOGS)
    return PACKAGED_CATALOGS


def compile_catalogs(sources: Path, cache_root: Path) -> Path:
    """Compile every catalog in `sources` into a folder of `cache_root` named by what they say,
    once: a changed .po gets a new folder, and processes starting together compile alike."""
    po_paths = sorted(sources.glob("*/LC_MESSAGES/messages.po"))
    digest = hashlib.sha256()
    for po_path in po_paths:
        digest.update(f"{po_path.relative_to(sources)}\0".encode() + po_path.read_bytes())
    target = cache_root / digest.hexdigest()[:16]
    if target.is_dir():
        return target
    staging = Path(tempfile.mkdtemp(prefix=".compiling-", dir=cache_root))
    for po_path in po_paths:
        mo_path = staging / po_path.relative_to(sources).with_suffix(".mo")
        mo_path.parent.mkdir(parents=True)
        with po_path.open("rb") as source:
            catalog = read_po(source, locale=po_path.parent.parent.name)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)
    try:
        staging.rename(target)  # whole or not at all: a reader never sees half the catalogs
    except OSError:  # another process renamed the same catalogs there first
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _cache_root() -> Path:
    """The user's cache (~/.cache/atrium/catalogs), or a private temporary folder when it
    cannot be written."""
    try:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        root = base / "atrium" / "catalogs"
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        if os.access(root, os.W_OK):
            return root
    except (OSError, RuntimeError, KeyError):  # no writable home, or no home at all
        pass
    root = Path(tempfile.mkdtemp(prefix="atrium-catalogs-"))
    atexit.register(shutil.rmtree, root, True)
    return root


def init_i18n(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    if "BABEL_TRANSLATION_DIRECTORIES" not in app.config:
        app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(catalog_directory(app))
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
