"""Signing in and out, and the dashboard against the sandbox's demo learner."""

from __future__ import annotations

from tests.web.conftest import soup


def test_learner_pages_send_visitors_to_sign_in_and_back(browser):
    response = browser.get("/dashboard")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/login?next=/dashboard")
    browser.get("/login?next=/dashboard")
    response = browser.post(
        "/login", {"email": "learner@acme.test", "password": "learner", "next": "/dashboard"}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/dashboard"


def test_root_leads_to_the_dashboard(learner):
    response = learner.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard"


def test_wrong_password_says_so_and_signs_nobody_in(browser):
    browser.get("/login")
    response = browser.post("/login", {"email": "learner@acme.test", "password": "nope"})
    assert response.status_code == 401
    assert "don't match an account" in soup(response).find(id="login-error").text
    assert browser.get("/dashboard").status_code == 303


def test_malformed_email_gets_a_clear_message_and_no_upstream_call(browser, upstream_requests):
    browser.get("/login")
    before = upstream_requests()
    response = browser.post("/login", {"email": "not-an-email", "password": "x"})
    assert response.status_code == 422
    assert "name@example.com" in response.get_data(as_text=True)
    assert upstream_requests() == before  # no Login was attempted (branding was cached)


def test_next_never_leads_off_site(browser):
    for target in ("https://evil.test/", "//evil.test/x", "/\\evil.test", "javascript:alert(1)"):
        browser.get("/login")
        response = browser.post(
            "/login", {"email": "learner@acme.test", "password": "learner", "next": target}
        )
        assert response.headers["Location"] == "/dashboard", target
        browser.client.delete_cookie("atrium_session")


def test_the_session_cookie_is_opaque_httponly_and_renewed_at_sign_in(browser):
    browser.get("/login")
    before = browser.client.get_cookie("atrium_session")
    response = browser.post("/login", {"email": "learner@acme.test", "password": "learner"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    after = browser.client.get_cookie("atrium_session").value
    assert before is None or before.value != after
    assert "." not in after and len(after) >= 40  # an id, not a signed payload


def test_sign_in_without_csrf_is_refused(browser, upstream_requests):
    browser.get("/login")
    before = upstream_requests()
    response = browser.post(
        "/login", {"email": "learner@acme.test", "password": "learner"}, csrf=False
    )
    assert response.status_code == 400
    assert upstream_requests() == before


def test_sign_out_ends_the_session_here_and_upstream(learner, sandbox):
    response = learner.post("/logout")
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert sandbox.stats.snapshot()["by_operation"]["Logout"] == 1
    assert learner.get("/dashboard").status_code == 303


def test_dashboard_shows_the_learners_data_in_one_upstream_request(learner, upstream_requests):
    before = upstream_requests()
    response = learner.get("/dashboard")
    assert upstream_requests() - before == 1
    page = soup(response)
    assert "Welcome back, Jamie" in page.h1.text
    tiles = {
        t.select_one(".tile__label").text.strip(): int(t.select_one(".tile__count").text)
        for t in page.select(".tile")
    }
    assert tiles["waitlisted"] == 3 and tiles["archived"] == 4
    assert "Acme Standard" in page.select_one(".summary").text
    assert "$120.00" in page.select_one(".summary").text
    assert len(page.select("#recent-title ~ .cards .card")) == 4
    # The demo learner has two overdue items (a completed one with a past due date is not).
    assert len(page.select(".due-list .badge--alert")) == 2


def test_a_dead_upstream_token_sends_the_learner_to_sign_in_again(learner):
    with learner.client.session_transaction() as stored:
        stored["token"] = "revoked-or-unknown"
    response = learner.get("/dashboard")
    assert response.status_code == 303
    assert "/login?next=/dashboard" in response.headers["Location"]


def test_instance_down_still_renders_the_page_and_says_what_is_missing(learner, sandbox):
    learner.get("/dashboard")  # branding now cached
    sandbox.faults.fault_rate = 1.0
    response = learner.get("/dashboard")
    assert response.status_code == 200
    page = soup(response)
    assert "couldn't reach the learning platform" in page.select_one(".notices").text
    assert page.select_one(".brand__logo")["alt"] == "Acme Learning"


def test_the_sandbox_sign_in_page_names_its_demo_accounts(browser):
    page = soup(browser.get("/login", headers={"Accept-Language": "ar"}))
    section = page.find(id="demo-accounts-title").parent
    rows = [[cell.get_text(strip=True) for cell in row.select("td")] for row in section("tr")[1:]]
    assert [row[:2] for row in rows] == [
        ["learner@acme.test", "learner"],
        ["learner2@acme.test", "learner2"],
        ["admin@acme.test", "admin"],
    ]
    assert "Camille Martin" in rows[1][2]
    # Emails and passwords read left to right inside the right-to-left page.
    assert page.html["dir"] == "rtl"
    assert all(kbd["dir"] == "ltr" for kbd in section("kbd")) and len(section("kbd")) == 6


def test_the_sign_in_page_in_front_of_a_real_instance_names_no_demo_accounts(live_server, tmp_path):
    from webapp import create_app

    env = {
        "TI_INSTANCE_URL": live_server.url,
        "TI_API_KEY": "sandbox",
        "SECRET_KEY": "instance-secret",
        "STATE_DB": str(tmp_path / "instance-state.sqlite3"),
    }
    instance_app = create_app({"ENV": env, "TESTING": True})
    assert "sandbox" not in instance_app.extensions
    response = instance_app.test_client().get("/login")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="demo-accounts-title"' not in html
    assert "learner@acme.test" not in html and "Demo accounts" not in html
