"""Translation coverage: what each language lacks against English, as a page and as CSV."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.web.conftest import soup
from webapp.admin.coverage import app_keys


def strings(sandbox, namespace: str) -> dict[str, dict]:
    with sandbox.store.read() as conn:
        rows = conn.execute(
            "SELECT lang, strings FROM translations WHERE namespace = ?", [namespace]
        ).fetchall()
    return {row["lang"]: json.loads(row["strings"]) for row in rows}


def expected_gaps(sandbox, namespace: str, lang: str) -> dict[str, str]:
    """What the seed left out of `lang` compared with en: key -> missing/empty."""
    table = strings(sandbox, namespace)
    english, own = table.get("en", {}), table.get(lang, {})
    gaps = {}
    for key in english:
        if key not in own:
            gaps[key] = "missing"
        elif not str(own[key]).strip():
            gaps[key] = "empty"
    return gaps


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def section(response, code: str):
    for heading in soup(response).find_all("h2"):
        if f"({code})" in heading.text:
            return heading.find_parent("section")
    raise AssertionError(f"no section for {code}")


@pytest.mark.parametrize("lang", ["de", "es", "ar"])
def test_each_language_lists_the_keys_the_seed_left_out(admin, sandbox, lang):
    expected = expected_gaps(sandbox, "lms", lang)
    assert expected, "the seed leaves something out of every one of these languages"
    response = admin.get("/admin/translations")
    assert response.status_code == 200
    table = section(response, lang).find("table", class_="key-table")
    shown = {
        row.find("code").text: row.find_all("td")[1].text.strip().lower()
        for row in table.select("tbody tr")
    }
    assert shown == expected


def test_german_and_spanish_miss_what_the_seed_left_out(admin):
    rows = csv_rows(admin.get("/admin/translations.csv"))
    missing = {(r["language"], r["key"]) for r in rows if r["status"] == "missing"}
    assert ("de", "dashboard.due-this-week") in missing
    assert ("de", "balance.redeem") in missing
    assert ("es", "dashboard.recent") in missing
    assert ("es", "badges.your-rank") in missing
    assert ("fr", "dashboard.recent") not in missing
    empty = {(r["language"], r["key"]) for r in rows if r["status"] == "empty"}
    assert ("ar", "learning.empty") in empty


def test_a_language_with_no_email_strings_misses_all_of_them(admin, sandbox):
    english = strings(sandbox, "emails")["en"]
    assert "es" not in strings(sandbox, "emails")
    rows = csv_rows(admin.get("/admin/translations.csv"))
    spanish = {r["key"] for r in rows if r["language"] == "es" and r["namespace"] == "emails"}
    assert spanish == set(english)
    german = {r["key"] for r in rows if r["language"] == "de" and r["namespace"] == "emails"}
    assert german == set()
    page = admin.get("/admin/translations")
    assert "no strings in this namespace" in section(page, "es").get_text()


def test_app_strings_the_company_does_not_override_are_listed(admin, app, sandbox):
    keys = app_keys(app.root_path)
    assert {"nav.dashboard", "nav.waitlist", "dashboard.completed"} <= keys
    rows = csv_rows(admin.get("/admin/translations.csv"))
    plain = {(r["language"], r["key"]) for r in rows if r["status"] == "not overridden"}
    english = strings(sandbox, "lms")["en"]
    assert ("fr", "nav.waitlist") in plain  # Atrium asks for it; the company has none
    assert ("fr", "nav.dashboard") not in plain  # the company's French overrides it
    assert all(key in keys and key not in english for _lang, key in plain if _lang == "en")


def test_the_csv_is_an_attachment_and_matches_the_page(admin):
    response = admin.get("/admin/translations.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = csv_rows(response)
    assert list(rows[0]) == ["language", "namespace", "key", "status"]
    assert {r["status"] for r in rows} <= {"missing", "empty", "not overridden"}
    page = admin.get("/admin/translations")
    german = section(page, "de").find("table", class_="key-table")
    assert len(german.select("tbody tr")) == len(
        [r for r in rows if r["language"] == "de" and r["status"] != "not overridden"]
    )


def test_csv_cells_that_could_run_as_formulas_are_neutralised(admin, sandbox):
    with sandbox.store.write() as conn:
        row = conn.execute("SELECT strings FROM translations WHERE id = 'tr-lms-en'").fetchone()
        english = json.loads(row["strings"])
        english['=HYPERLINK("http://evil.test","x")'] = "Click"
        english["+cmd"] = "Plus"
        conn.execute(
            "UPDATE translations SET strings = ? WHERE id = 'tr-lms-en'", [json.dumps(english)]
        )
    admin.client.application.extensions["instance"].cache.clear()
    response = admin.get("/admin/translations.csv")
    keys = [r["key"] for r in csv_rows(response) if r["language"] == "de"]
    assert '\'=HYPERLINK("http://evil.test","x")' in keys
    assert "'+cmd" in keys
    assert not any(k.startswith(("=", "+", "-", "@")) for k in keys)


def test_the_page_is_one_upstream_request(admin, sandbox):
    admin.get("/admin/translations")
    before = sandbox.stats.snapshot()["http_requests"]
    admin.get("/admin/translations")
    assert sandbox.stats.snapshot()["http_requests"] - before <= 1


def test_an_unreachable_instance_gives_an_error_not_an_empty_csv(admin, sandbox):
    admin.client.application.extensions["instance"].cache.clear()
    sandbox.faults.fault_rate = 1.0
    try:
        page = admin.get("/admin/translations")
        download = admin.get("/admin/translations.csv")
    finally:
        sandbox.faults.fault_rate = 0.0
    assert page.status_code == 503  # who is asking cannot even be checked
    assert download.status_code == 503 and download.mimetype != "text/csv"
