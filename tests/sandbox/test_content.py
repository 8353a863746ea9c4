"""The learner's content: items and their filters and sorts, recent content, groups and their
consistency with the lists, certificates, the waitlist and the archive.

Read-only, so the module shares one sandbox (the `shared` fixture).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from tests.sandbox.helpers import (
    certificates,
    code_of,
    groups,
    ids,
    items,
    me,
    waitlist,
)

RECENT = "query R($limit: Int) { UserRecentContent(limit: $limit) { id title slug kind } }"
ARCHIVES = """
query { UserArchives { id name resourceType status archivedAt reinstatable waitlistActive
  user resource } }
"""
ARCHIVED_CONTENT = "query { UserArchivedContent { id title slug kind status isActive } }"
EVENT_KINDS = ["webinar", "inPersonEvent", "webinarCourse", "inPersonEventCourse"]


@pytest.fixture(scope="module")
def everything(shared) -> list[dict]:
    """Every item the demo learner can see, unfiltered."""
    return items(shared.helium, shared.learner)


def parse_date(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def tag_labels(item: dict) -> set[str]:
    return {t["label"] for t in item["tags"]}


# -- UserContentItems ----------------------------------------------------------------------------


def test_the_learner_sees_a_rich_catalog(everything):
    assert len(everything) >= 20
    assert len(set(ids(everything))) == len(everything)
    assert len({i["kind"] for i in everything}) >= 4
    assert all(i["title"] and i["slug"] for i in everything)
    assert any(i["priceInCents"] for i in everything)
    assert any(i["tags"] for i in everything) and any(i["authors"] for i in everything)


def test_different_learners_see_different_items(shared, everything):
    theirs = items(shared.helium, shared.learner2)
    assert theirs and set(ids(theirs)) != set(ids(everything))


def test_due_dates_include_overdue_and_this_week(everything):
    now = datetime.now(UTC)
    due = [parse_date(i["currentUserDueDate"]) for i in everything if i["currentUserDueDate"]]
    assert any(d < now for d in due)
    assert any(now <= d <= now + timedelta(days=7) for d in due)


def test_a_tags_query_returns_exactly_the_tagged_items(shared, everything):
    counts = Counter(label for i in everything for label in tag_labels(i))
    assert "Premium Package" in counts
    for tag in ("Premium Package", counts.most_common(1)[0][0]):
        found = items(shared.helium, shared.learner, query=f'tags:"{tag}"')
        expected = [i["id"] for i in everything if tag in tag_labels(i)]
        assert found and sorted(ids(found)) == sorted(expected), tag
        assert len(found) < len(everything)


def test_a_tags_query_ignores_case(shared):
    exact = items(shared.helium, shared.learner, query='tags:"Premium Package"')
    lower = items(shared.helium, shared.learner, query='tags:"premium package"')
    assert exact and sorted(ids(lower)) == sorted(ids(exact))


def test_an_authors_query_returns_the_items_of_that_author(shared, everything):
    author = Counter(a for i in everything for a in i["authors"]).most_common(1)[0][0]
    surname = author.split()[-1]
    for query in (f'authors:"{author}"', f'authors:"{surname}"'):
        found = items(shared.helium, shared.learner, query=query)
        expected = [i["id"] for i in everything if any(surname in a for a in i["authors"])]
        assert found and sorted(ids(found)) == sorted(expected), query
        assert len(found) < len(everything)


def test_a_free_text_query_matches_titles_and_more(shared, everything):
    word = "Cloud"
    found = items(shared.helium, shared.learner, query=word)
    assert found and len(found) < len(everything)
    for item in found:
        haystack = " ".join(
            [item["title"], item["description"] or "", *tag_labels(item), *item["authors"]]
        )
        assert word.casefold() in haystack.casefold(), item["title"]
    titled = {i["id"] for i in everything if word.casefold() in i["title"].casefold()}
    assert titled and titled <= set(ids(found))


def test_a_quoted_phrase_must_match_as_a_whole(shared, everything):
    found = items(shared.helium, shared.learner, query='"Data Science"')
    assert found
    for item in found:
        haystack = " ".join(
            [item["title"], item["description"] or "", *tag_labels(item), *item["authors"]]
        )
        assert "data science" in haystack.casefold()
    words = items(shared.helium, shared.learner, query="Data Science")  # two terms, ANDed
    assert set(ids(found)) <= set(ids(words))


@pytest.mark.parametrize("value", ["Easy", "Hard"])
def test_a_custom_field_query_filters_on_that_field(shared, everything, value):
    found = items(shared.helium, shared.learner, query=f"difficulty:{value}")
    expected = [i["id"] for i in everything if i["customFields"].get("difficulty") == value]
    assert found and sorted(ids(found)) == sorted(expected)
    assert len(found) < len(everything)


def test_query_terms_are_anded(shared, everything):
    query = 'tags:"Data Science" difficulty:Hard'
    found = items(shared.helium, shared.learner, query=query)
    expected = [
        i["id"]
        for i in everything
        if "Data Science" in tag_labels(i) and i["customFields"].get("difficulty") == "Hard"
    ]
    assert found and sorted(ids(found)) == sorted(expected)


@pytest.mark.parametrize(
    "query",
    [
        "zzz-nothing-matches",
        'tags:"No Such Tag"',
        'authors:"Nobody Atall"',
        "difficulty:Impossible",
    ],
)
def test_a_query_that_matches_nothing_returns_an_empty_list(shared, query):
    assert items(shared.helium, shared.learner, query=query) == []


def test_an_empty_query_returns_everything(shared, everything):
    assert sorted(ids(items(shared.helium, shared.learner, query=""))) == sorted(ids(everything))


@pytest.mark.parametrize("kinds", [["course"], ["learningPath"], ["webinar", "article", "video"]])
def test_kind_filters_the_items(shared, everything, kinds):
    found = items(shared.helium, shared.learner, kind=kinds)
    expected = [i["id"] for i in everything if i["kind"] in kinds]
    assert found and sorted(ids(found)) == sorted(expected)
    assert {i["kind"] for i in found} <= set(kinds)


def test_a_kind_the_learner_lacks_returns_nothing(shared):
    assert items(shared.helium, shared.learner, kind=["bundle"]) == []


def test_kind_and_query_combine(shared, everything):
    found = items(shared.helium, shared.learner, query='tags:"Leadership"', kind=["course"])
    expected = [
        i["id"] for i in everything if i["kind"] == "course" and "Leadership" in tag_labels(i)
    ]
    assert found and sorted(ids(found)) == sorted(expected)


def test_sorting_by_title_ascending_and_descending(shared, everything):
    ascending = items(shared.helium, shared.learner, sortColumn="title", sortDirection="asc")
    descending = items(shared.helium, shared.learner, sortColumn="title", sortDirection="desc")
    up = [i["title"].casefold() for i in ascending]
    down = [i["title"].casefold() for i in descending]
    assert up == sorted(up)
    assert down == sorted(down, reverse=True)
    assert up != down
    assert sorted(ids(ascending)) == sorted(ids(everything))


@pytest.mark.parametrize("column", ["courseStartDate", "createdAt"])
def test_sorting_by_a_date_orders_by_that_date(shared, column):
    for direction in ("asc", "desc"):
        found = items(shared.helium, shared.learner, sortColumn=column, sortDirection=direction)
        dated = [parse_date(i[column]) for i in found if i[column]]
        assert len(dated) >= 3, column
        assert dated == sorted(dated, reverse=direction == "desc"), (column, direction)
        # items without that date come last
        present = [bool(i[column]) for i in found]
        assert present == sorted(present, reverse=True)


def test_sorting_applies_to_a_filtered_list(shared):
    found = items(
        shared.helium, shared.learner, kind=["course"], sortColumn="title", sortDirection="desc"
    )
    titles = [i["title"].casefold() for i in found]
    assert titles and titles == sorted(titles, reverse=True)
    assert {i["kind"] for i in found} == {"course"}


@pytest.mark.parametrize("token", [None, "not-a-token"], ids=["anonymous", "bad-token"])
def test_content_items_need_a_valid_token(shared, token):
    answer = shared.helium.run("query { UserContentItems { id } }", token=token)
    assert code_of(answer) == "UNAUTHENTICATED"


# -- UserRecentContent ---------------------------------------------------------------------------


def recent(shared, limit=None, who="learner") -> list[dict]:
    variables = {} if limit is None else {"limit": limit}
    return shared.helium.data(RECENT, variables, shared.token(who))["UserRecentContent"]


def test_recent_content_never_exceeds_25(shared):
    # The demo learner has viewed more than 25 items.
    assert len(recent(shared, 100)) == 25
    assert recent(shared, 100) == recent(shared, 25)
    assert len(recent(shared, 26)) == 25


@pytest.mark.parametrize("limit", [1, 3, 10])
def test_recent_content_honours_a_small_limit(shared, limit):
    found = recent(shared, limit)
    assert len(found) == limit
    assert found == recent(shared, 25)[:limit]


def test_recent_content_has_a_default_limit(shared):
    found = recent(shared)
    assert 0 < len(found) <= 25
    assert found == recent(shared, 25)[: len(found)]


def test_recent_content_with_limit_zero_is_empty(shared):
    assert recent(shared, 0) == []


def test_recent_content_is_the_learners_own(shared, everything):
    mine = recent(shared, 25)
    assert set(ids(mine)) <= set(ids(everything))
    assert len(set(ids(mine))) == len(mine)
    assert recent(shared, 25, who="learner2") != mine


def test_recent_content_needs_a_token(shared):
    assert code_of(shared.helium.run(RECENT, {"limit": 5})) == "UNAUTHENTICATED"


# -- UserContentGroups and the lists -------------------------------------------------------------


def test_content_groups_name_each_documented_kind_once(shared):
    found = shared.helium.data("query { UserContentGroups { kind count } }", token=shared.learner)[
        "UserContentGroups"
    ]
    kinds = [g["kind"] for g in found]
    assert len(kinds) == len(set(kinds))
    assert {
        "contentItems",
        "completedItems",
        "certificates",
        "learningPaths",
        "bookmarkFolders",
        "waitlistedCourses",
        "archivedContentItems",
    } <= set(kinds)
    assert all(g["count"] >= 0 for g in found)


@pytest.mark.parametrize("who", ["learner", "learner2"])
def test_content_group_counts_equal_the_lists(shared, who):
    helium, token = shared.helium, shared.token(who)
    counts = groups(helium, token)
    assert counts["contentItems"] == len(items(helium, token))
    assert counts["learningPaths"] == len(items(helium, token, kind=["learningPath"]))
    assert counts["eventItems"] == len(items(helium, token, kind=EVENT_KINDS))
    assert counts["certificates"] == len(certificates(helium, token))
    assert counts["waitlistedCourses"] == len(waitlist(helium, token))
    archives = helium.data(ARCHIVES, token=token)["UserArchives"]
    archived = helium.data(ARCHIVED_CONTENT, token=token)["UserArchivedContent"]
    assert counts["archivedContentItems"] == len(archives) == len(archived)


def test_the_learners_groups_are_all_populated(shared):
    counts = groups(shared.helium, shared.learner)
    for kind in ("contentItems", "completedItems", "certificates", "learningPaths",
                 "waitlistedCourses", "archivedContentItems", "bookmarkFolders"):  # fmt: skip
        assert counts[kind] > 0, kind


def test_the_certificates_group_follows_include_expired(shared):
    helium, token = shared.helium, shared.learner
    with_expired = groups(helium, token, includeExpiredCertificates=True)["certificates"]
    without = groups(helium, token, includeExpiredCertificates=False)["certificates"]
    assert with_expired == len(certificates(helium, token, includeExpiredCertificates=True))
    assert without == len(certificates(helium, token, includeExpiredCertificates=False))
    assert with_expired > without
    assert groups(helium, token)["certificates"] == without  # the default leaves them out


@pytest.mark.parametrize("query", ['tags:"Data Science"', "difficulty:Easy", "Cloud"])
def test_a_query_narrows_the_groups_like_the_lists(shared, query):
    helium, token = shared.helium, shared.learner
    counts = groups(helium, token, query=query)
    everything = groups(helium, token)
    assert counts["contentItems"] == len(items(helium, token, query=query))
    assert counts["learningPaths"] == len(items(helium, token, query=query, kind=["learningPath"]))
    assert counts["certificates"] == len(certificates(helium, token, query=query))
    assert 0 < counts["contentItems"] < everything["contentItems"]


def test_content_groups_need_a_token(shared):
    answer = shared.helium.run("query { UserContentGroups { kind count } }")
    assert code_of(answer) == "UNAUTHENTICATED"


# -- UserCertificates ----------------------------------------------------------------------------


def test_certificates_leave_expired_ones_out_by_default(shared):
    helium, token = shared.helium, shared.learner
    current = certificates(helium, token)
    every = certificates(helium, token, includeExpiredCertificates=True)
    assert current and not any(c["isExpired"] or c["didExpire"] for c in current)
    assert set(ids(current)) < set(ids(every))
    now = datetime.now(UTC)
    expired = [c for c in every if c["id"] not in set(ids(current))]
    for cert in expired:
        assert cert["isExpired"] and cert["didExpire"]
        assert parse_date(cert["expirationDate"]) < now
    assert certificates(helium, token, includeExpiredCertificates=False) == current


def test_the_certificates_cover_the_documented_cases(shared):
    every = certificates(shared.helium, shared.learner, includeExpiredCertificates=True)
    now = datetime.now(UTC)
    expiring = [
        c for c in every
        if c["expirationDate"] and now < parse_date(c["expirationDate"]) <= now + timedelta(30)
    ]  # fmt: skip
    assert expiring  # expiring within 30 days
    assert any(c["pdfAsset"] for c in every) and any(not c["pdfAsset"] for c in every)
    external = [c for c in every if c["isExternal"]]
    assert external and all(c["externalResourceTitle"] for c in external)
    assert len({c["identifier"] for c in every}) == len(every)


def test_a_certificate_query_filters_by_identifier_and_title(shared):
    helium, token = shared.helium, shared.learner
    every = certificates(helium, token, includeExpiredCertificates=True)
    target = every[0]
    found = certificates(helium, token, query=target["identifier"], includeExpiredCertificates=True)
    assert ids(found) == [target["id"]]
    external = next(c for c in every if c["isExternal"])
    found = certificates(helium, token, query=external["externalResourceTitle"])
    assert external["id"] in ids(found) and len(found) < len(every)
    assert certificates(helium, token, query="zzz-no-certificate") == []


def test_certificates_are_each_learners_own(shared):
    mine = certificates(shared.helium, shared.learner, includeExpiredCertificates=True)
    theirs = certificates(shared.helium, shared.learner2, includeExpiredCertificates=True)
    assert theirs and set(ids(mine)).isdisjoint(ids(theirs))


def test_certificates_need_a_token(shared):
    assert code_of(shared.helium.run("query { UserCertificates { id } }")) == "UNAUTHENTICATED"


# -- UserWaitlist, UserArchives, UserArchivedContent ---------------------------------------------


def test_the_waitlist_lists_full_courses_the_learner_waits_for(shared):
    found = waitlist(shared.helium, shared.learner)
    assert found
    for item in found:
        assert item["waitlistingEnabled"] and item["waitlistCount"] >= 1
    theirs = waitlist(shared.helium, shared.learner2)
    assert set(ids(theirs)) != set(ids(found))


def test_the_waitlist_without_a_token_is_empty(shared):
    assert shared.helium.data("query { UserWaitlist { id } }") == {"UserWaitlist": []}


def test_the_waitlist_with_a_bad_token_is_unauthenticated(shared):
    answer = shared.helium.run("query { UserWaitlist { id } }", token="not-a-token")
    assert code_of(answer) == "UNAUTHENTICATED"


def test_archives_and_archived_content_describe_the_same_items(shared, everything):
    helium, token = shared.helium, shared.learner
    archives = helium.data(ARCHIVES, token=token)["UserArchives"]
    content = helium.data(ARCHIVED_CONTENT, token=token)["UserArchivedContent"]
    assert archives
    assert sorted(a["resource"] for a in archives) == sorted(ids(content))
    titles = {c["id"]: c["title"] for c in content}
    me_id = me(helium, token)["id"]
    for archive in archives:
        assert archive["name"] == titles[archive["resource"]]
        assert archive["user"] == me_id
        assert archive["archivedAt"]
    assert {a["reinstatable"] for a in archives} == {True, False}
    # Archived items are not among the learner's current items.
    assert set(ids(content)).isdisjoint(ids(everything))


def test_learner2_has_no_archive(shared):
    assert shared.helium.data(ARCHIVES, token=shared.learner2) == {"UserArchives": []}


@pytest.mark.parametrize("query", [ARCHIVES, ARCHIVED_CONTENT], ids=["archives", "content"])
def test_the_archive_needs_a_token(shared, query):
    assert code_of(shared.helium.run(query)) == "UNAUTHENTICATED"
