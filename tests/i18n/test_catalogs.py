"""Every string the app uses is translated, unfuzzy and placeholder-true in every language."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
LANGUAGES = ("fr", "de", "es", "ar")
KEYWORDS = ["-k", "_l", "-k", "lazy_gettext", "-k", "N_", "-k", "t:2", "-k", "tn:2,3"]
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")


@pytest.fixture(scope="module")
def used_messages(tmp_path_factory):
    """The app's strings as extraction finds them today (not the committed .pot)."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
         str(TRANSLATIONS / "babel.cfg"), *KEYWORDS, "--ignore-dirs", ".*",  # not _macros
         "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    with pot.open("rb") as source:
        return [m for m in read_po(source) if m.id]


def _catalog(lang: str):
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as source:
        return read_po(source, locale=lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_translates_every_string_the_app_uses(lang, used_messages):
    catalog = _catalog(lang)
    missing, fuzzy = [], []
    for message in used_messages:
        entry = catalog.get(message.id)
        if entry is None:
            missing.append(message.id)
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if not all(s and s.strip() for s in strings):
            missing.append(message.id)
        if entry.fuzzy:
            fuzzy.append(message.id)
    assert not missing, f"{lang}: {len(missing)} untranslated, e.g. {missing[:5]}"
    assert not fuzzy, f"{lang}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_their_placeholders(lang):
    wrong = []
    for entry in _catalog(lang):
        if not entry.id or not entry.string:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        expected = set(_PLACEHOLDER.findall(ids[-1])) | set(_PLACEHOLDER.findall(ids[0]))
        for text in filter(None, strings):
            found = set(_PLACEHOLDER.findall(text))
            # A singular message keeps exactly its placeholders; a plural form may drop the
            # count where the language says "one" in words, but never invent one.
            if not found <= expected or (len(ids) == 1 and found != expected):
                wrong.append((ids[0], text))
    assert not wrong, f"{lang}: placeholders differ, e.g. {wrong[:3]}"
