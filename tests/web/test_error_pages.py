"""Error pages wear the company's branding and chrome, like every other page; GET /logout is a
page with the sign-out button, not a 405."""

from __future__ import annotations

from tests.web.conftest import soup

UNKNOWN = "/no/such/page"
MISSING_UPLOAD = "/uploads/" + "A" * 32 + ".png"  # a name Atrium could have made; no such file


def branded(page) -> bool:
    """The company's look: its name in the title, its logo, its colours in the theme CSS."""
    theme_css = page.select_one('link[href*="theme.css"]')["href"]
    return (
        "Acme Learning" in page.title.text
        and page.select_one(".brand__logo") is not None
        and "accent=" in theme_css
        and page.select_one(".site-footer") is not None
    )


def test_an_unknown_address_gets_a_branded_page_for_a_visitor(browser):
    response = browser.get(UNKNOWN)
    assert response.status_code == 404
    page = soup(response)
    assert branded(page)
    assert page.h1.text == "Page not found"
    assert page.select_one(".main-nav") is None  # nobody is signed in


def test_an_unknown_address_gets_the_learners_chrome(learner, learner2):
    page = soup(learner.get(UNKNOWN))
    assert branded(page)
    assert page.select_one(".account__name").text.strip() == "Jamie Rivera"
    assert page.select_one(".main-nav a[href='/dashboard']") is not None
    assert page.select_one('header form[action="/logout"]') is not None
    # Camille reads it in her language, with her client's own branding.
    other = soup(learner2.get(UNKNOWN))
    assert other.html["lang"] == "fr"
    assert other.select_one(".account__name").text.strip() == "Camille Martin"
    theme = other.select_one('link[href*="theme.css"]')["href"]
    assert theme != page.select_one('link[href*="theme.css"]')["href"]


def test_a_missing_upload_gets_a_branded_page(browser, learner):
    for who in (browser, learner):
        response = who.client.get(MISSING_UPLOAD)
        assert response.status_code == 404
        assert branded(soup(response))
    assert browser.client.get("/uploads/not-ours.exe").status_code == 404


def test_a_refused_method_gets_a_branded_page(learner):
    # A refused request is answered from what is cached: here, the dashboard the learner has open.
    learner.get("/dashboard")
    response = learner.client.post("/dashboard", data={"csrf_token": learner.csrf})
    assert response.status_code == 405
    assert branded(soup(response))


def test_an_error_page_when_the_instance_is_down_uses_the_cached_branding(browser, sandbox):
    browser.get("/login")  # the company's branding is now cached
    sandbox.faults.fault_rate = 1.0
    before = sandbox.stats.snapshot()["http_requests"]
    response = browser.get(UNKNOWN)
    assert response.status_code == 404
    assert branded(soup(response))
    assert sandbox.stats.snapshot()["http_requests"] == before  # all from the cache


def test_the_instance_failing_gets_a_branded_page_without_asking_it_again(app, browser, sandbox):
    from webapp.gql import UpstreamUnavailable

    def failing():
        raise UpstreamUnavailable("timed out")

    app.add_url_rule("/test-failing", "test_failing", failing)
    browser.get("/login")  # the company's branding is now cached
    before = sandbox.stats.snapshot()["http_requests"]
    response = browser.get("/test-failing")
    assert response.status_code == 503
    page = soup(response)
    assert branded(page)
    assert page.h1.text == "Learning platform unavailable"
    assert sandbox.stats.snapshot()["http_requests"] == before


def test_a_fragment_error_stays_a_fragment(learner):
    response = learner.htmx("GET", UNKNOWN)
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "<html" not in html and "Page not found" in html


def test_get_logout_offers_the_sign_out_button_to_a_learner(learner, sandbox):
    response = learner.get("/logout")
    assert response.status_code == 200
    page = soup(response)
    assert branded(page)
    form = page.select_one("main form")
    assert form["method"] == "post" and form["action"] == "/logout"
    assert form.select_one("input[name=csrf_token]")["value"]
    assert form.select_one("button[type=submit]").text.strip() == "Sign out"
    assert sandbox.stats.snapshot()["by_operation"].get("Logout", 0) == 0  # GET signs nobody out
    assert learner.get("/dashboard").status_code == 200
    learner.get("/logout")
    response = learner.post("/logout")
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert learner.get("/dashboard").status_code == 303


def test_get_logout_sends_a_visitor_to_sign_in(browser):
    response = browser.get("/logout")
    assert response.status_code == 303 and response.headers["Location"] == "/login"


def test_get_logout_names_the_learners_own_client(learner2):
    lede = soup(learner2.get("/logout")).select_one("main .lede").text
    assert "Globex" in lede and "Acme" not in lede
