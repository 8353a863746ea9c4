"""Pages speak the learner's language: our catalogs, the company's strings over them, RTL for
Arabic, and localised dates, numbers and prices."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.pages import learner_paths
from tests.web.conftest import Browser, soup

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
# Besides every learner page (tests/pages.py): pages no menu leads to.
OTHER_PAGES = ["/certificates/transcript", "/terms"]
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]")


def english_phrases(lang: str) -> set[str]:
    """Our English strings that the language's catalog says differently: if one of them shows
    on a page in that language, an app string went untranslated. Only phrases of a few words,
    so a one-word course title can't be mistaken for one."""
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as source:
        catalog = read_po(source, locale=lang)
    phrases = set()
    for entry in catalog:
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for text in ids:
            for fragment in _PLACEHOLDER.split(text or ""):
                fragment = fragment.strip(" .,:;()")
                if len(fragment.split()) >= 3 and not any(fragment in s for s in strings if s):
                    phrases.add(fragment)
    return phrases


def visible_text(response) -> str:
    page = soup(response)
    for hidden in page(["script", "style", "template"]):
        hidden.decompose()
    return " ".join(page.get_text(" ").split())


def choose_language(browser: Browser, lang: str) -> None:
    browser.get("/dashboard")
    response = browser.post("/language", {"lang": lang, "next": "/dashboard"})
    assert response.status_code == 303


@pytest.mark.parametrize("lang", ["fr", "de", "es", "ar"])
def test_every_learner_page_speaks_the_language_with_no_english_left(app, learner, lang):
    choose_language(learner, lang)
    phrases = english_phrases(lang)
    for path in [*learner_paths(app), *OTHER_PAGES]:
        response = learner.get(path)
        assert response.status_code == 200, path
        page = soup(response)
        assert page.html["lang"] == lang
        text = visible_text(response)
        leftovers = sorted(p for p in phrases if p in text)
        assert not leftovers, f"{lang} {path}: untranslated {leftovers[:5]}"


def test_arabic_pages_are_right_to_left(learner):
    choose_language(learner, "ar")
    page = soup(learner.get("/dashboard"))
    assert page.html["dir"] == "rtl" and page.html["lang"] == "ar"
    choose_language(learner, "en")
    assert soup(learner.get("/dashboard")).html["dir"] == "ltr"


def test_the_learners_own_language_is_the_default(learner2):
    page = soup(learner2.get("/dashboard"))  # Camille's profile says fr
    assert page.html["lang"] == "fr"
    assert "Tableau de bord" in page.title.text  # the company's own French string


def test_accept_language_decides_for_a_visitor(browser):
    response = browser.client.get("/login", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert soup(response).html["lang"] == "de"


def test_an_unknown_language_choice_changes_nothing(learner):
    response = learner.post("/language", {"lang": "xx", "next": "/dashboard"})
    assert response.status_code == 303
    assert soup(learner.get("/dashboard")).html["lang"] == "en"


def test_a_company_string_overrides_ours_and_is_escaped(learner, sandbox, app):
    with sandbox.store.write() as conn:
        row = conn.execute(
            "SELECT strings FROM translations WHERE namespace = 'lms' AND lang = 'en'"
        ).fetchone()
        strings = json.loads(row[0])
        strings["dashboard.completed"] = "Finished <b>for real</b>"
        strings["dashboard.welcome"] = "Hi %{name}, %{missing} ready?"
        conn.execute(
            "UPDATE translations SET strings = ? WHERE namespace = 'lms' AND lang = 'en'",
            (json.dumps(strings),),
        )
    app.extensions["instance"].cache.clear()
    response = learner.get("/dashboard")
    page = soup(response)
    labels = [label.text.strip() for label in page.select(".tile__label")]
    assert "Finished <b>for real</b>" in labels  # shown as text, not markup
    assert "<b>for real</b>" not in response.get_data(as_text=True)
    assert page.h1.text.strip() == "Hi Jamie, %{missing} ready?"


def _tiles(response) -> list[tuple[int, str]]:
    return [
        (int(tile.select_one(".tile__count").text), tile.select_one(".tile__label").text.strip())
        for tile in soup(response).select(".tiles .tile")
    ]


def test_dashboard_tile_labels_agree_with_their_counts(learner2, sandbox, app):
    """Each label is a counted string: "2 terminés", never "2 Terminé" (French: 0, 1 singular)."""
    tiles = {label: count for count, label in _tiles(learner2.get("/dashboard"))}
    assert tiles["terminés"] == 2  # the company's own French forms, "terminé |||| terminés"
    forms = {
        "dashboard.my-content": "élément |||| éléments",
        "dashboard.completed": "terminé |||| terminés",
        "dashboard.learning-paths": "parcours |||| parcours",
        "dashboard.certificates": "certificat |||| certificats",
        "dashboard.waitlisted": "en attente |||| en attente",
        "dashboard.archived": "archivé |||| archivés",
    }
    with sandbox.store.write() as conn:
        row = conn.execute(
            "SELECT strings FROM translations WHERE namespace = 'lms' AND lang = 'fr'"
        ).fetchone()
        conn.execute(
            "UPDATE translations SET strings = ? WHERE namespace = 'lms' AND lang = 'fr'",
            (json.dumps(json.loads(row[0]) | forms),),
        )
    app.extensions["instance"].cache.clear()
    shown = _tiles(learner2.get("/dashboard"))
    assert len(shown) == 6 and {count for count, _label in shown} >= {0, 1, 2}
    singular = {f.split(" |||| ")[0] for f in forms.values()}
    plural = {f.split(" |||| ")[1] for f in forms.values()}
    for count, label in shown:
        assert label in (singular if count <= 1 else plural), (count, label)


def test_company_plural_forms_follow_the_count(app):
    from webapp.i18n import format_company

    template = "%{count} course |||| %{count} courses"
    assert format_company(template, "en", 1, {}) == "1 course"
    assert format_company(template, "en", 3, {}) == "3 courses"
    assert format_company("%{count} cours |||| %{count} cours", "fr", 0, {}) == "0 cours"
    arabic = " |||| ".join(
        ["لا دورات", "دورة واحدة", "دورتان", "%{count} دورات", "%{count} دورة", "%{count} دورة"]
    )
    assert format_company(arabic, "ar", 2, {}) == "دورتان"
    assert format_company(arabic, "ar", 5, {}) == "5 دورات"
    assert format_company(arabic, "ar", 11, {}) == "11 دورة"


def test_dates_numbers_and_prices_are_localised(learner, learner2):
    choose_language(learner, "de")
    balance = soup(learner.get("/dashboard")).select_one(".summary").text
    assert "120,00" in balance and "$" in balance  # German digits, the learner's currency
    french = visible_text(learner2.get("/certificates"))
    assert re.search(r"\d{1,2} (janv|févr|mars|avr|mai|juin|juil|août|sept|oct|nov|déc)", french)
    learning = visible_text(learner2.get("/learning"))
    assert re.search(r"\d+,\d{2}\s?€", learning), "a price in euros, French style"
