"""A mutation whose answer is lost: the page reads the state again and says what happened.

The sandbox runs the mutation for real and withholds its answer past the client's timeout
(`sandbox.faults.lose_answers`), so Atrium meets what it meets when an instance times out on
work it did. With `fail_after_loss` the instance then goes down, so the re-read fails too: only
then may a page say it can't tell.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.web.conftest import Browser, instance_answer, soup
from webapp import create_app
from webapp.gql import UpstreamUnavailable
from webapp.sandbox.seed import content_id

LEADERSHIP = "lic-acme-leadership"  # the demo learner's second license
STANDARD = "lic-acme-standard"  # the active one
SQL = content_id("sql-fundamentals")  # in the demo learner's learning, under way
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


@pytest.fixture
def app(sandbox_env, tmp_path, request):
    """A short page deadline: a lost answer costs the client the page's whole deadline (its
    read timeout is sized to it), and the tests need not wait three seconds for each.
    `indirect` "cached" turns the learner cache on, as in production."""
    env = {**sandbox_env, "PAGE_DEADLINE": "0.5"}
    if getattr(request, "param", None) == "cached":
        env.update(LEARNER_CACHE_TTL="60", STALE_KEEP_SECONDS="21600")
    app = create_app({"ENV": env, "TESTING": True})
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    return app


@contextmanager
def answers_lost(sandbox, *operations: str, then_down: bool = False) -> Iterator[None]:
    """The instance runs `operations` but their answers never arrive; with `then_down` every
    request after the first lost answer fails (the re-read too)."""
    lost_before = sandbox.stats.snapshot()["lost_answers"]
    sandbox.faults.lose_answers = frozenset(operations)
    sandbox.faults.fail_after_loss = then_down
    try:
        yield
    finally:
        sandbox.faults.lose_answers = frozenset()
        sandbox.faults.fail_after_loss = False
        sandbox.faults.fault_rate = 0.0
    assert sandbox.stats.snapshot()["lost_answers"] > lost_before, "no answer was lost"


def ran(sandbox, operation: str) -> int:
    return sandbox.stats.snapshot()["by_operation"].get(operation, 0)


def notices(response) -> str:
    return soup(response).select_one(".notices").get_text(" ", strip=True)


# -- leaving a waitlist ----------------------------------------------------------------------------


def waitlist_ids(app, learner) -> list[str]:
    return [w.id for w in instance_answer(app, learner, "UserWaitlist")]


def test_a_lost_leave_with_htmx_says_the_learner_left_and_removes_the_row(app, learner, sandbox):
    gone, *kept = instance_answer(app, learner, "UserWaitlist")
    learner.get("/waitlist")
    with answers_lost(sandbox, "UnenrollFromWaitlist"):
        response = learner.htmx(
            "POST", f"/waitlist/{gone.id}/leave", {"confirm": "yes", "title": gone.title}
        )
    assert waitlist_ids(app, learner) == [w.id for w in kept]  # the instance did it
    assert response.status_code == 200
    fragment = soup(response)
    assert f"You left the waitlist for {gone.title}." in fragment.select_one(".notice").text
    assert fragment.find(id=f"waitlist-item-{gone.id}")["hx-swap-oob"] == "delete"
    assert fragment.find(id="waitlist-count").text.strip() == "2 courses"


def test_a_lost_leave_without_javascript_says_the_learner_left(app, learner, sandbox):
    gone = instance_answer(app, learner, "UserWaitlist")[0]
    learner.get("/waitlist")
    with answers_lost(sandbox, "UnenrollFromWaitlist"):
        response = learner.post(
            f"/waitlist/{gone.id}/leave", {"confirm": "yes", "title": gone.title}
        )
    assert response.status_code == 303
    page = learner.get(response.headers["Location"])
    status = notices(page)
    assert f"You left the waitlist for {gone.title}." in status
    assert "still on this waitlist" not in status
    assert gone.id not in [li["id"] for li in soup(page).select("li.waitlist-item")]


@pytest.mark.parametrize("app", ["cached"], indirect=True)
def test_with_the_learner_cache_the_re_read_is_not_the_cached_waitlist(app, learner, sandbox):
    gone = instance_answer(app, learner, "UserWaitlist")[0]
    learner.get("/waitlist")  # the waitlist is cached now, a minute fresh
    with answers_lost(sandbox, "UnenrollFromWaitlist"):
        hx = learner.htmx("POST", f"/waitlist/{gone.id}/leave", {"confirm": "yes"})
    assert "You left the waitlist." in soup(hx).select_one(".notice").text
    assert soup(hx).find(id="waitlist-count").text.strip() == "2 courses"
    page = soup(learner.get("/waitlist"))
    assert page.select_one("#waitlist-count").text.strip() == "2 courses"


def test_a_lost_leave_whose_re_read_fails_says_it_cant_tell(app, learner, sandbox):
    gone = instance_answer(app, learner, "UserWaitlist")[0]
    learner.get("/waitlist")
    with answers_lost(sandbox, "UnenrollFromWaitlist", then_down=True):
        response = learner.htmx("POST", f"/waitlist/{gone.id}/leave", {"confirm": "yes"})
    text = soup(response).select_one(".notice").text
    assert "can't tell whether you left this waitlist" in text
    assert "still on this waitlist" not in text


def test_a_lost_leave_without_javascript_whose_re_read_fails_says_it_cant_tell(
    app, learner, sandbox
):
    gone = instance_answer(app, learner, "UserWaitlist")[0]
    learner.get("/waitlist")
    with answers_lost(sandbox, "UnenrollFromWaitlist", then_down=True):
        learner.post(f"/waitlist/{gone.id}/leave", {"confirm": "yes"})
        page = learner.get("/waitlist")  # the instance is still down
    status = notices(page)
    assert "can't tell whether you left this waitlist" in status


# -- switching license -----------------------------------------------------------------------------


def active_license(app, learner) -> str:
    return instance_answer(app, learner, "CurrentUser").active_license.id


def test_a_lost_license_switch_that_happened_says_the_license_changed(app, learner, sandbox):
    learner.get("/badges")
    with answers_lost(sandbox, "SelectCurrentUserActiveLicense"):
        response = learner.post("/license", {"license_id": LEADERSHIP, "next": "/badges"})
    assert response.status_code == 303 and response.headers["Location"] == "/badges"
    assert active_license(app, learner) == LEADERSHIP
    page = learner.get("/badges")
    assert "Your active license has changed." in notices(page)
    assert "didn't change" not in notices(page)
    assert soup(page).select_one("#header-license option[selected]")["value"] == LEADERSHIP


@pytest.mark.parametrize("app", ["cached"], indirect=True)
def test_with_the_learner_cache_a_lost_switch_is_judged_on_a_fresh_read(app, learner, sandbox):
    learner.get("/badges")  # the learner and their active license are cached now
    with answers_lost(sandbox, "SelectCurrentUserActiveLicense"):
        learner.post("/license", {"license_id": LEADERSHIP, "next": "/badges"})
    page = learner.get("/badges")
    assert "Your active license has changed." in notices(page)
    assert soup(page).select_one("#header-license option[selected]")["value"] == LEADERSHIP


def test_a_lost_switch_the_instance_refused_says_the_license_did_not_change(app, learner, sandbox):
    learner.get("/profile")
    with answers_lost(sandbox, "SelectCurrentUserActiveLicense"):
        learner.post("/license", {"license_id": "lic-globex", "next": "/profile"})
    assert ran(sandbox, "SelectCurrentUserActiveLicense") == 1
    assert active_license(app, learner) == STANDARD
    page = learner.get("/profile")
    assert "didn't change" in soup(page).select_one(".notices .notice--error").text
    assert "Active license: Acme Standard" in soup(page).text


def test_a_lost_switch_whose_re_read_fails_says_it_couldnt_confirm(app, learner, sandbox):
    learner.get("/profile")
    with answers_lost(sandbox, "SelectCurrentUserActiveLicense", then_down=True):
        learner.post("/license", {"license_id": LEADERSHIP, "next": "/profile"})
    assert active_license(app, learner) == LEADERSHIP
    text = soup(learner.get("/profile")).select_one(".notices .notice--error").text
    assert "couldn't confirm whether your license changed" in text
    assert "Reload the page" in text
    assert "didn't change" not in text


# -- redeeming codes -------------------------------------------------------------------------------


def item_ids(app, learner) -> set[str]:
    return {item.id for item in instance_answer(app, learner, "UserContentItems")}


def test_a_lost_redemption_that_happened_shows_what_the_codes_unlocked(app, learner, sandbox):
    before = item_ids(app, learner)
    learner.get("/redeem")
    with answers_lost(sandbox, "RedeemRegistrationAndRedemptionCodes"):
        response = learner.post("/redeem", {"codes-0": "WELCOME-2026"})
    unlocked = {
        item.title
        for item in instance_answer(app, learner, "UserContentItems")
        if item.id not in before
    }
    assert unlocked  # the instance redeemed the code
    assert response.status_code == 303 and response.headers["Location"] == "/redeemed"
    page = soup(learner.get("/redeemed"))
    assert [li.text.strip() for li in page.select(".redeemed-codes li")] == ["WELCOME-2026"]
    assert {a.text.strip() for a in page.select(".unlocked .card__title")} == unlocked


def test_a_redemption_with_no_answer_that_did_not_happen_says_nothing_was_redeemed(
    app, learner, sandbox, monkeypatch
):
    client = app.extensions["instance"]
    real_mutate = client.mutate

    def never_arrives(call, token=None):
        if call.name == "RedeemRegistrationAndRedemptionCodes":
            raise UpstreamUnavailable("the learning platform could not be reached")
        return real_mutate(call, token=token)

    monkeypatch.setattr(client, "mutate", never_arrives)
    before = item_ids(app, learner)
    learner.get("/redeem")
    response = learner.post("/redeem", {"codes-0": "WELCOME-2026"})
    assert response.status_code == 503
    text = soup(response).find(id="redeem-error").text
    assert "nothing was redeemed" in text
    assert "can't tell" not in text
    assert item_ids(app, learner) == before


def test_a_lost_redemption_whose_re_check_fails_says_it_cant_tell(app, learner, sandbox):
    learner.get("/redeem")
    with answers_lost(sandbox, "RedeemRegistrationAndRedemptionCodes", then_down=True):
        response = learner.post("/redeem", {"codes-0": "WELCOME-2026"})
    assert response.status_code == 503
    text = soup(response).find(id="redeem-error").text
    assert "can't tell whether your codes were redeemed" in text


# -- adding an external certificate ----------------------------------------------------------------


TITLE = "Forklift Operator Licence"


def post_certificate(learner: Browser, **overrides):
    """The certificate form, as multipart (an uploaded image unless `image_url` is given)."""
    data = {
        "csrf_token": learner.csrf,
        "title": TITLE,
        "completed_on": (date.today() - timedelta(days=10)).isoformat(),
        "expires_on": (date.today() + timedelta(days=365)).isoformat(),
        "identifier": "FLT-2026-0042",
        "image": FileStorage(io.BytesIO(PNG), filename="licence.png", content_type="image/png"),
        "image_url": "",
        **overrides,
    }
    boundary, body = encode_multipart({k: v for k, v in data.items() if v is not None})
    return learner.client.post(
        "/certificates/new", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def certificates_titled(app, learner, title: str = TITLE) -> list:
    held = instance_answer(app, learner, "UserCertificates", {"includeExpiredCertificates": True})
    return [c for c in held if c.external_resource_title == title]


def test_a_lost_certificate_creation_that_happened_says_it_was_added(app, learner, sandbox):
    learner.get("/certificates/new")
    with answers_lost(sandbox, "CreateCertificateFromUpload"):
        response = post_certificate(learner)
    (created,) = certificates_titled(app, learner)  # the instance created it, once
    assert response.status_code == 303 and response.headers["Location"] == "/certificates"
    page = soup(learner.get("/certificates"))
    assert f"“{TITLE}” is now in your certificates." in page.select_one(".notices").text
    assert TITLE in [h.text.strip() for h in page.select(".cert-list .cert__title")]
    # Its image is filed under the certificate, as after an answered creation.
    detail = soup(learner.get(f"/certificates/{created.id}"))
    assert detail.select_one(".cert-detail img")["src"].startswith("/uploads/")


def test_a_lost_creation_of_a_certificate_like_an_earlier_one_is_judged_by_its_new_id(
    app, learner, sandbox
):
    learner.get("/certificates/new")
    assert post_certificate(learner).status_code == 303  # the same certificate, added before
    learner.get("/certificates/new")
    with answers_lost(sandbox, "CreateCertificateFromUpload"):
        response = post_certificate(learner)
    assert len(certificates_titled(app, learner)) == 2
    assert response.status_code == 303
    assert "is now in your certificates" in notices(learner.get("/certificates"))


def test_a_certificate_creation_with_no_answer_that_did_not_happen_says_so(
    app, learner, sandbox, monkeypatch
):
    client = app.extensions["instance"]
    real_mutate = client.mutate

    def never_arrives(call, token=None):
        if call.name == "CreateCertificateFromUpload":
            raise UpstreamUnavailable("the learning platform did not answer in time")
        return real_mutate(call, token=token)

    monkeypatch.setattr(client, "mutate", never_arrives)
    learner.get("/certificates/new")
    response = post_certificate(learner)
    assert response.status_code == 503
    text = soup(response).select_one("#certificate-error").text
    assert "wasn't added" in text and "can't tell" not in text
    assert certificates_titled(app, learner) == []


def test_a_lost_certificate_creation_whose_re_read_fails_says_it_cant_tell(app, learner, sandbox):
    learner.get("/certificates/new")
    with answers_lost(sandbox, "CreateCertificateFromUpload", then_down=True):
        response = post_certificate(learner)
    assert response.status_code == 503
    notice = soup(response).select_one("#certificate-error")
    assert "can't tell whether your certificate was added" in notice.text
    assert len(certificates_titled(app, learner)) == 1


# -- archiving and restoring -----------------------------------------------------------------------


def archived_ids(app, learner) -> set[str]:
    return {a.resource for a in instance_answer(app, learner, "UserArchives")}


def test_a_lost_archive_that_happened_says_the_item_is_in_the_archive(app, learner, sandbox):
    learner.get("/learning")
    with answers_lost(sandbox, "ArchiveUserCourse"):
        learner.post(f"/learning/{SQL}/archive", {"confirm": "yes", "title": "SQL Fundamentals"})
    assert SQL in archived_ids(app, learner)
    page = learner.get("/learning")
    assert "SQL Fundamentals is in your archive now" in notices(page)


def test_a_lost_restore_whose_re_read_fails_says_it_cant_tell(app, learner, sandbox):
    learner.get("/learning")
    learner.post(f"/learning/{SQL}/archive", {"confirm": "yes", "title": "SQL Fundamentals"})
    learner.get("/archive")
    with answers_lost(sandbox, "ReinstateUserCourse", then_down=True):
        response = learner.htmx(
            "POST", f"/archive/{SQL}/restore", {"confirm": "yes", "title": "SQL Fundamentals"}
        )
    assert SQL not in archived_ids(app, learner)
    text = soup(response).select_one(".notice--error").text
    assert "can't tell whether SQL Fundamentals was restored" in text


# -- using credits on a course ---------------------------------------------------------------------

STATISTICS = content_id(
    "statistics-for-analysts"
)  # priced, and the demo learner's credits cover it


def test_a_lost_purchase_that_happened_says_the_course_is_bought(app, learner, sandbox):
    learner.get("/learning")
    with answers_lost(sandbox, "RedeemBalance"):
        response = learner.post(
            f"/learning/{STATISTICS}/redeem-balance", {"confirmed": "yes", "next": "/learning"}
        )
    assert response.status_code == 303 and response.headers["Location"] == "/learning"
    text = notices(learner.get("/learning"))
    assert "Statistics for Analysts is now in your learning." in text
    assert "Your credit balance is now $71.00." in text
    assert "couldn't confirm" not in text


def test_a_lost_purchase_whose_re_read_fails_says_it_couldnt_confirm(app, learner, sandbox):
    learner.get("/learning")
    with answers_lost(sandbox, "RedeemBalance", then_down=True):
        response = learner.post(
            f"/learning/{STATISTICS}/redeem-balance", {"confirmed": "yes", "next": "/learning"}
        )
    assert response.status_code == 303
    text = notices(learner.get("/learning"))
    assert "couldn't confirm whether Statistics for Analysts was bought" in text
    assert "is now in your learning" not in text


# -- creating learners (admin) ---------------------------------------------------------------------


def user_exists(sandbox, email: str) -> bool:
    with sandbox.store.read() as conn:
        return conn.execute("SELECT 1 FROM users WHERE email = ?", [email]).fetchone() is not None


def test_a_lost_learner_creation_says_it_may_or_may_not_have_happened(admin, sandbox):
    admin.get("/admin/learners")
    form = {"email": "new.hire@new.test", "first_name": "New", "last_name": "Hire"}
    with answers_lost(sandbox, "CreateLearner"):
        response = admin.post("/admin/learners", {**form, "client": "client-acme"})
    assert user_exists(sandbox, "new.hire@new.test")
    assert response.status_code == 503
    text = soup(response).select_one(".notice--error").get_text(" ", strip=True)
    assert "may or may not have been created" in text
    assert "refused" not in text


def import_file(admin: Browser, content: bytes) -> None:
    """Upload, preview and confirm a CSV file."""
    admin.get("/admin/learners")
    boundary, body = encode_multipart(
        {
            "csrf_token": admin.csrf,
            "file": FileStorage(io.BytesIO(content), filename="l.csv", content_type="text/csv"),
        }
    )
    uploaded = admin.client.post(
        "/admin/learners/import",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert uploaded.status_code == 303
    admin.get(uploaded.headers["Location"])
    assert admin.post("/admin/learners/import/confirm").status_code == 303


def report_rows(admin: Browser) -> list[dict]:
    report = admin.get("/admin/learners/import/report.csv")
    return list(csv.DictReader(io.StringIO(report.get_data(as_text=True))))


def test_a_lost_import_batch_is_reported_as_unconfirmed_not_as_not_sent(admin, sandbox):
    data = b"email,firstName,lastName\n" + b"".join(
        f"bulk{i:03d}@new.test,Bulk,{i:03d}\n".encode() for i in range(60)
    )
    with answers_lost(sandbox, "CreateLearners", then_down=True):
        import_file(admin, data)
    rows = report_rows(admin)
    assert user_exists(sandbox, "bulk000@new.test")  # the first batch (50) was created
    assert not user_exists(sandbox, "bulk050@new.test")  # the second was never sent
    statuses = {r["email"]: r["status"] for r in rows}
    assert {statuses[f"bulk{i:03d}@new.test"] for i in range(50)} == {"not confirmed"}
    assert {statuses[f"bulk{i:03d}@new.test"] for i in range(50, 60)} == {"not sent"}
    report = soup(admin.get("/admin/learners/import/report"))
    counts = [li.get_text("", strip=True) for li in report.select(".report-counts li")]
    assert counts == ["Not confirmed: 50", "Not sent: 10"]
    assert "can't tell whether those learners were created" in report.select_one("main").text
