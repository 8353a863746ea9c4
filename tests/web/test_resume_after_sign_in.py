"""Nothing lost at re-sign-in: when the instance session ends in the middle of filling a form,
the learner signs in again and finds the form as they left it, sent by nobody.

The instance session is ended for real: the sandbox is told to sign the learner's authToken
out (as when it expires), so the next request upstream answers "not authenticated".
"""

from __future__ import annotations

import io
import sqlite3
from datetime import date, timedelta

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.support import ACCOUNTS
from tests.web.conftest import Browser, soup
from webapp import resume
from webapp.gql import Call

NOTICE = "You were signed out, so nothing was sent. Check what you typed and send it again."
FILE_NOTE = "choose the image again"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


def end_instance_session(app, browser: Browser) -> None:
    """The instance forgets the learner's authToken (Atrium still holds it)."""
    with browser.client.session_transaction() as stored:
        token = stored["token"]
    with app.test_request_context():
        app.extensions["instance"].mutate(Call("Logout"), token=token)


def sign_in_at(browser: Browser, location: str, who: str):
    """Sign in on the page `location` leads to, as a learner would; the page it returns to."""
    login = browser.get(location)
    assert login.status_code == 200
    email, password = ACCOUNTS[who]
    next_path = soup(login).select_one("form[action='/login'] input[name=next]")["value"]
    answer = browser.post("/login", {"email": email, "password": password, "next": next_path})
    assert answer.status_code == 303, answer.get_data(as_text=True)[:500]
    return browser.get(answer.headers["Location"])


def notices(response) -> str:
    return " ".join(soup(response).select_one("#notices").get_text(" ").split())


def code_boxes(response) -> list[str]:
    return [i.get("value", "") for i in soup(response).select("input.code-field__input")]


def calls(sandbox, name: str) -> int:
    return sandbox.stats.snapshot()["by_operation"].get(name, 0)


def everything_kept(sandbox_env) -> str:
    """Every value the shared state holds (sessions included), as one text."""
    with sqlite3.connect(sandbox_env["STATE_DB"]) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return " ".join(
            str(row) for table in tables for row in conn.execute(f"SELECT * FROM {table}")
        )


# -- redeem ---------------------------------------------------------------------------------------


def test_codes_typed_before_the_session_ended_are_back_after_signing_in(app, learner, sandbox):
    learner.get("/redeem")
    end_instance_session(app, learner)
    sent = learner.post(
        "/redeem", {"codes-0": "WELCOME-2026", "codes-1": "expired-2024", "action": "redeem"}
    )
    assert sent.status_code == 303
    assert sent.headers["Location"] == "/login?next=/redeem"
    back = sign_in_at(learner, sent.headers["Location"], "learner")
    assert back.request.path == "/redeem"
    assert code_boxes(back) == ["WELCOME-2026", "expired-2024"]
    assert NOTICE in notices(back)
    assert FILE_NOTE not in notices(back)
    assert calls(sandbox, "RedeemRegistrationAndRedemptionCodes") == 0  # nothing was redeemed
    # Given back once: the next visit is a fresh form.
    again = learner.get("/redeem")
    assert code_boxes(again) == [""] and NOTICE not in notices(again)


def test_an_htmx_request_goes_to_sign_in_and_its_codes_come_back(app, learner, sandbox):
    learner.get("/redeem/WELCOME-2026")
    end_instance_session(app, learner)
    sent = learner.htmx(
        "POST",
        "/redeem",
        {"codes-0": "WELCOME-2026", "codes-1": "NEXT-ONE", "action": "add"},
        headers={"HX-Current-URL": "http://localhost/redeem/WELCOME-2026"},
    )
    assert sent.status_code == 200
    assert sent.headers["HX-Redirect"] == "/login?next=/redeem"
    back = sign_in_at(learner, sent.headers["HX-Redirect"], "learner")
    assert code_boxes(back) == ["WELCOME-2026", "NEXT-ONE"]
    assert NOTICE in notices(back)
    assert calls(sandbox, "RedeemRegistrationAndRedemptionCodes") == 0


def test_a_code_being_checked_as_it_is_typed_comes_back_too(app, learner):
    learner.get("/redeem")
    end_instance_session(app, learner)
    sent = learner.htmx(
        "POST",
        "/redeem/check?part=status",
        {"codes-0": "WELCOME-2026"},
        headers={"HX-Current-URL": "http://localhost/redeem"},
    )
    assert sent.headers["HX-Redirect"] == "/login?next=/redeem"
    back = sign_in_at(learner, sent.headers["HX-Redirect"], "learner")
    assert code_boxes(back) == ["WELCOME-2026"] and NOTICE in notices(back)


def test_someone_else_signing_in_on_that_browser_never_sees_what_was_typed(
    app, learner, sandbox_env
):
    learner.get("/redeem")
    end_instance_session(app, learner)
    sent = learner.post("/redeem", {"codes-0": "PRIVATE-CODE-1", "action": "check"})
    other = sign_in_at(learner, sent.headers["Location"], "learner2")
    assert other.request.path == "/redeem"
    assert "PRIVATE-CODE-1" not in other.get_data(as_text=True)
    assert code_boxes(other) == [""]
    assert "PRIVATE-CODE-1" not in everything_kept(sandbox_env)  # discarded, not set aside
    # The one who signed in gets back only what they typed themselves.
    end_instance_session(app, learner)
    sent = learner.post("/redeem", {"codes-0": "CAMILLES-CODE", "action": "check"})
    theirs = sign_in_at(learner, sent.headers["Location"], "learner2")
    assert code_boxes(theirs) == ["CAMILLES-CODE"]
    assert "rien n'a été envoyé" in notices(theirs)  # in Camille's language


def test_only_typed_text_is_kept_never_a_password_a_token_or_an_oversized_value(
    app, learner, sandbox_env
):
    learner.get("/redeem")
    end_instance_session(app, learner)
    huge = "X" * (resume.MAX_VALUE + 1)
    sent = learner.post(
        "/redeem",
        {
            "codes-0": "WELCOME-2026",
            "codes-1": huge,
            "password": "hunter2-typed-secret",
            "submission_id": "sub-id-never-kept-123456",
            "action": "redeem",
        },
    )
    kept = everything_kept(sandbox_env)
    assert "WELCOME-2026" in kept  # the code is kept...
    for secret in ("hunter2-typed-secret", "sub-id-never-kept-123456", huge):
        assert secret not in kept  # ...and nothing else
    with learner.client.session_transaction() as stored:
        csrf = stored["csrf_token"]
    assert kept.count(csrf) == 1  # the session's own token, not a kept copy
    back = sign_in_at(learner, sent.headers["Location"], "learner")
    assert code_boxes(back) == ["WELCOME-2026"]


def test_what_was_typed_is_kept_for_half_an_hour(app, learner, monkeypatch):
    clock = [1_000_000.0]
    monkeypatch.setattr(resume, "_now", lambda: clock[0])
    for minutes, comes_back in ((29, True), (31, False)):
        learner.get("/redeem")
        end_instance_session(app, learner)
        sent = learner.post("/redeem", {"codes-0": "WELCOME-2026", "action": "check"})
        clock[0] += minutes * 60
        back = sign_in_at(learner, sent.headers["Location"], "learner")
        assert (code_boxes(back) == ["WELCOME-2026"]) is comes_back, minutes
        assert (NOTICE in notices(back)) is comes_back


# -- an external certificate ---------------------------------------------------------------------


@pytest.fixture
def upload_folder(app, tmp_path):
    folder = tmp_path / "uploads"
    app.config["UPLOAD_FOLDER"] = str(folder)
    return folder


def post_certificate(browser: Browser, data: dict):
    data = {"csrf_token": browser.csrf, **data}
    boundary, body = encode_multipart(data)
    return browser.client.post(
        "/certificates/new", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def test_the_certificate_form_comes_back_filled_in_but_the_file_must_be_chosen_again(
    app, learner, sandbox, upload_folder
):
    completed = (date.today() - timedelta(days=10)).isoformat()
    expires = (date.today() + timedelta(days=365)).isoformat()
    learner.get("/certificates/new")
    end_instance_session(app, learner)
    sent = post_certificate(
        learner,
        {
            "title": "Forklift Operator Licence",
            "completed_on": completed,
            "expires_on": expires,
            "identifier": "FLT-2026-0042",
            "image": FileStorage(io.BytesIO(PNG), filename="licence.png", content_type="image/png"),
            "image_url": "",
        },
    )
    assert sent.status_code == 303
    assert sent.headers["Location"] == "/login?next=/certificates/new"
    back = sign_in_at(learner, sent.headers["Location"], "learner")
    form = soup(back).select_one("form.cert-form")
    assert form.select_one("[name=title]")["value"] == "Forklift Operator Licence"
    assert form.select_one("[name=completed_on]")["value"] == completed
    assert form.select_one("[name=expires_on]")["value"] == expires
    assert form.select_one("[name=identifier]")["value"] == "FLT-2026-0042"
    assert not form.select_one("[name=image]").get("value")
    assert NOTICE in notices(back) and FILE_NOTE in notices(back)
    assert not soup(back).select(".field__error")  # refilled, not judged
    assert calls(sandbox, "CreateCertificateFromUpload") == 0
    assert not upload_folder.exists() or not any(upload_folder.iterdir())


def test_a_certificate_linked_by_url_comes_back_with_its_link(app, learner):
    learner.get("/certificates/new")
    end_instance_session(app, learner)
    sent = post_certificate(
        learner,
        {
            "title": "First Aid",
            "completed_on": "not a date",
            "image_url": "https://example.com/first-aid.png",
        },
    )
    back = sign_in_at(learner, sent.headers["Location"], "learner")
    form = soup(back).select_one("form.cert-form")
    assert form.select_one("[name=title]")["value"] == "First Aid"
    assert form.select_one("[name=completed_on]")["value"] == "not a date"  # as typed
    assert form.select_one("[name=image_url]")["value"] == "https://example.com/first-aid.png"
    assert NOTICE in notices(back) and FILE_NOTE not in notices(back)


# -- an admin creating a learner -----------------------------------------------------------------


def test_the_learner_being_created_is_back_in_the_admins_form(app, admin, sandbox):
    admin.get("/admin/learners")
    end_instance_session(app, admin)
    sent = admin.post(
        "/admin/learners",
        {
            "email": "new.person@acme.test",
            "first_name": "Nova",
            "last_name": "Person",
            "client": "other",
            "other_client": "client-elsewhere",
            "licenses": "lic-acme-standard",
            "other_licenses": "lic-acme-leadership",
        },
    )
    assert sent.status_code == 303
    assert sent.headers["Location"] == "/login?next=/admin/learners"
    back = sign_in_at(admin, sent.headers["Location"], "admin")
    form = soup(back).select_one("form.admin-form")
    assert form.select_one("[name=email]")["value"] == "new.person@acme.test"
    assert form.select_one("[name=first_name]")["value"] == "Nova"
    assert form.select_one("[name=last_name]")["value"] == "Person"
    assert form.select_one("input[name=client][value=other]").has_attr("checked")
    assert form.select_one("[name=other_client]")["value"] == "client-elsewhere"
    assert form.select_one("input[name=licenses][value=lic-acme-standard]").has_attr("checked")
    assert form.select_one("[name=other_licenses]")["value"] == "lic-acme-leadership"
    assert NOTICE in notices(back)
    assert not soup(back).select(".field__error")
    assert calls(sandbox, "CreateLearner") == 0
    with sandbox.store.read() as conn:
        assert conn.execute(
            "SELECT 1 FROM users WHERE email = 'new.person@acme.test'"
        ).fetchone() is None  # fmt: skip
