"""Profile, terms and the license switcher, against the sandbox's demo learners."""

from __future__ import annotations

import pytest

from tests.web.conftest import instance_answer, soup

LEADERSHIP = "lic-acme-leadership"
STANDARD = "lic-acme-standard"


def _facts(page) -> dict[str, str]:
    """The profile's facts by key (the labels are translated; the keys are not)."""
    return {
        div["data-fact"]: div.dd.get_text(" ", strip=True)
        for div in page.select(".profile-facts > div")
    }


def _switches(sandbox) -> int:
    return sandbox.stats.snapshot()["by_operation"].get("SelectCurrentUserActiveLicense", 0)


# -- profile ---------------------------------------------------------------------------------


def test_the_profile_shows_what_the_instance_holds_in_one_request(app, learner, upstream_requests):
    user = instance_answer(app, learner, "CurrentUser")
    account = instance_answer(app, learner, "CurrentUserForProfile")
    before = upstream_requests()
    response = learner.get("/profile")
    assert upstream_requests() - before == 1
    page = soup(response)
    facts = _facts(page)
    assert facts["name"] == user.name == "Jamie Rivera"
    assert facts["email"] == account.email
    assert facts["role"] == "Learner"
    assert facts["language"] == "English"
    assert facts["currency"] == account.preferred_currency == "USD"
    assert facts["client"] == user.client.name
    assert facts["balance"] == "$120.00"
    counts = {
        div.dt.get_text(strip=True): int(div.dd.get_text(strip=True))
        for div in page.select(".profile-counts > div")
    }
    assert counts == {
        "Certificates": account.certificates_count,
        "Completed courses": account.completed_courses_count,
        "Started courses": account.started_courses_count,
        "Available courses": account.available_courses_count,
    }
    licenses = [li.get_text(" ", strip=True) for li in page.select(".license-list li")]
    assert licenses == ["Acme Standard Active", "Leadership Program"]
    assert "Active license: Acme Standard" in page.select_one("#licenses-title").parent.text


def test_the_profiles_counts_read_as_facts_and_say_what_they_count(learner):
    page = soup(learner.get("/profile"))
    section = page.find(id="progress-title").parent
    # Facts, not links: a list of terms and figures, nothing to click, nothing link-coloured.
    assert section.select("a") == [] and section.select(".tile, .tile__label, .tiles") == []
    assert len(section.select("dl dt")) == len(section.select("dl dd")) == 4
    note = section.find(id=section.dl["aria-describedby"]).get_text(" ", strip=True)
    assert "courses only" in note and "dashboard counts every kind of item" in note


def test_the_profile_is_read_only_and_says_so(learner):
    page = soup(learner.get("/profile"))
    assert "can't be changed here" in page.select_one(".lede").text
    fields = page.select("main input:not([type=hidden]), main textarea")
    assert fields == []
    assert {f["action"] for f in page.select("main form")} == {"/license"}


def test_the_profile_speaks_the_learners_language(learner2):
    page = soup(learner2.get("/profile"))
    facts = _facts(page)
    assert facts["name"] == "Camille Martin"
    assert facts["language"] == "Français"  # as the instance labels it for choosing
    assert "40,00" in facts["balance"] and "€" in facts["balance"]


def test_profile_fragment_for_htmx(learner):
    fragment = learner.htmx("GET", "/profile")
    assert "<html" not in fragment.get_data(as_text=True)
    assert soup(fragment).select_one(".profile-facts")
    assert "HX-Request" in fragment.headers["Vary"]


def test_the_profile_asks_visitors_to_sign_in(browser):
    assert browser.get("/profile").headers["Location"] == "/login?next=/profile"


# -- license switcher --------------------------------------------------------------------------


def test_the_header_offers_a_switcher_only_with_several_licenses(learner, learner2):
    page = soup(learner.get("/archive"))
    form = page.select_one(".site-header form.license-switcher")
    assert form["method"] == "post" and form["action"] == "/license"
    select = form.find("select")
    assert form.find("label", attrs={"for": select["id"]}).text.strip() == "License"
    options = [(o["value"], o.text, o.has_attr("selected")) for o in select.find_all("option")]
    assert options == [
        (STANDARD, "Acme Standard", True),
        (LEADERSHIP, "Leadership Program", False),
    ]
    assert form.select_one("input[name=next]")["value"] == "/archive"
    assert form.select_one("input[name=csrf_token]")["value"]
    assert form.find("button", type="submit")
    assert soup(learner2.get("/archive")).select_one(".license-switcher") is None


def test_the_switcher_returns_to_the_page_with_its_query(learner):
    page = soup(learner.get("/badges?limit=25"))
    assert page.select_one(".site-header input[name=next]")["value"] == "/badges?limit=25"


def test_switching_license_changes_the_instance_and_what_my_learning_holds(app, learner, sandbox):
    items_before = {i.title for i in instance_answer(app, learner, "UserContentItems")}
    learner.get("/badges")
    response = learner.post("/license", {"license_id": LEADERSHIP, "next": "/badges?limit=25"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/badges?limit=25"
    assert _switches(sandbox) == 1
    user = instance_answer(app, learner, "CurrentUser")
    assert user.active_license.id == LEADERSHIP
    items_after = {i.title for i in instance_answer(app, learner, "UserContentItems")}
    assert items_after != items_before
    page = soup(learner.get("/badges?limit=25"))
    assert "Your active license has changed." in page.select_one(".notices").text
    selected = page.select_one("#header-license option[selected]")
    assert selected["value"] == LEADERSHIP


def test_choosing_the_active_license_again_changes_nothing(app, learner, sandbox):
    response = learner.post("/license", {"license_id": STANDARD, "next": "/profile"})
    assert response.headers["Location"] == "/profile"
    assert instance_answer(app, learner, "CurrentUser").active_license.id == STANDARD
    assert "Active license: Acme Standard" in soup(learner.get("/profile")).text


@pytest.mark.parametrize(
    "license_id",
    ["lic-globex", "no-such-license", "", "   ", "x" * 5000, "lic-acme-join"],
)
def test_a_license_that_is_not_the_learners_is_refused_and_changes_nothing(
    app, learner, sandbox, license_id
):
    response = learner.post("/license", {"license_id": license_id, "next": "/profile"})
    assert response.status_code == 303 and response.headers["Location"] == "/profile"
    assert instance_answer(app, learner, "CurrentUser").active_license.id == STANDARD
    notice = soup(learner.get("/profile")).select_one(".notices .notice--error")
    assert notice is not None
    assert "didn't change" in notice.text or "Choose one of your licenses" in notice.text


def test_a_switch_without_csrf_is_refused_and_nothing_reaches_the_instance(
    app, learner, sandbox, upstream_requests
):
    before = upstream_requests()
    response = learner.post("/license", {"license_id": LEADERSHIP}, csrf=False)
    assert response.status_code == 400
    assert upstream_requests() == before
    assert instance_answer(app, learner, "CurrentUser").active_license.id == STANDARD


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.test/",
        "//evil.test/x",
        "/\\evil.test",
        "javascript:alert(1)",
        "/license",
        "/" + "a" * 5000,
        "",
    ],
)
def test_the_switch_never_sends_the_learner_off_site(learner, target):
    response = learner.post("/license", {"license_id": LEADERSHIP, "next": target})
    assert response.status_code == 303
    assert response.headers["Location"] == "/dashboard"


def test_the_switch_asks_visitors_to_sign_in(browser, sandbox):
    browser.get("/login")
    response = browser.post("/license", {"license_id": LEADERSHIP})
    assert response.status_code == 303 and "/login" in response.headers["Location"]
    assert _switches(sandbox) == 0


def test_an_unreachable_instance_says_it_could_not_confirm_the_switch(learner, sandbox):
    # No answer to the switch nor to the re-read of the learner: a 5xx may follow work done.
    sandbox.faults.fault_rate = 1.0
    response = learner.post("/license", {"license_id": LEADERSHIP, "next": "/terms"})
    assert response.headers["Location"] == "/terms"
    sandbox.faults.fault_rate = 0.0
    assert _switches(sandbox) == 0
    notice = soup(learner.get("/terms")).select_one(".notices .notice--error")
    assert "couldn't confirm whether your license changed" in notice.text


# -- terms ---------------------------------------------------------------------------------------


def test_terms_are_readable_signed_out_in_paragraphs(app, browser, helium):
    terms = helium.data("{ TermsAndConditions { globalTerms } }")["TermsAndConditions"]
    expected = [p.strip() for p in terms["globalTerms"].split("\n\n")]
    response = browser.get("/terms")
    assert response.status_code == 200
    page = soup(response)
    assert [p.text for p in page.select(".terms p")] == expected
    assert page.h1.text.strip() == "Terms and conditions"
    assert page.select_one("main a[href='/login']")


def test_terms_signed_in_cost_one_request_and_htmx_gets_the_text(learner, upstream_requests):
    before = upstream_requests()
    page = soup(learner.get("/terms"))
    assert upstream_requests() - before <= 1
    assert len(page.select(".terms p")) == 5
    assert page.select_one(".account__name").text == "Jamie Rivera"
    fragment = learner.htmx("GET", "/terms")
    assert "<html" not in fragment.get_data(as_text=True)
    assert len(soup(fragment).select(".terms p")) == 5


def test_hostile_terms_are_shown_as_text(browser, sandbox):
    with sandbox.store.write() as conn:
        conn.execute(
            "UPDATE company SET global_terms = ?",
            ("<script>alert(1)</script>\r\n\r\n  <b>Second</b> line\n   \n\n\nThird",),
        )
    response = browser.get("/terms")
    html = response.get_data(as_text=True)
    assert "<script>alert(1)" not in html and "<b>Second" not in html
    assert [p.text for p in soup(response).select(".terms p")] == [
        "<script>alert(1)</script>",
        "<b>Second</b> line",
        "Third",
    ]


def test_empty_terms_say_there_are_none(browser, sandbox):
    with sandbox.store.write() as conn:
        conn.execute("UPDATE company SET global_terms = NULL")
    page = soup(browser.get("/terms"))
    assert not page.select(".terms")
    assert "hasn't published terms and conditions" in page.select_one(".empty-state").text


def test_terms_missing_when_the_instance_is_down(browser, sandbox):
    sandbox.faults.fault_rate = 1.0
    response = browser.get("/terms")
    assert response.status_code == 200
    assert "couldn't be loaded" in soup(response).select_one(".missing-state").text
