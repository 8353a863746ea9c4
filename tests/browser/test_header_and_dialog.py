"""The header and the confirmation dialog in a real browser, with JavaScript on and off: a phone
header at most 64px tall whose Menu opens the navigation either way; language and license that
apply as soon as they are chosen (a button without JavaScript); no page wider than a phone; the
<dialog> that confirms leaving a waitlist or archiving; axe over all of it in English and Arabic."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, choose_language, open_account_menu, sign_in
from tests.browser.test_accessibility import ADMIN_PAGES, LEARNER_PAGES

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(chromium):
    context = chromium.new_context(viewport=PHONE)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_without_js(chromium):
    context = chromium.new_context(viewport=PHONE, java_script_enabled=False)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def header_height(page) -> float:
    return page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")


def main_nav(page):
    return page.get_by_role("navigation", name="Main")


# -- the header's size ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["learner", "learner2", "admin"])
def test_on_a_phone_the_header_is_at_most_64px_tall(phone, server, who):
    sign_in(phone, server, who)
    assert header_height(phone) <= 64
    expect(main_nav(phone)).to_be_hidden()  # folded behind Menu


@pytest.mark.parametrize("who", ["learner", "learner2"])
def test_on_a_phone_without_javascript_too(phone_without_js, server, who):
    sign_in(phone_without_js, server, who)
    assert header_height(phone_without_js) <= 64


@pytest.mark.parametrize("who", ["learner", "learner2"])
def test_signed_out_on_a_phone(phone, server, who):
    phone.goto(f"{server.url}/login")
    assert header_height(phone) <= 64


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_on_a_desktop_the_header_is_one_row(page, server, lang):
    sign_in(page, server)
    if lang != "en":
        choose_language(page, lang)
    tops = page.evaluate(
        """[...document.querySelectorAll('.site-header__bar > *, .main-nav li, .company-nav')]
           .filter(el => el.checkVisibility())
           .map(el => el.getBoundingClientRect())
           .map(box => Math.round(box.top + box.height / 2))"""
    )
    assert max(tops) - min(tops) <= 4, tops  # every part centred on one line
    assert header_height(page) <= 72
    expect(page.locator(".main-nav a").first).to_be_visible()


def test_the_logo_keeps_its_box_while_it_loads(phone, server):
    """The logo's box is the same before the image arrives as after: nothing moves."""
    sign_in(phone, server)
    box = phone.locator(".brand__logo").bounding_box()
    phone.route("**/acme-logo.svg", lambda route: None)  # never answers
    phone.reload(wait_until="domcontentloaded")
    assert phone.locator(".brand__logo").bounding_box() == box
    phone.unroute("**/acme-logo.svg")


# -- the menu -------------------------------------------------------------------------------------


def test_the_menu_opens_without_javascript(phone_without_js, server):
    page = phone_without_js
    sign_in(page, server)
    expect(main_nav(page)).to_be_hidden()
    page.get_by_role("link", name="Menu").click()
    assert page.url.endswith("/dashboard#menu")
    expect(main_nav(page).get_by_role("link", name="My learning")).to_be_visible()
    expect(page.get_by_role("link", name="Help Center")).to_be_visible()  # the company's links
    assert header_height(page) > 64  # the navigation opens under the bar
    page.get_by_role("link", name="Close menu").click()
    expect(main_nav(page)).to_be_hidden()
    page.get_by_role("link", name="Menu").click()
    main_nav(page).get_by_role("link", name="Waitlist").click()
    page.wait_for_url(f"{server.url}/waitlist")
    expect(main_nav(page)).to_be_hidden()  # a new page starts with it closed


def test_the_menu_button_with_javascript(phone, server):
    sign_in(phone, server)
    button = phone.get_by_role("button", name="Menu")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(phone.get_by_role("link", name="Menu")).to_be_hidden()  # the no-JS link has gone
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(main_nav(phone).get_by_role("link", name="Certificates")).to_be_visible()
    phone.keyboard.press("Tab")
    expect(main_nav(phone).get_by_role("link", name="Dashboard")).to_be_focused()
    phone.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(main_nav(phone)).to_be_hidden()
    expect(button).to_be_focused()
    phone.keyboard.press("Enter")  # a real button: the keyboard opens it
    expect(button).to_have_attribute("aria-expanded", "true")
    button.click()
    expect(main_nav(phone)).to_be_hidden()


def test_the_account_menu_opens_and_esc_closes_it(page, server):
    sign_in(page, server)
    summary = page.locator(".account-menu summary")
    expect(page.get_by_role("button", name="Sign out")).to_be_hidden()
    summary.click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.get_by_role("link", name="Profile")).to_be_visible()
    page.get_by_label("Language").focus()
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="Sign out")).to_be_hidden()
    expect(summary).to_be_focused()
    summary.click()
    page.locator("h1").click()  # a click elsewhere closes it
    expect(page.get_by_role("button", name="Sign out")).to_be_hidden()


def test_the_account_menu_without_javascript(page_without_js, server):
    page = page_without_js
    sign_in(page, server)
    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/login"))


# -- language and license -------------------------------------------------------------------------


def test_a_language_applies_as_soon_as_it_is_chosen(page, server):
    sign_in(page, server, next_path="/badges")
    open_account_menu(page)
    expect(page.locator(".language-picker button")).to_be_hidden()  # no extra click
    with page.expect_navigation():
        page.get_by_label("Language").select_option("fr")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert page.url == f"{server.url}/badges"  # the same page, in French
    expect(page.get_by_role("heading", level=1)).to_have_text("Badges")


def test_a_language_chosen_by_keyboard_applies_on_enter_not_at_the_first_arrow(page, server):
    sign_in(page, server)
    open_account_menu(page)
    select = page.get_by_label("Language")
    select.focus()
    page.keyboard.press("ArrowDown")  # one step: still choosing
    page.wait_for_timeout(400)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("html")).not_to_have_attribute("lang", "en")


def test_without_javascript_the_language_has_its_button(page_without_js, server):
    page = page_without_js
    sign_in(page, server, next_path="/badges")
    choose_language(page, "ar")  # opens the menu, picks, presses Change
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert page.url == f"{server.url}/badges"


def test_a_license_applies_as_soon_as_it_is_chosen(page, server):
    sign_in(page, server, next_path="/profile")
    open_account_menu(page)
    expect(page.locator(".site-header .license-switcher button")).to_be_hidden()
    with page.expect_navigation():
        page.locator("#header-license").select_option(label="Leadership Program")
    expect(page.locator(".notices")).to_contain_text("Your active license has changed.")
    assert page.url == f"{server.url}/profile"
    expect(page.locator("main")).to_contain_text("Active license: Leadership Program")


def test_without_javascript_the_license_has_its_button(page_without_js, server):
    page = page_without_js
    sign_in(page, server)
    open_account_menu(page)
    page.locator("#header-license").select_option(label="Leadership Program")
    page.get_by_role("button", name="Switch license").click()
    expect(page.locator(".notices")).to_contain_text("Your active license has changed.")


# -- no page wider than a phone -------------------------------------------------------------------


def too_wide(page, server, paths) -> dict:
    wide = {}
    for path in paths:
        page.goto(f"{server.url}{path}")
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width[0] > width[1]:
            wide[path] = width
    return wide


@pytest.mark.parametrize("who", ["learner", "learner2"])
def test_no_learner_page_scrolls_sideways_on_a_phone(phone, server, who):
    sign_in(phone, server, who)
    assert too_wide(phone, server, LEARNER_PAGES) == {}


def test_no_admin_page_scrolls_sideways_on_a_phone(phone, server):
    sign_in(phone, server, "admin")
    assert too_wide(phone, server, ADMIN_PAGES) == {}


def test_no_page_scrolls_sideways_in_arabic_either(phone, server):
    sign_in(phone, server, "learner2")
    choose_language(phone, "ar")
    assert too_wide(phone, server, LEARNER_PAGES) == {}


# -- the confirmation dialog ----------------------------------------------------------------------


def posts(page) -> list[str]:
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    return sent


def test_leaving_a_waitlist_asks_in_a_dialog_and_esc_cancels(page, server):
    sign_in(page, server, next_path="/waitlist")
    sent = posts(page)
    leave = page.locator("main").get_by_role("button", name="Leave waitlist")
    rows = leave.count()
    leave.first.click()
    dialog = page.get_by_role("alertdialog", name="Please confirm")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Leave the waitlist for")
    assert page.evaluate("!!document.activeElement.closest('dialog')")  # focus moved in
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()  # destructive: Cancel
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(leave.first).to_be_focused()  # back where the learner was
    page.wait_for_timeout(300)
    assert sent == [] and leave.count() == rows  # nothing sent

    leave.first.click()
    dialog.get_by_role("button", name="Leave waitlist").click()
    expect(leave).to_have_count(rows - 1)
    assert len(sent) == 1 and "/leave" in sent[0]  # sent once, by htmx
    expect(page.locator("#waitlist-status")).not_to_be_empty()


def test_moving_to_the_archive_asks_with_the_actions_own_words(page, server):
    sign_in(page, server, next_path="/learning")
    card = page.locator(".course-card").first
    card_id = card.get_attribute("id")
    title = card.locator(".card__title").inner_text()
    sent = posts(page)
    button = card.get_by_role("button", name="Move to archive")
    button.click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text(f"Move {title} to your archive?")
    confirm = dialog.get_by_role("button", name="Move to archive")
    expect(confirm).to_be_focused()  # not destructive: the action itself
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(button).to_be_focused()
    assert sent == []

    button.click()
    confirm.click()
    expect(page.locator("#learning-status")).to_contain_text(f"{title} is in your archive now")
    expect(page.locator(f"#{card_id}")).to_have_count(0)
    assert len(sent) == 1


def test_the_dialog_asks_again_each_time(page, server):
    sign_in(page, server, next_path="/waitlist")
    leave = page.locator("main").get_by_role("button", name="Leave waitlist")
    rows = leave.count()
    for left in (1, 2):
        leave.first.click()
        page.get_by_role("alertdialog").get_by_role("button", name="Leave waitlist").click()
        expect(leave).to_have_count(rows - left)


def test_without_javascript_the_confirmation_page_stays(page_without_js, server):
    page = page_without_js
    sign_in(page, server, next_path="/waitlist")
    page.locator("main").get_by_role("button", name="Leave waitlist").first.click()
    expect(page.get_by_role("button", name="Yes, leave")).to_be_visible()


# -- axe over the header's menus and the dialog ---------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_axe_finds_nothing_with_the_menus_and_the_dialog_open(phone, server, lang):
    sign_in(phone, server)
    if lang != "en":
        choose_language(phone, lang)
    found = {}
    for path in ("/dashboard", "/learning", "/waitlist"):
        phone.goto(f"{server.url}{path}")
        found[f"{path} closed"] = axe_violations(phone)
        phone.locator(".menu-toggle--button").click()
        found[f"{path} menu"] = axe_violations(phone)
        open_account_menu(phone)
        found[f"{path} account"] = axe_violations(phone)
    phone.goto(f"{server.url}/waitlist")
    phone.locator("main form[data-confirm] button").first.click()
    expect(phone.get_by_role("alertdialog")).to_be_visible()
    found["/waitlist dialog"] = axe_violations(phone)
    assert {k: v for k, v in found.items() if v} == {}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_axe_finds_nothing_on_the_sign_in_page_with_its_menus_open(phone, server, lang):
    phone.goto(f"{server.url}/login")
    if lang != "en":
        choose_language(phone, lang)
    found = {"closed": axe_violations(phone)}
    phone.locator(".menu-toggle--button").click()
    found["menu"] = axe_violations(phone)
    open_account_menu(phone)
    found["language"] = axe_violations(phone)
    assert {k: v for k, v in found.items() if v} == {}
