"""Redeeming codes against the sandbox's demo codes (see webapp/sandbox/seed.py DEMO_CODES)."""

from __future__ import annotations

import pytest

from tests.web.conftest import soup
from webapp.gql import Call

REDEEM = "RedeemRegistrationAndRedemptionCodes"
CHECKS = ("ValidateRedemptionCode", "ValidateRegistrationCode")


@pytest.fixture
def ask(app, learner):
    """Run one operation against the instance as the learner (queries and mutations)."""

    def run(name: str, variables: dict | None = None):
        with learner.client.session_transaction() as stored:
            token = stored["token"]
        with app.app_context():
            client = app.extensions["instance"]
            call = Call(name, variables or {})
            if call.op.is_mutation:
                return client.mutate(call, token=token)
            return client.query(call, token=token)

    return run


def calls(sandbox, *names: str) -> int:
    by_operation = sandbox.stats.snapshot()["by_operation"]
    return sum(by_operation.get(name, 0) for name in names)


def boxes(response) -> list[str]:
    return [i.get("value", "") for i in soup(response).select("input.code-field__input")]


def test_redeem_needs_a_session(browser):
    for path in ("/redeem", "/redeem/WELCOME-2026", "/redeemed"):
        response = browser.get(path)
        assert response.status_code == 303 and "/login?next=" in response.headers["Location"]


def test_the_form_is_one_request_and_works_without_javascript(learner, upstream_requests):
    before = upstream_requests()
    response = learner.get("/redeem")
    assert upstream_requests() - before == 1
    page = soup(response)
    form = page.select_one("form.redeem-form")
    assert form["action"] == "/redeem" and form["method"] == "post"
    field = page.select_one("#codes-0")
    assert field["name"] == "codes-0" and page.select_one("label[for=codes-0]").text == "Code 1"
    assert field["hx-post"] == "/redeem/check?part=status"
    assert "delay:500ms" in field["hx-trigger"]
    assert "codes-0-status" in field["aria-describedby"].split()
    assert page.select_one("#codes-0-status")["role"] == "status"
    actions = {b["value"]: b for b in form.select("button[name=action]")}
    assert set(actions) == {"redeem", "check", "add"}
    # Enter in a box redeems: the first submit button of the form is a "redeem".
    assert form.select("button[type=submit]")[0]["value"] == "redeem"


def test_a_code_in_the_address_arrives_filled_in_and_unchecked(learner, sandbox):
    page = soup(learner.get("/redeem/WELCOME-2026"))
    assert page.select_one("#codes-0")["value"] == "WELCOME-2026"
    # Checking is a mutation: the page asks for it once it is up (HTMX), not while loading.
    assert "load" in page.select_one("#codes-0-field")["hx-trigger"]
    assert calls(sandbox, *CHECKS) == 0


@pytest.mark.parametrize(
    ("code", "badge", "says"),
    [
        ("WELCOME-2026", "Valid", "This code is valid"),
        ("EXPIRED-2024", "Expired", "expired"),
        ("REDEEMED-0001", "Already used", "as many times as it allows"),
        ("NO-SUCH-CODE", "Not found", "not valid"),
        ("ACME-JOIN", "Valid", "registration code is valid"),
    ],
)
def test_each_code_is_checked_as_it_is_typed(learner, code, badge, says):
    learner.get("/redeem")
    response = learner.htmx("POST", "/redeem/check?part=status", {"codes-0": code})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    line = soup(response).select_one(".code-status__line")
    assert line.select_one(".badge").text == badge
    assert says in line.text


def test_a_used_up_code_is_not_said_to_be_the_learners_own(learner, learner2, ask):
    """TI answers alreadyRedeemed both when this learner redeemed a code and when a
    single-use code was used by someone else: the words hold in both cases."""

    def verdict(browser, code: str) -> str:
        browser.get("/redeem")
        response = browser.htmx("POST", "/redeem/check?part=status", {"codes-0": code})
        return soup(response).select_one(".code-status__line").get_text(" ", strip=True)

    # REDEEMED-0001 is single use, and another learner of the company used it.
    assert ask("ValidateRedemptionCode", {"code": "REDEEMED-0001"}).already_redeemed
    used_up = verdict(learner, "REDEEMED-0001")
    assert "You have already redeemed this code" not in used_up
    assert "you have already redeemed it, or it has been used as many times" in used_up
    # A code Jamie redeemed herself gets the same flag, so the same words.
    learner.post("/redeem", {"codes-0": "WELCOME-2026"})
    assert ask("ValidateRedemptionCode", {"code": "WELCOME-2026"}).already_redeemed
    assert verdict(learner, "WELCOME-2026") == used_up.replace("REDEEMED-0001", "WELCOME-2026")
    # The company's own French string (the sandbox's) says both too.
    french = verdict(learner2, "REDEEMED-0001")
    assert "Vous avez déjà utilisé ce code" not in french
    assert "autant de fois qu'il le permet" in french


def test_a_registration_code_is_tried_only_after_the_redemption_check(learner, sandbox):
    learner.get("/redeem")
    learner.htmx("POST", "/redeem/check?part=status", {"codes-0": "WELCOME-2026"})
    assert calls(sandbox, "ValidateRedemptionCode") == 1
    assert calls(sandbox, "ValidateRegistrationCode") == 0
    learner.htmx("POST", "/redeem/check?part=status", {"codes-0": "ACME-JOIN"})
    assert calls(sandbox, "ValidateRedemptionCode") == 2
    assert calls(sandbox, "ValidateRegistrationCode") == 1
    # An expired redemption code needs no second question.
    learner.htmx("POST", "/redeem/check?part=status", {"codes-0": "EXPIRED-2024"})
    assert calls(sandbox, "ValidateRegistrationCode") == 1


def test_leaving_a_box_marks_it_invalid_without_asking_again(learner, sandbox):
    learner.get("/redeem")
    learner.htmx("POST", "/redeem/check?part=status", {"codes-2": "EXPIRED-2024"})
    asked = calls(sandbox, *CHECKS)
    response = learner.htmx("POST", "/redeem/check", {"codes-2": "EXPIRED-2024"})
    assert calls(sandbox, *CHECKS) == asked  # the verdict of a moment ago is reused
    field = soup(response).select_one("#codes-2")
    assert field["aria-invalid"] == "true" and field["value"] == "EXPIRED-2024"
    assert "codes-2-status" in field["aria-describedby"].split()
    assert "expired" in soup(response).select_one("#codes-2-status").text
    valid = soup(learner.htmx("POST", "/redeem/check", {"codes-2": "WELCOME-2026"}))
    assert not valid.select_one("#codes-2").has_attr("aria-invalid")


def test_checking_without_csrf_is_refused_and_asks_nothing(learner, sandbox):
    learner.get("/redeem")
    response = learner.htmx(
        "POST", "/redeem/check", {"codes-0": "WELCOME-2026"}, headers={"X-CSRFToken": ""}
    )
    assert response.status_code == 400 and calls(sandbox, *CHECKS) == 0


def test_check_without_javascript_shows_the_form_with_the_verdict(learner):
    learner.get("/redeem")
    response = learner.post("/redeem/check", {"codes-0": "REDEEMED-0001"})
    assert response.status_code == 200 and "<html" in response.get_data(as_text=True)
    assert boxes(response) == ["REDEEMED-0001"]
    assert "already redeemed" in soup(response).select_one("#codes-0-status").text


def test_check_codes_button_checks_every_box_and_redeems_nothing(learner, sandbox):
    learner.get("/redeem")
    response = learner.post(
        "/redeem",
        {"codes-0": "WELCOME-2026", "codes-1": " EXPIRED-2024 , NOPE-1", "action": "check"},
    )
    assert response.status_code == 200 and calls(sandbox, REDEEM) == 0
    assert boxes(response) == ["WELCOME-2026", "EXPIRED-2024", "NOPE-1"]
    badges = [b.text for b in soup(response).select(".code-status .badge")]
    assert badges == ["Valid", "Expired", "Not found"]


def test_redeeming_sends_only_valid_codes_and_shows_what_they_unlocked(learner, ask, sandbox):
    before = {item.id for item in ask("UserContentItems")}
    learner.get("/redeem")
    response = learner.post(
        "/redeem",
        {
            "codes-0": "WELCOME-2026",
            "codes-1": "EXPIRED-2024",
            "codes-2": "ACME-JOIN",
            "codes-3": "Z" * 200,
        },
    )
    assert response.status_code == 303 and response.headers["Location"] == "/redeemed"
    assert calls(sandbox, REDEEM) == 1
    after = ask("UserContentItems")
    unlocked = {item.title for item in after if item.id not in before}
    assert unlocked == {"Mindful Productivity", "New Hire Orientation", "Acme Tools and Systems"}
    assert ask("ValidateRedemptionCode", {"code": "WELCOME-2026"}).already_redeemed
    assert ask("ValidateRegistrationCode", {"code": "ACME-JOIN"}).already_redeemed
    licenses = {a.license.name for a in ask("CurrentUser").allocated_licenses}
    assert "Acme Community" in licenses

    result = learner.get("/redeemed")
    page = soup(result)
    redeemed = [
        li.select_one(".code-status__code").text for li in page.select(".redeemed-codes li")
    ]
    assert redeemed == ["WELCOME-2026", "ACME-JOIN"]
    shown = {a.text.strip() for a in page.select(".unlocked .card__title")}
    assert shown == unlocked
    for card in page.select(".unlocked .course-card"):  # new: nothing done yet, so Start
        assert card.select_one(".progress__words").get_text(strip=True) == "Not started"
        assert card.select_one("progress")["value"] == "0"
        assert card.select_one(".card__action").get_text(strip=True) == "Start"
    assert "Acme Community" in page.find(id="unlocked-title").find_next("p").text
    skipped = page.select(".skipped-codes li")
    assert len(skipped) == 2 and "EXPIRED-2024" in skipped[0].text
    assert "expired" in skipped[0].text
    assert "too long to be a code: codes have at most 100 characters" in skipped[1].text
    links = {a["href"] for a in page.select("main a.button")}
    assert "/redeem" in links


def test_a_code_for_two_courses_shows_both(learner, ask):
    before = {item.id for item in ask("UserContentItems")}
    learner.get("/redeem")
    assert learner.post("/redeem", {"codes-0": "TEAM-2026"}).status_code == 303
    unlocked = {item.title for item in ask("UserContentItems") if item.id not in before}
    assert len(unlocked) == 2
    page = soup(learner.get("/redeemed"))
    assert {a.text.strip() for a in page.select(".unlocked .card__title")} == unlocked


def test_the_result_page_is_one_request(learner, upstream_requests):
    learner.get("/redeem")
    learner.post("/redeem", {"codes-0": "WELCOME-2026"})
    before = upstream_requests()
    assert learner.get("/redeemed").status_code == 200
    assert upstream_requests() - before == 1


def test_no_valid_code_redeems_nothing(learner, sandbox):
    learner.get("/redeem")
    response = learner.post("/redeem", {"codes-0": "EXPIRED-2024", "codes-1": "REDEEMED-0001"})
    assert response.status_code == 422 and calls(sandbox, REDEEM) == 0
    page = soup(response)
    assert "nothing was redeemed" in page.find(id="redeem-error").text
    assert [i.get("aria-invalid") for i in page.select("input.code-field__input")] == ["true"] * 2


def test_the_forms_problems_and_verdicts_are_in_the_learners_language(learner2):
    learner2.get("/redeem")
    empty = learner2.post("/redeem", {"codes-0": ""})
    assert soup(empty).find(id="redeem-error").text == "Saisissez un code à utiliser."
    unusable = soup(learner2.post("/redeem", {"codes-0": "NOPE-404", "codes-1": "NOPE-404"}))
    assert "Aucun de ces codes" in unusable.find(id="redeem-error").text
    assert [b.text for b in unusable.select(".code-status__line .badge")] == [
        "Introuvable",
        "En double",
    ]


@pytest.mark.parametrize("blank", ["", "   ", "\t\n ,, ;"])
def test_an_empty_form_says_so_and_asks_nothing(learner, sandbox, blank):
    learner.get("/redeem")
    response = learner.post("/redeem", {"codes-0": blank, "codes-1": ""})
    assert response.status_code == 422
    assert "Enter a code to redeem." in soup(response).find(id="redeem-error").text
    assert calls(sandbox, *CHECKS, REDEEM) == 0


def test_repeats_are_redeemed_once(learner, sandbox, ask):
    learner.get("/redeem")
    response = learner.post(
        "/redeem", {"codes-0": "WELCOME-2026", "codes-1": "welcome-2026 WELCOME-2026"}
    )
    assert response.status_code == 303
    assert calls(sandbox, "ValidateRedemptionCode") == 1  # each code is checked once
    assert calls(sandbox, REDEEM) == 1
    page = soup(learner.get("/redeemed"))
    assert [li.text.strip() for li in page.select(".redeemed-codes li")] == ["WELCOME-2026"]
    assert not page.select(".skipped-codes")
    assert ask("ValidateRedemptionCode", {"code": "WELCOME-2026"}).already_redeemed


def test_a_repeat_is_marked_while_checking(learner):
    learner.get("/redeem")
    response = learner.post(
        "/redeem", {"codes-0": "TEAM-2026", "codes-1": "team-2026", "action": "check"}
    )
    status = soup(response).select_one("#codes-1-status")
    assert "Repeated" in status.text and "more than once" in status.text


@pytest.mark.parametrize("spread", ["boxes", "one box"])
def test_fifty_codes_are_refused_whole(learner, sandbox, spread):
    codes = [f"CODE-{n:03d}" for n in range(50)]
    if spread == "boxes":
        data = {f"codes-{n}": code for n, code in enumerate(codes)}
    else:
        data = {"codes-0": " ".join(codes)}
    learner.get("/redeem")
    response = learner.post("/redeem", data)
    assert response.status_code == 422
    error = soup(response).find(id="redeem-error").text
    assert "up to 20 codes" in error and "you entered 50" in error
    assert calls(sandbox, *CHECKS, REDEEM) == 0
    assert " ".join(boxes(response)) == " ".join(codes)  # nothing typed is lost


def test_a_ten_kilobyte_code_is_refused_without_asking(learner, sandbox):
    huge = "A" * 10_240
    learner.get("/redeem")
    response = learner.post("/redeem", {"codes-0": huge})
    assert response.status_code == 422
    assert "too long to be a code" in soup(response).select_one("#codes-0-status").text
    live = learner.htmx("POST", "/redeem/check?part=status", {"codes-0": huge})
    assert live.status_code == 200 and "too long" in soup(live).text
    address = learner.get("/redeem/" + "B" * 5000)
    assert address.status_code == 200
    assert "too long" in soup(address).select_one("#codes-0-status").text
    odd = learner.post("/redeem", {"codes-0": "WEL\u200bCOME-2026", "codes-1": "\x00"})
    assert odd.status_code == 422
    assert calls(sandbox, *CHECKS, REDEEM) == 0


def test_adding_a_box_keeps_the_codes_with_and_without_javascript(learner, sandbox):
    learner.get("/redeem")
    plain = learner.post("/redeem", {"codes-0": "WELCOME-2026", "action": "add"})
    assert plain.status_code == 200 and "<html" in plain.get_data(as_text=True)
    assert boxes(plain) == ["WELCOME-2026", ""]
    swapped = learner.htmx("POST", "/redeem", {"codes-0": "WELCOME-2026", "action": "add"})
    assert "<html" not in swapped.get_data(as_text=True)
    assert boxes(swapped) == ["WELCOME-2026", ""]
    assert soup(swapped).select_one("#codes-1").has_attr("data-autofocus")
    assert calls(sandbox, *CHECKS, REDEEM) == 0  # adding a box asks nothing
    full = learner.post("/redeem", {f"codes-{n}": f"C-{n}" for n in range(20)} | {"action": "add"})
    assert len(boxes(full)) == 20 and "up to 20 codes" in soup(full).text


def test_redeeming_without_csrf_is_refused_and_redeems_nothing(learner, ask, upstream_requests):
    learner.get("/redeem")
    before = upstream_requests()
    response = learner.post("/redeem", {"codes-0": "WELCOME-2026"}, csrf=False)
    assert response.status_code == 400 and upstream_requests() == before
    assert ask("ValidateRedemptionCode", {"code": "WELCOME-2026"}).valid


def test_an_unreachable_instance_redeems_nothing_and_says_so(learner, sandbox, ask):
    learner.get("/redeem")
    sandbox.faults.fault_rate = 1.0
    response = learner.post("/redeem", {"codes-0": "WELCOME-2026", "codes-1": "TEAM-2026"})
    live = learner.htmx("POST", "/redeem/check?part=status", {"codes-0": "TEAM-2026"})
    sandbox.faults.fault_rate = 0.0
    assert response.status_code == 422
    page = soup(response)
    assert "Not checked" in page.select_one("#codes-0-status").text
    assert "couldn't check this code" in page.select_one("#codes-1-status").text
    assert "couldn't check" in soup(live).text
    assert ask("ValidateRedemptionCode", {"code": "WELCOME-2026"}).valid


def test_the_result_page_without_a_redemption_leads_to_the_form(learner):
    response = learner.get("/redeemed")
    assert response.status_code == 302 and response.headers["Location"] == "/redeem"


def test_a_refused_redemption_redeems_nothing_and_says_why(learner, ask, monkeypatch):
    # A code that expires between its check and the redemption: the instance refuses them all.
    from webapp.redeem import codes

    judged = codes.judge

    def stale(found, **kwargs):
        return [codes.Verdict(v.code, codes.VALID) for v in judged(found, **kwargs)]

    monkeypatch.setattr(codes, "judge", stale)
    learner.get("/redeem")
    response = learner.post("/redeem", {"codes-0": "WELCOME-2026", "codes-1": "EXPIRED-2024"})
    assert response.status_code == 422
    error = soup(response).find(id="redeem-error").text
    assert "Nothing was redeemed" in error and "EXPIRED-2024 (expired)" in error
    assert ask("ValidateRedemptionCode", {"code": "WELCOME-2026"}).valid


def test_checking_many_codes_costs_two_batches_and_the_page(learner, sandbox):
    """All codes go as one batch of redemption checks, then one of registration checks; the
    page that shows the verdicts is the third request (not one or two per code)."""
    learner.get("/redeem")
    codes = "WELCOME-2026 EXPIRED-2024 REDEEMED-0001 ACME-JOIN NO-SUCH-CODE TEAM-2026"
    before = sandbox.stats.snapshot()["http_requests"]
    response = learner.post("/redeem", {"codes-0": codes, "action": "check"})
    assert response.status_code == 200
    assert sandbox.stats.snapshot()["http_requests"] - before == 3
    text = response.get_data(as_text=True)
    for word in ("Valid", "Expired", "Already used", "Not found"):
        assert word in text
