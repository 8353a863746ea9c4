"""CSV import: every row is checked, every row ends in the report, nothing is duplicated."""

from __future__ import annotations

import csv
import io

import pytest

from webapp.admin.learner_import import (
    ALREADY_THERE,
    CREATED,
    INVALID,
    NOT_SENT,
    REFUSED,
    BatchNotSent,
    BatchRefused,
    ImportFileError,
    neutralise,
    parse_csv,
    report_csv,
    run_import,
)

GOOD = b"email,First name,Last name\nana@x.test,Ana,Silva\nbo@x.test,Bo,Lee\n"


class FakeInstance:
    """Creates learners like CreateLearners: all or nothing, refusing existing emails."""

    def __init__(self, existing=(), down_after=None):
        self.emails = {e.casefold() for e in existing}
        self.calls = 0
        self.down_after = down_after

    def create(self, learners):
        self.calls += 1
        if self.down_after is not None and self.calls > self.down_after:
            raise BatchNotSent("the learning platform could not be reached")
        problems = {
            i: "a user with this email already exists"
            for i, learner in enumerate(learners)
            if learner["email"].casefold() in self.emails
        }
        if problems:
            raise BatchRefused(problems)
        self.emails |= {learner["email"].casefold() for learner in learners}


def test_good_rows_are_created_and_reported():
    instance = FakeInstance()
    outcomes = run_import(parse_csv(GOOD), instance.create)
    assert [(o.line, o.email, o.status) for o in outcomes] == [
        (2, "ana@x.test", CREATED),
        (3, "bo@x.test", CREATED),
    ]


def test_bad_rows_are_reported_with_their_problems_and_never_sent():
    data = (
        b"email;first_name;last_name;Department\n"
        b"ok@x.test;Ok;Row;Sales\n"
        b"not-an-email;No;Email;Sales\n"
        b";Missing;Email;Sales\n"
        b"ok@x.test;Dup;Licate;Sales\n"
        b"nolast@x.test;Only;;Sales\n"
    )
    parsed = parse_csv(data)
    assert parsed.unknown_columns == ["Department"]
    problems = {r.line: r.problems for r in parsed.rows}
    assert problems[3] == ["email is malformed"]
    assert problems[4] == ["email is missing"]
    assert problems[5] == ["same email as line 2"]
    assert problems[6] == ["last name is missing"]
    instance = FakeInstance()
    outcomes = run_import(parsed, instance.create)
    assert {o.line: o.status for o in outcomes} == {
        2: CREATED,
        3: INVALID,
        4: INVALID,
        5: INVALID,
        6: INVALID,
    }
    assert instance.emails == {"ok@x.test"}


def test_importing_the_same_file_twice_creates_no_duplicates():
    instance = FakeInstance()
    run_import(parse_csv(GOOD), instance.create)
    again = run_import(parse_csv(GOOD), instance.create)
    assert {o.status for o in again} == {ALREADY_THERE}
    assert len(instance.emails) == 2


def test_a_refused_entry_does_not_sink_its_batch():
    rows = "".join(f"user{i}@x.test,U{i},Last\n" for i in range(120))
    instance = FakeInstance(existing=["user7@x.test", "user99@x.test"])
    outcomes = run_import(
        parse_csv(b"email,firstName,lastName\n" + rows.encode()), instance.create, 50
    )
    statuses = [o.status for o in outcomes]
    assert statuses.count(CREATED) == 118 and statuses.count(ALREADY_THERE) == 2
    assert len(outcomes) == 120


def test_an_outage_midway_reports_the_rest_as_not_sent_row_by_row():
    rows = "".join(f"user{i}@x.test,U{i},Last\n" for i in range(120))
    instance = FakeInstance(down_after=1)
    outcomes = run_import(
        parse_csv(b"email,firstName,lastName\n" + rows.encode()), instance.create, 50
    )
    assert [o.status for o in outcomes].count(CREATED) == 50
    assert [o.status for o in outcomes].count(NOT_SENT) == 70
    assert all(o.reason for o in outcomes if o.status == NOT_SENT)


def test_a_refusal_naming_nobody_reports_the_whole_batch():
    def refuse_all(_learners):
        raise BatchRefused({99: "client does not exist"})

    outcomes = run_import(parse_csv(GOOD), refuse_all)
    assert {o.status for o in outcomes} == {REFUSED}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"name,age\nx,1\n", "email"),
        (b"email,firstName,lastName\n", "no learners"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a CSV"),
        ("email,firstName,lastName\nü@x.test,Ü,Ö\n".encode("utf-16"), "CSV"),
        (b"email\n" + b"a@x.test\n" * 5001, "learners. Split it"),
    ],
)
def test_unusable_files_get_a_clear_message(data, message):
    with pytest.raises(ImportFileError) as error:
        parse_csv(data)
    assert message in str(error.value)


def test_report_cells_that_could_run_as_formulas_are_neutralised():
    assert neutralise('=HYPERLINK("http://evil")') == '\'=HYPERLINK("http://evil")'
    for start in "=+-@":
        assert neutralise(start + "1").startswith("'")
    assert neutralise("ana@x.test") == "ana@x.test"
    parsed = parse_csv(b"email,firstName,lastName\n=cmd@x.test,=1+1,@SUM(A1)\n")
    report = list(csv.reader(io.StringIO(report_csv(run_import(parsed, FakeInstance().create)))))
    assert report[1][1].startswith("'=")


@pytest.mark.parametrize(
    ("lang", "joined"),
    [("en", "email is missing and first name is missing"), ("ar", " و")],
)
def test_a_rows_problems_read_as_one_list_in_the_admins_language(app, lang, joined):
    from flask_babel import force_locale

    with app.test_request_context(), force_locale(lang):
        (result,) = run_import(parse_csv(b"email,first name,last name\n,,Lee\n"), None)
    assert result.status == INVALID
    assert joined in result.reason and ";" not in result.reason
