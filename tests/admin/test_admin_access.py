"""Admin pages are for CurrentUser.roleKey admin: everyone else gets 403 and changes nothing."""

from __future__ import annotations

import pytest

from tests.pages import learner_paths
from tests.web.conftest import soup

GET_PAGES = [
    "/admin/",
    "/admin/branding",
    "/admin/branding?accent=%23ff0000",
    "/admin/branding/preview/dashboard",
    "/admin/branding/preview/learning",
    "/admin/branding/preview/badges",
    "/admin/branding/preview.css",
    "/admin/translations",
    "/admin/translations.csv",
    "/admin/learners",
    "/admin/learners/import",
    "/admin/learners/import/report",
    "/admin/learners/import/report.csv",
]
POSTS = [
    "/admin/learners",
    "/admin/learners/import",
    "/admin/learners/import/confirm",
    "/admin/learners/import/cancel",
]


def user_count(sandbox) -> int:
    with sandbox.store.read() as conn:
        return conn.execute("SELECT COUNT(*) FROM users").fetchone()[0]


@pytest.mark.parametrize("path", GET_PAGES)
def test_learners_are_refused_every_admin_page(learner, path):
    response = learner.get(path)
    assert response.status_code == 403, path
    page = soup(response)
    assert "Access denied" in page.find("h1").text
    assert not page.find("a", href=lambda h: h and h.startswith("/admin")), path


@pytest.mark.parametrize("path", POSTS)
def test_learners_cannot_act_as_admins(learner, sandbox, path):
    before = user_count(sandbox)
    response = learner.post(
        path, {"email": "sneaky@x.test", "first_name": "Sneaky", "last_name": "Learner"}
    )
    assert response.status_code == 403, path
    assert user_count(sandbox) == before


@pytest.mark.parametrize("path", ["/admin/branding", "/admin/learners", "/admin/translations"])
def test_signed_out_visitors_are_sent_to_sign_in_and_back(app, path):
    response = app.test_client().get(path)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/login?next={path}")


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/admin/", "Administration"),
        ("/admin/branding", "Branding"),
        ("/admin/translations", "Translation coverage"),
        ("/admin/learners", "Learners"),
    ],
)
def test_the_admin_sees_each_page_in_one_upstream_request(admin, sandbox, path, heading):
    admin.get(path)  # the instance-level chrome is cached from here on, as in production
    before = sandbox.stats.snapshot()["http_requests"]
    response = admin.get(path)
    assert response.status_code == 200
    assert soup(response).find("h1").text.strip() == heading
    assert sandbox.stats.snapshot()["http_requests"] - before == 1


def test_only_the_preview_may_be_framed_and_only_by_our_own_pages(admin):
    preview = admin.get("/admin/branding/preview/dashboard")
    assert "frame-ancestors 'self'" in preview.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in preview.headers
    for path in ("/admin/branding", "/admin/learners", "/admin/translations"):
        response = admin.get(path)
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], path
        assert response.headers["X-Frame-Options"] == "DENY"
    learner_page = admin.get("/dashboard")
    assert "frame-ancestors 'none'" in learner_page.headers["Content-Security-Policy"]


def test_an_admin_post_without_csrf_is_refused_and_creates_nobody(admin, sandbox):
    before = user_count(sandbox)
    response = admin.post(
        "/admin/learners",
        {"email": "nocsrf@x.test", "first_name": "No", "last_name": "Token"},
        csrf=False,
    )
    assert response.status_code == 400
    assert user_count(sandbox) == before


def test_an_unreachable_instance_is_not_mistaken_for_a_refusal(admin, sandbox):
    sandbox.faults.fault_rate = 1.0
    try:
        response = admin.get("/admin/learners")
    finally:
        sandbox.faults.fault_rate = 0.0
    assert response.status_code == 503


def test_learner_pages_show_learners_no_admin_links(app, learner):
    for path in learner_paths(app):
        page = soup(learner.get(path))
        assert not page.find("a", href=lambda h: h and h.startswith("/admin")), path


def test_the_header_links_to_the_admin_pages_for_whoever_may_open_them(admin, sandbox):
    """The role as the instance spells it ("Admin", with a space): the admin pages let this
    user in, so the account menu must offer them too."""
    with sandbox.store.write() as conn:
        conn.execute("UPDATE users SET role_key = ' Admin' WHERE email = 'admin@acme.test'")
    response = admin.get("/admin/")
    assert response.status_code == 200
    menu = soup(response).select_one(".site-header .account-menu")
    assert menu.select_one("a.account__admin")["href"] == "/admin/"
