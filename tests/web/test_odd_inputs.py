"""No input, however odd, gets a 500: the odd inputs that once did, kept as examples. The route
fuzz (tests/fuzz) sends hostile values to every parameter of every route, signed in and not."""

from __future__ import annotations

import pytest


def test_odd_htmx_headers_and_redirect_targets_are_handled(app, learner):
    response = app.test_client().get(  # signed out: sent to sign in, back to "the page"
        "/dashboard", headers={"HX-Request": "true", "HX-Current-URL": "http://[::1"}
    )
    assert response.status_code == 200 and "HX-Redirect" in response.headers
    response = learner.post(
        "/license", {"license_id": "lic-acme-leadership", "next": "/€"},
        headers={"HX-Request": "true", "X-CSRFToken": learner.csrf},
    )  # fmt: skip
    assert response.headers["HX-Redirect"] == "/%E2%82%AC"


TEXT_FIELDS_BY_ROUTE = {  # a text field of each form, sent as a file part (issue 12, item 9)
    "/login": {"email": "learner@acme.test", "password": "learner"},
    "/license": {"license": "lic-acme-standard", "next": "/dashboard"},
    "/waitlist/course-x/leave": {"submission_id": "x" * 32},
    "/certificates/new": {"title": "A title", "completed_on": "2026-01-05"},
}


@pytest.mark.parametrize("path", TEXT_FIELDS_BY_ROUTE)
def test_a_text_field_sent_as_a_file_part_is_a_clear_refusal_not_a_500(learner, path):
    import io

    data = {"csrf_token": learner.csrf}
    for name, value in TEXT_FIELDS_BY_ROUTE[path].items():
        data[name] = (io.BytesIO(value.encode()), "field.txt")
    answer = learner.client.post(path, data=data, content_type="multipart/form-data")
    assert answer.status_code < 500, answer.get_data(as_text=True)[:300]


def test_the_admin_form_takes_no_text_field_as_a_file_part(admin):
    import io

    admin.get("/admin/learners")
    data = {"csrf_token": admin.csrf, "email": (io.BytesIO(b"new@acme.test"), "e.txt")}
    answer = admin.client.post("/admin/learners", data=data, content_type="multipart/form-data")
    assert answer.status_code == 422


def test_a_completion_date_of_only_spaces_asks_for_a_date(learner, sandbox):
    from tests.web.test_certificates import form_data

    learner.get("/certificates/new")
    before = sandbox.stats.snapshot()["by_operation"].get("CreateCertificateFromUpload", 0)
    answer = learner.post(
        "/certificates/new", form_data(completed_on="   "), content_type="multipart/form-data"
    )
    assert answer.status_code == 422
    assert "Enter the date you completed it." in answer.get_data(as_text=True)
    after = sandbox.stats.snapshot()["by_operation"].get("CreateCertificateFromUpload", 0)
    assert after == before  # nothing sent


def test_a_lone_surrogate_from_the_instance_is_shown_as_a_replacement_not_a_500(
    browser, sandbox, monkeypatch
):
    # JSON may carry "\ud800", which no UTF-8 page can hold; the instance's data is shown with
    # U+FFFD in its place rather than failing the whole page (and the admin's CSS panel).
    from webapp.sandbox import engine

    answered = engine.SandboxResponse.body

    def with_a_lone_surrogate(self) -> bytes:
        return answered(self).replace(b"Jamie Rivera", b"Jamie \\ud800Rivera")

    monkeypatch.setattr(engine.SandboxResponse, "body", with_a_lone_surrogate)
    browser.sign_in("learner")
    answer = browser.get("/dashboard")
    assert answer.status_code == 200
    assert "Jamie \ufffdRivera" in answer.get_data(as_text=True)
