"""A company's own CSS wins over Atrium's, whatever the specificity of the rule it restyles.

Atrium's stylesheets put every rule in a cascade layer (base, components, pages); the company's
CSS is served after them, unlayered, so its plainest selector beats Atrium's most specific one.
"""

from __future__ import annotations

import sqlite3

from tests.browser.conftest import sign_in

PURPLE = "rgb(91, 42, 134)"


def test_a_plain_company_rule_beats_a_more_specific_one_of_atriums(page, server, tmp_path):
    # Atrium quiets "Show details" inside a card with `.card__more .course-details__toggle`.
    css = ".course-details__toggle { color: #5b2a86; }"
    with sqlite3.connect(tmp_path / "sandbox.sqlite3") as conn:
        conn.execute("UPDATE appearance SET custom_css = ? WHERE client_id IS NULL", [css])
    sign_in(page, server, next_path="/learning")
    toggle = page.locator(".card__more .course-details__toggle").first
    assert toggle.evaluate("element => getComputedStyle(element).color") == PURPLE
    # Atrium's own rules still apply where the company says nothing.
    assert toggle.evaluate("element => getComputedStyle(element).fontWeight") == "600"
