"""Once only: a form sent twice changes the instance once, and both answers say what it did."""

from __future__ import annotations

import threading
import time

import pytest

from tests.web.conftest import Browser, instance_answer, soup

LEADERSHIP = "lic-acme-leadership"
OFFERED = "/learning?q=statistics"  # Statistics for Analysts: the learner's credits cover it


def mutations(sandbox, name: str) -> int:
    return sandbox.stats.snapshot()["by_operation"].get(name, 0)


def redeemed_codes(response) -> list[str]:
    return [
        li.select_one(".code-status__code").text
        for li in soup(response).select(".redeemed-codes li")
    ]


def submission_id(html_form) -> str:
    """The hidden submission id a rendered form carries."""
    field = html_form.find("input", attrs={"name": "submission_id"})
    assert field is not None and field["type"] == "hidden", "the form carries no submission id"
    return field["value"]


def notices(browser: Browser, path: str) -> str:
    return soup(browser.get(path)).select_one(".notices").get_text(" ", strip=True)


def same_answer(first, second) -> None:
    assert second.status_code == first.status_code
    assert second.headers.get("Location") == first.headers.get("Location")
    assert second.headers.get("HX-Redirect") == first.headers.get("HX-Redirect")
    assert second.get_data() == first.get_data()


def same_session(app, browser: Browser) -> Browser:
    """A second client with the same session cookie: another tab, or a resent request."""
    twin = Browser(app.test_client())
    name = app.config["SESSION_COOKIE_NAME"]
    twin.client.set_cookie(name, browser.client.get_cookie(name).value)
    twin.csrf = browser.csrf
    return twin


# -- every form carries its own id ---------------------------------------------------------------


def test_each_rendered_form_carries_a_fresh_submission_id(learner):
    first = soup(learner.get("/redeem")).select_one("form.redeem-form")
    second = soup(learner.get("/redeem")).select_one("form.redeem-form")
    assert submission_id(first) != submission_id(second)
    waitlist = soup(learner.get("/waitlist")).select("form.waitlist-item__leave")
    ids = [submission_id(form) for form in waitlist]
    assert len(ids) == 3 and len(set(ids)) == 3
    header = soup(learner.get("/badges")).select_one(".site-header form.license-switcher")
    assert submission_id(header)
    offer = soup(learner.get(OFFERED)).select_one(".credit-offer form")
    assert submission_id(offer)
    confirm = soup(learner.post(offer["action"])).select_one("form.redeem__form")
    assert submission_id(confirm)
    course = waitlist[0]["action"]
    assert submission_id(soup(learner.get(course)).select_one("main form"))


def test_the_learner_form_for_admins_carries_one(admin):
    form = soup(admin.get("/admin/learners")).select_one("form.admin-form")
    assert submission_id(form)


# -- redeem --------------------------------------------------------------------------------------


def redeem_form(learner: Browser, code: str = "WELCOME-2026") -> dict:
    form = soup(learner.get("/redeem")).select_one("form.redeem-form")
    return {"codes-0": code, "action": "redeem", "submission_id": submission_id(form)}


def test_a_double_submitted_redeem_redeems_once_and_both_answers_show_it(learner, sandbox):
    form = redeem_form(learner)
    first = learner.post("/redeem", form)
    second = learner.post("/redeem", form)
    assert first.status_code == 303 and first.headers["Location"] == "/redeemed"
    same_answer(first, second)
    assert mutations(sandbox, "RedeemRegistrationAndRedemptionCodes") == 1
    page = soup(learner.get("/redeemed"))
    redeemed = [
        li.select_one(".code-status__code").text for li in page.select(".redeemed-codes li")
    ]
    assert redeemed == ["WELCOME-2026"]
    assert not page.select(".skipped-codes li")  # not "already used"


def test_two_redeems_at_the_same_moment_redeem_once(app, learner, sandbox):
    form = redeem_form(learner)
    tabs = [learner, same_session(app, learner)]
    sandbox.faults.latency_ms = 300  # the first is still redeeming when the second arrives
    start = threading.Barrier(2)
    answers: list = [None, None]

    def send(i: int) -> None:
        start.wait()
        answers[i] = tabs[i].post("/redeem", form)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sandbox.faults.latency_ms = 0
    assert mutations(sandbox, "RedeemRegistrationAndRedemptionCodes") == 1
    for answer in answers:
        assert answer.status_code == 303 and answer.headers["Location"] == "/redeemed"
    for tab in tabs:
        page = soup(tab.get("/redeemed"))
        assert [
            li.select_one(".code-status__code").text for li in page.select(".redeemed-codes li")
        ] == ["WELCOME-2026"]


def test_one_form_sending_different_things_runs_each(learner, sandbox):
    """The redeem form's "Add another code" (HTMX) keeps the form, and its id, on the page:
    "Redeem" afterwards is another submission, not a repeat."""
    form = redeem_form(learner)
    added = learner.htmx("POST", "/redeem", {**form, "action": "add"})
    assert added.status_code == 200 and "codes-1" in added.get_data(as_text=True)
    redeemed = learner.post("/redeem", {**form, "codes-1": ""})
    assert redeemed.status_code == 303 and redeemed.headers["Location"] == "/redeemed"
    assert mutations(sandbox, "RedeemRegistrationAndRedemptionCodes") == 1


def test_another_session_sending_the_same_id_gets_its_own_answer(app, learner, sandbox):
    """The id is scoped to the session: someone who learns it replays nothing of ours."""
    form = redeem_form(learner)
    assert learner.post("/redeem", form).headers["Location"] == "/redeemed"
    other = Browser(app.test_client())
    other.sign_in("learner")  # the same learner, signed in elsewhere: a session of its own
    other.get("/redeem")
    checks = mutations(sandbox, "ValidateRedemptionCode")
    response = other.post("/redeem", form)
    assert mutations(sandbox, "ValidateRedemptionCode") > checks  # it ran
    assert response.status_code == 422  # WELCOME-2026 is used now: nothing valid to redeem
    assert "/redeemed" not in response.headers.get("Location", "")
    assert mutations(sandbox, "RedeemRegistrationAndRedemptionCodes") == 1


def test_another_learner_sending_the_same_id_sees_nothing_of_the_first(learner, learner2, sandbox):
    form = redeem_form(learner)
    learner.post("/redeem", form)
    learner2.get("/redeem")
    response = learner2.post("/redeem", form)
    if response.status_code == 303:  # learner2 redeemed the code for herself
        assert mutations(sandbox, "RedeemRegistrationAndRedemptionCodes") == 2
    assert redeemed_codes(learner2.get("/redeemed")) == (
        ["WELCOME-2026"] if response.status_code == 303 else []
    )


@pytest.mark.parametrize(
    "odd", ["", "short", "x" * 65, "../../etc", "<script>", "a b c d e f g h i j", "é" * 20]
)
def test_an_odd_or_missing_id_runs_as_it_always_did(learner, sandbox, odd):
    form = {**redeem_form(learner, "NO-SUCH-CODE"), "submission_id": odd}
    first = learner.post("/redeem", form)
    second = learner.post("/redeem", form)
    assert first.status_code == second.status_code == 422
    assert mutations(sandbox, "ValidateRedemptionCode") == 2  # checked each time: no claim


def test_an_old_form_without_an_id_runs_each_time(learner, sandbox):
    learner.get("/badges")
    for _ in range(2):
        learner.post("/license", {"license_id": LEADERSHIP, "next": "/badges"})
    assert mutations(sandbox, "SelectCurrentUserActiveLicense") == 2


# -- leave a waitlist ------------------------------------------------------------------------------


def leave_form(learner: Browser) -> tuple[str, str, dict]:
    form = soup(learner.get("/waitlist")).select("form.waitlist-item__leave")[0]
    title = form.find("input", attrs={"name": "title"})["value"]
    data = {"confirm": "yes", "title": title, "submission_id": submission_id(form)}
    return form["action"], title, data


def test_leaving_a_waitlist_twice_leaves_once_and_says_you_left(learner, sandbox):
    action, title, form = leave_form(learner)
    first = learner.post(action, form)
    assert first.status_code == 303 and first.headers["Location"] == "/waitlist"
    # The first answer's page was seen before the repeat arrived: it still says "you left".
    assert f"You left the waitlist for {title}." in soup(learner.get("/waitlist")).text
    second = learner.post(action, form)
    same_answer(first, second)
    status = soup(learner.get("/waitlist")).select_one(".notices").text
    assert f"You left the waitlist for {title}." in status
    assert "not on" not in status
    assert mutations(sandbox, "UnenrollFromWaitlist") == 1


def test_leaving_twice_with_htmx_gives_the_same_fragment(learner, sandbox):
    action, title, form = leave_form(learner)
    first = learner.htmx("POST", action, {**form, "count": "3"})
    second = learner.htmx("POST", action, {**form, "count": "3"})
    assert first.status_code == 200
    same_answer(first, second)
    assert f"You left the waitlist for {title}." in soup(second).text
    assert mutations(sandbox, "UnenrollFromWaitlist") == 1


def test_a_failed_answer_is_not_given_again(learner, sandbox):
    """ "Try again in a moment" is no result: trying the same form again really tries."""
    action, title, form = leave_form(learner)
    sandbox.faults.fault_rate = 1.0
    failed = learner.htmx("POST", action, {**form, "count": "3"})
    sandbox.faults.fault_rate = 0.0
    assert failed.status_code == 503
    again = learner.htmx("POST", action, {**form, "count": "3"})
    assert again.status_code == 200
    assert f"You left the waitlist for {title}." in soup(again).text


def test_two_waitlists_left_from_one_page_are_two_submissions(learner, sandbox):
    forms = soup(learner.get("/waitlist")).select("form.waitlist-item__leave")[:2]
    for form in forms:
        data = {"confirm": "yes", "submission_id": submission_id(form)}
        assert learner.post(form["action"], data).status_code == 303
    assert mutations(sandbox, "UnenrollFromWaitlist") == 2


# -- use my credits ------------------------------------------------------------------------------


def test_using_credits_twice_buys_once_and_both_answers_say_bought(app, learner, sandbox):
    balance = instance_answer(app, learner, "CurrentUserForProfile").balance
    offer = soup(learner.get(OFFERED)).select_one(".credit-offer form")
    step = soup(learner.post(offer["action"])).select_one("form.redeem__form")
    form = {
        "confirmed": "yes",
        "next": step.find("input", attrs={"name": "next"})["value"],
        "submission_id": submission_id(step),
    }
    first = learner.post(offer["action"], form)
    second = learner.post(offer["action"], form)
    assert first.status_code == 303
    same_answer(first, second)
    assert mutations(sandbox, "RedeemBalance") == 1
    said = notices(learner, first.headers["Location"])
    assert said.count("is now in your learning") == 1
    assert "already in your learning" not in said
    assert instance_answer(app, learner, "CurrentUserForProfile").balance < balance


def test_using_credits_twice_with_htmx_sends_both_to_the_same_place(app, learner, sandbox):
    offer = soup(learner.get(OFFERED)).select_one(".credit-offer form")
    form = {"confirmed": "yes", "submission_id": submission_id(offer)}
    first = learner.htmx("POST", offer["action"], form)
    second = learner.htmx("POST", offer["action"], form)
    assert first.status_code == 200 and first.headers["HX-Redirect"]
    same_answer(first, second)
    assert mutations(sandbox, "RedeemBalance") == 1
    assert notices(learner, first.headers["HX-Redirect"]).count("is now in your learning") == 1


def test_a_page_given_again_carries_this_responses_csp_nonce(learner, sandbox):
    """Without JavaScript, "Use my credits" answers with a confirmation page; sent twice, the
    second copy's scripts must run under the second response's policy."""
    offer = soup(learner.get(OFFERED)).select_one(".credit-offer form")
    form = {"submission_id": submission_id(offer)}
    first = learner.post(offer["action"], form)
    second = learner.post(offer["action"], form)
    assert first.status_code == second.status_code == 200
    for answer in (first, second):
        policy = answer.headers["Content-Security-Policy"]
        nonces = {s["nonce"] for s in soup(answer).select("script[nonce]")}
        assert len(nonces) == 1 and f"'nonce-{nonces.pop()}'" in policy
    assert first.headers["Content-Security-Policy"] != second.headers["Content-Security-Policy"]
    assert mutations(sandbox, "RedeemBalance") == 0


# -- switch license ------------------------------------------------------------------------------


def test_switching_license_twice_switches_once_and_says_it_changed(app, learner, sandbox):
    header = soup(learner.get("/badges")).select_one(".site-header form.license-switcher")
    form = {"license_id": LEADERSHIP, "next": "/badges", "submission_id": submission_id(header)}
    first = learner.post("/license", form)
    second = learner.post("/license", form)
    assert first.status_code == 303 and first.headers["Location"] == "/badges"
    same_answer(first, second)
    assert mutations(sandbox, "SelectCurrentUserActiveLicense") == 1
    assert notices(learner, "/badges").count("Your active license has changed.") == 1
    assert instance_answer(app, learner, "CurrentUser").active_license.id == LEADERSHIP


def test_the_message_comes_again_when_the_first_page_already_showed_it(learner, sandbox):
    header = soup(learner.get("/badges")).select_one(".site-header form.license-switcher")
    form = {"license_id": LEADERSHIP, "next": "/badges", "submission_id": submission_id(header)}
    learner.post("/license", form)
    assert "Your active license has changed." in notices(learner, "/badges")
    learner.post("/license", form)
    assert notices(learner, "/badges").count("Your active license has changed.") == 1
    assert mutations(sandbox, "SelectCurrentUserActiveLicense") == 1


def test_a_repeat_that_outwaits_the_deadline_says_so_and_changes_nothing(app, learner, sandbox):
    header = soup(learner.get("/badges")).select_one(".site-header form.license-switcher")
    form = {"license_id": LEADERSHIP, "next": "/badges", "submission_id": submission_id(header)}
    tabs = [learner, same_session(app, learner)]
    answers: list = [None, None]

    def send(i: int) -> None:
        answers[i] = tabs[i].post("/license", form)

    sandbox.faults.latency_ms = 1000  # the first is still switching when the repeat gives up
    app.config["PAGE_DEADLINE"] = 0.3
    first = threading.Thread(target=send, args=(0,))
    first.start()
    time.sleep(0.2)  # the first claims the id at once, then waits a second on the instance
    send(1)
    first.join()
    sandbox.faults.latency_ms = 0
    assert answers[0].status_code == 303
    assert answers[1].status_code == 409
    assert "still being handled" in soup(answers[1]).main.text
    assert mutations(sandbox, "SelectCurrentUserActiveLicense") == 1


# -- create a learner ----------------------------------------------------------------------------


def test_creating_a_learner_twice_creates_once_and_says_created(admin, sandbox):
    form = soup(admin.get("/admin/learners")).select_one("form.admin-form")
    data = {
        "email": "twice@acme.test",
        "first_name": "Double",
        "last_name": "Click",
        "client": "client-acme",
        "submission_id": submission_id(form),
    }
    first = admin.post("/admin/learners", data)
    second = admin.post("/admin/learners", data)
    assert first.status_code == 303 and first.headers["Location"] == "/admin/learners"
    same_answer(first, second)
    assert mutations(sandbox, "CreateLearner") == 1
    text = notices(admin, "/admin/learners")
    assert text.count("Double Click (twice@acme.test) was created") == 1
    assert "A user with this email already exists" not in soup(admin.get("/admin/learners")).text
