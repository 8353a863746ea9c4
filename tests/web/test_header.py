"""The header as served: a Menu link that works without JavaScript (and the button app.js uses),
the navigation behind it, the account menu with language and license (their buttons kept for
pages without JavaScript), a logo in a fixed box; the confirmation dialog's translated words;
empty states with an illustration and the next step."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.web.conftest import soup


def header(browser, path="/dashboard"):
    return soup(browser.get(path)).select_one("header.site-header")


def test_the_menu_is_a_link_to_the_header_and_a_button_for_javascript(learner):
    top = header(learner)
    assert top["id"] == "menu"
    assert top.select_one("a.menu-toggle--open")["href"] == "#menu"  # :target opens it
    assert top.select_one("a.menu-toggle--close")["href"] == "#"
    button = top.select_one("button.menu-toggle--button")
    assert button["type"] == "button"
    assert button["aria-expanded"] == "false" and button["aria-controls"] == "site-menu"
    assert button.get_text(strip=True) == "Menu"


def test_the_navigation_sits_in_the_menu_and_profile_in_the_account_menu(learner):
    top = header(learner)
    menu = top.select_one("#site-menu")
    links = [a.get_text(strip=True) for a in menu.select("nav.main-nav a")]
    assert links == [
        "Dashboard", "My learning", "Waitlist", "Redeem a code", "Certificates", "Badges",
        "Archive",
    ]  # fmt: skip
    assert menu.select_one('nav.main-nav a[aria-current="page"]')["href"] == "/dashboard"
    company = {a.find(string=True).strip(): a["href"] for a in menu.select(".company-nav a")}
    assert company["Home"] == "/" and company["Help Center"].startswith("https://help.acme.test")
    assert menu.select_one(".company-nav summary").get_text(strip=True) == "More"


def test_the_account_menu_holds_name_profile_language_license_and_sign_out(learner):
    account = header(learner).select_one("details.account-menu")
    summary = account.summary
    assert summary.select_one(".account__name").text == "Jamie Rivera"
    assert summary.select_one(".account-menu__avatar").text == "JR"
    assert "Signed in as Jamie Rivera" in account.select_one(".account-menu__who").text
    assert account.select_one('a[href="/profile"]').get_text(strip=True) == "Profile"
    assert account.select_one(".account__admin") is None  # not an admin
    sign_out = account.select_one("form.account-menu__sign-out")
    assert sign_out["action"] == "/logout" and sign_out["method"] == "post"
    assert sign_out.button.get_text(strip=True) == "Sign out"
    assert account.select_one("form.language-picker #language-select")
    assert account.select_one("form.license-switcher #header-license")


def test_an_admin_finds_the_admin_pages_in_the_account_menu(admin):
    account = header(admin).select_one("details.account-menu")
    assert account.select_one("a.account__admin")["href"] == "/admin/"


@pytest.mark.parametrize("form_class", ["language-picker", "license-switcher"])
def test_language_and_license_apply_at_once_with_javascript_and_keep_their_button(
    learner, form_class
):
    form = header(learner, "/badges?limit=25").select_one(f"form.{form_class}")
    assert form.has_attr("data-autosubmit")  # app.js sends it as soon as one is chosen
    button = form.find("button", type="submit")
    assert "button--no-js" in button["class"]  # hidden only once app.js runs
    hint = form.select_one(".autosubmit__hint")
    assert hint.has_attr("hidden") and hint.text == "Applies as soon as you choose."
    assert form.select_one("input[name=next]")["value"] == "/badges?limit=25"


def test_the_logo_has_a_fixed_box_so_its_arrival_moves_nothing(learner, learner2):
    for who in (learner, learner2):
        logo = header(who).select_one("img.brand__logo")
        assert logo["width"] == "180" and logo["height"] == "48"


def test_globex_pages_are_named_for_globex(learner2):
    page = soup(learner2.get("/dashboard"))
    name = page.select_one(".brand__logo")["alt"]
    assert name == "Globex"
    assert page.title.string.strip().endswith(f"· {name}")
    assert name in page.select_one(".site-footer").get_text(" ", strip=True)


def test_signed_out_the_header_offers_the_language_alone(browser):
    top = header(browser, "/login")
    assert top.select_one("details.account-menu") is not None
    assert top.select_one(".account__name") is None
    assert top.select_one("details.language-menu form.language-picker #language-select")
    assert top.select_one("details.language-menu summary").get_text(" ", strip=True) == (
        "Language English"
    )
    assert top.select_one("nav.main-nav") is None


def confirm_template(browser):
    """The confirmation dialog's markup (a <template>'s content is its own document)."""
    template = soup(browser.get("/waitlist")).select_one("template#confirm-dialog-template")
    return BeautifulSoup(template.decode_contents(), "html.parser")


def test_the_confirmation_dialog_speaks_the_learners_language(learner, learner2):
    english = confirm_template(learner)
    dialog = english.select_one("dialog")
    assert dialog["role"] == "alertdialog" and dialog["aria-labelledby"] == "confirm-dialog-title"
    assert english.select_one("#confirm-dialog-title").get_text(strip=True) == "Please confirm"
    assert english.select_one(".confirm-dialog__cancel").get_text(strip=True) == "Cancel"
    assert english.select_one(".confirm-dialog__confirm")["data-label"] == "Confirm"
    french = confirm_template(learner2)
    assert french.select_one(".confirm-dialog__cancel").get_text(strip=True) == "Annuler"


def test_an_empty_state_shows_an_illustration_and_the_next_step(learner):
    empty = soup(learner.get("/learning?q=zzqxq")).select_one("#results .empty-state")
    image = empty.select_one("img.empty-state__image")
    assert image["alt"] == "" and image["src"].startswith("/static/img/empty-state")
    assert "button" in empty.a["class"] and empty.a["href"] == "/learning"


def test_the_illustration_is_served(browser):
    response = browser.get("/static/img/empty-state.svg")
    assert response.status_code == 200
    assert "<script" not in response.get_data(as_text=True)
