"""The 5xx test_fuzz_routes.py found, each as a plain example: what the request was, and the
answer a user should get instead."""

from __future__ import annotations

import pytest

from tests.web.conftest import Browser, soup

ADMIN_ACTIONS = ("/admin/learners", "/admin/learners/import", "/admin/learners/import/confirm")
TOO_LARGE = {"x": "y" * (7 * 1024 * 1024)}  # past the app's MAX_CONTENT_LENGTH


def signed_in(app, who: str) -> Browser:
    browser = Browser(app.test_client())
    browser.sign_in(who)
    return browser


@pytest.mark.parametrize("path", ADMIN_ACTIONS)
def test_a_learner_posting_too_much_to_an_admin_action_gets_403_not_a_500(app, path):
    learner = signed_in(app, "learner")
    response = learner.post(path, TOO_LARGE)
    assert response.status_code == 403
    assert "Access denied" in soup(response).find("h1").text


@pytest.mark.parametrize("path", ADMIN_ACTIONS)
def test_a_visitor_posting_too_much_to_an_admin_action_is_sent_to_sign_in(app, path):
    visitor = Browser(app.test_client())
    response = visitor.post(path, TOO_LARGE)
    assert response.status_code == 303
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("origin", ["http://[", "https://[::1"])
def test_a_malformed_origin_on_a_state_change_is_refused_with_403_not_a_500(app, origin):
    learner = signed_in(app, "learner")
    response = learner.post(
        "/language", {"lang": "fr", "next": "/dashboard"}, headers={"Origin": origin}
    )
    assert response.status_code == 403


MALFORMED_URLS = ["https://[", "https://[::1/x.png", "//[evil"]


@pytest.mark.parametrize("url", MALFORMED_URLS)
def test_a_malformed_background_url_gives_the_theme_without_it_not_a_500(app, url):
    response = app.test_client().get("/branding/theme.css", query_string={"bg": url})
    assert response.status_code == 200
    assert "url(" not in response.get_data(as_text=True)


@pytest.mark.parametrize("url", MALFORMED_URLS)
def test_a_malformed_image_link_for_a_certificate_asks_for_an_https_link(app, sandbox, url):
    from tests.web.test_certificates import form_data

    learner = signed_in(app, "learner")
    learner.get("/certificates/new")
    response = learner.post(
        "/certificates/new",
        form_data(image=None, image_url=url),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Enter an https link to the image" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", MALFORMED_URLS)
def test_a_malformed_trial_logo_is_a_form_error_for_the_admin_not_a_500(app, url):
    admin = signed_in(app, "admin")
    response = admin.get("/admin/branding", query_string={"logo": url})
    assert response.status_code == 422
    assert "Enter an https, http or relative address." in response.get_data(as_text=True)


def test_a_malformed_logo_url_from_the_instance_is_left_out_not_a_500(app, sandbox):
    with sandbox.store.write() as conn:
        conn.execute("UPDATE appearance SET logo_asset = 'https://[acme'")
    learner = signed_in(app, "learner")
    response = learner.get("/dashboard")
    assert response.status_code == 200
    assert "https://[acme" not in response.get_data(as_text=True)


def course_id(sandbox, slug: str) -> str:
    with sandbox.store.read() as conn:
        return conn.execute("SELECT id FROM content WHERE slug = ?", (slug,)).fetchone()[0]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_malformed_referer_on_use_my_credits_is_ignored_not_a_500(app, sandbox, method):
    learner = signed_in(app, "learner")
    path = f"/learning/{course_id(sandbox, 'statistics-for-analysts')}/redeem-balance"
    data = {"csrf_token": learner.csrf} if method == "POST" else None  # unconfirmed: the step
    response = learner.client.open(
        path, method=method, data=data, headers={"Referer": "http://[localhost/learning"}
    )
    assert response.status_code == 200
    assert "Use my balance" in response.get_data(as_text=True)


@pytest.mark.parametrize("auth_token", ["abc\ndef", "abc\r\nX-Evil: 1", "\x00", "x y"])
def test_a_handoff_token_with_a_malformed_ti_token_is_refused_and_breaks_nobodys_pages(
    app, auth_token
):
    from webapp.embed.handoff import issue

    config = app.config
    portal = Browser(app.test_client())
    for _ in range(config["BREAKER_FAILURES"] + 1):
        token = issue(
            config["EMBED_SHARED_SECRET"], config["EMBED_AUDIENCE"], auth_token=auth_token
        )
        origin = config["EMBED_ALLOWED_ORIGINS"][0]
        response = portal.client.post(
            "/embed/session", data={"token": token}, headers={"Origin": origin}
        )
        assert response.status_code == 400
        assert "This sign-in link is not valid." in response.get_data(as_text=True)
    learner = signed_in(app, "learner")  # the instance was never called with it: still open
    assert learner.get("/dashboard").status_code == 200


@pytest.mark.parametrize("path", ["/admin/branding/preview//0", "//dashboard", "/learning"])
def test_a_raw_line_break_in_the_query_string_is_a_bad_request_not_a_500(app, seed, path):
    # Routing would merge the slashes with a redirect carrying the query into Location.
    admin = Browser(app.test_client()).resume(seed, "admin")
    environ = {"QUERY_STRING": "lang=\r\nSet-Cookie: x=1"}
    response = admin.client.get(path, environ_overrides=environ)
    assert response.status_code == 400
    assert not any("x=1" in value for _name, value in response.headers)


def test_a_count_of_hundreds_of_digits_is_ignored_and_the_learner_still_leaves(app, seed, sandbox):
    # NumberRange turned it into a float to rule out NaN: OverflowError, a 500.
    learner = Browser(app.test_client()).resume(seed, "learner")
    page = soup(learner.get("/waitlist"))
    form = page.select_one("form[action$='/leave']")
    data = {i["name"]: i.get("value", "") for i in form.select("input[name]")}
    data.update(confirm="yes", count="1" * 400)
    response = learner.post(form["action"], data)
    assert response.status_code == 303
    assert "You left the waitlist" in soup(learner.get(response.headers["Location"])).text
