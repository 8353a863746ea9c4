"""The badges page: earned and unearned badges with progress, and the leaderboard."""

from __future__ import annotations

import pytest

from tests.web.conftest import instance_answer, soup
from webapp.badges.loaders import _rows as leaderboard_rows
from webapp.gql.types import (
    BadgeLeaderboard,
    BadgeLeaderboardCurrentUserPosition,
    BadgeLeaderboardCurrentUserPositionUser,
    BadgeLeaderboardLeaders,
    BadgeLeaderboardLeadersUser,
)


def _rows(page) -> list[tuple[str, str, str]]:
    return [
        tuple(cell.get_text(" ", strip=True) for cell in row.find_all(["td", "th"]))
        for row in page.select(".leaderboard__table tbody tr")
    ]


def test_earned_badges_show_with_their_images_and_award_type(app, learner):
    board = instance_answer(app, learner, "UserEarnedBadgeBoard")
    earned = [e.badge for e in board.earned_badges]
    page = soup(learner.get("/badges"))
    cards = page.select(".badge-card--earned")
    assert len(cards) == len(earned) == 5
    assert "You have earned 5 badges." in page.text
    for card, badge in zip(cards, earned, strict=True):
        assert card.h3.text.strip() == badge.label
        image = card.find("img")
        assert image["alt"] == badge.label and image["src"] == badge.asset
        assert badge.award_type.plural_label in card.text
    assert "Earned for 5 CPE Credits" in page.text


def test_unearned_badges_show_progress_from_the_leaderboard_total(app, learner):
    board = instance_answer(app, learner, "UserEarnedBadgeBoard")
    total = instance_answer(app, learner, "BadgeLeaderboard").current_user_position.total
    assert total == 185
    page = soup(learner.get("/badges"))
    cards = {c.h3.text.strip(): c for c in page.select(".badge-card--unearned")}
    assert set(cards) == {b.label for b in board.unearned_badges}
    scholar = cards["Scholar"]
    assert f"{total} of 250 Points" in scholar.text
    bar = scholar.find("progress")
    assert (bar["value"], bar["max"]) == (str(total), "250")
    label = page.find("label", attrs={"for": bar["id"]})
    assert label and "Scholar" in label.text


def test_progress_in_other_award_types_counts_from_the_badges_earned(app, learner):
    # The leaderboard ranks by Points; for CPE Credits the page knows only that the learner
    # earned "CPE Starter" (5 CPE Credits), so holds at least 5 of the 20 the next one needs.
    earned = [e.badge for e in instance_answer(app, learner, "UserEarnedBadgeBoard").earned_badges]
    starter = next(b for b in earned if b.label == "CPE Starter")
    assert starter.award_threshold == 5 and starter.award_type.label == "CPE Credit"
    page = soup(learner.get("/badges"))
    cpe = next(c for c in page.select(".badge-card--unearned") if "CPE Professional" in c.text)
    bar = cpe.find("progress")
    assert (bar["value"], bar["max"]) == ("5", "20")
    assert page.find("label", attrs={"for": bar["id"]}) is not None
    assert "At least 5 of 20 CPE Credits" in cpe.text
    assert "isn't available" not in cpe.text


def test_progress_is_not_invented_where_nothing_on_the_page_tells(app, learner2):
    # Camille earned no CPE badge, and the leaderboard ranks by Points: nothing to show.
    earned = [e.badge for e in instance_answer(app, learner2, "UserEarnedBadgeBoard").earned_badges]
    assert not any(b.award_type.label == "CPE Credit" for b in earned)
    page = soup(learner2.get("/badges"))
    cpe = [c for c in page.select(".badge-card--unearned") if "CPE" in c.h3.text]
    assert cpe and all(c.find("progress") is None for c in cpe)
    points = [c for c in page.select(".badge-card--unearned") if c.h3.text.strip() == "Legend"]
    assert points[0].find("progress") is not None  # Points: the leaderboard's total


def test_the_leaderboard_lists_the_top_ten_with_shared_ranks_and_the_learner_after_it(app, learner):
    leaders = instance_answer(app, learner, "BadgeLeaderboard", {"limit": 10}).leaders
    page = soup(learner.get("/badges"))
    rows = _rows(page)
    assert [(r[1], r[2]) for r in rows] == [(x.user.name, str(x.total)) for x in leaders]
    ranks = [r[0].split()[0] for r in rows]
    assert ranks[5] == ranks[6] == "6" and ranks[7] == "8"  # the 395 tie shares a rank
    assert "(tied)" in rows[5][0] and "(tied)" not in rows[7][0]
    assert not page.select(".leaderboard__me")
    assert "You" not in [t.text for t in page.select(".leaderboard__table .you-tag")]
    own = page.select_one("#own-position")
    assert own.find_previous("table") is not None  # after the table
    assert own.find(id=own["aria-labelledby"]).get_text(strip=True) == "Your position"
    facts = {
        div.dt.get_text(strip=True): div.dd.get_text(" ", strip=True)
        for div in own.select("dl > div")
    }
    assert facts == {"Rank": "14", "Total": "185 Points", "Ranked by": "Points"}
    assert own.select_one(".leaderboard__own-where").get_text(strip=True) == (
        "You're not in the top 10."
    )


def test_a_bigger_leaderboard_marks_the_learners_own_row_in_words(learner):
    page = soup(learner.get("/badges?limit=25"))
    rows = _rows(page)
    assert len(rows) == 25
    mine = page.select(".leaderboard__me")
    assert len(mine) == 1
    assert mine[0].get("aria-current") == "true"
    assert mine[0].select_one(".you-tag").text == "You"
    assert "Jamie Rivera" in mine[0].text and mine[0].td.text.strip() == "14"
    assert "in the table above" in page.select_one("#own-position").text
    assert page.select_one("#leaderboard-limit option[selected]")["value"] == "25"


@pytest.mark.parametrize("limit", ["5", "50"])
def test_the_leaderboard_size_is_chosen_with_a_plain_get_form(learner, limit):
    page = soup(learner.get(f"/badges?limit={limit}"))
    form = page.select_one("form.leaderboard__size")
    assert form["method"] == "get" and form["action"] == "/badges"
    assert page.find("label", attrs={"for": "leaderboard-limit"})
    assert [o["value"] for o in form.select("option")] == ["5", "10", "25", "50"]
    assert len(_rows(page)) == int(limit)


@pytest.mark.parametrize(
    "query", ["limit=7", "limit=abc", "limit=-10", "limit=" + "9" * 5000, "limit=", "limit=1e3"]
)
def test_odd_leaderboard_sizes_fall_back_to_ten(learner, query):
    response = learner.get(f"/badges?{query}")
    assert response.status_code == 200
    page = soup(response)
    assert len(_rows(page)) == 10
    assert page.select_one("#leaderboard-limit option[selected]")["value"] == "10"


def test_htmx_gets_only_the_leaderboard_and_plain_requests_the_page(learner, upstream_requests):
    before = upstream_requests()
    response = learner.htmx("GET", "/badges?limit=5")
    assert upstream_requests() - before == 1
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'id="leaderboard-results"' in html
    assert len(_rows(soup(response))) == 5
    status = soup(response).select_one("#leaderboard-status[hx-swap-oob]")
    assert status["role"] == "status" and "top 5" in status.text
    assert "HX-Request" in response.headers["Vary"]
    full = learner.get("/badges?limit=5")
    assert "<html" in full.get_data(as_text=True)
    assert "HX-Request" in full.headers["Vary"]


def test_the_page_costs_one_upstream_request(learner, upstream_requests):
    before = upstream_requests()
    assert learner.get("/badges").status_code == 200
    assert upstream_requests() - before == 1


def test_signed_out_visitors_are_sent_to_sign_in(browser):
    response = browser.get("/badges?limit=25")
    assert response.status_code == 303
    assert response.headers["Location"] == "/login?next=/badges?limit%3D25"


def test_the_instance_being_down_leaves_clear_gaps_not_an_error(learner, sandbox):
    sandbox.faults.fault_rate = 1.0
    response = learner.get("/badges")
    assert response.status_code == 200
    page = soup(response)
    assert len(page.select(".missing-state")) == 3  # earned, unearned, leaderboard
    assert "couldn't reach the learning platform" in page.select_one(".notices").text


def test_equal_totals_share_a_rank_even_when_the_instance_numbers_them_apart():
    def leader(rank, total, uid):
        return BadgeLeaderboardLeaders(rank, total, BadgeLeaderboardLeadersUser(uid, uid.title()))

    board = BadgeLeaderboard(
        award_type=None,
        leaders=[leader(1, 90, "a"), leader(2, 80, "b"), leader(3, 80, "me"), leader(4, 70, "c")],
        current_user_position=BadgeLeaderboardCurrentUserPosition(
            3, 80, BadgeLeaderboardCurrentUserPositionUser("me")
        ),
    )
    rows = leaderboard_rows(board, 10)
    assert [(r.rank, r.tied, r.is_me) for r in rows] == [
        (1, False, False),
        (2, True, False),
        (2, True, True),
        (4, False, False),
    ]
    assert len(leaderboard_rows(board, 2)) == 2
