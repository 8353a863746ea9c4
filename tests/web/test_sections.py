"""Templates speak in view models: no template names an instance operation, and one macro
shows a section's three states (loaded, empty, couldn't be loaded) for every page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from webapp.gql import PageData
from webapp.gql.errors import ApiError
from webapp.sections import Section, loaded_from

TEMPLATES = Path(__file__).resolve().parents[2] / "webapp" / "templates"
OPERATIONS = Path(__file__).resolve().parents[2] / "webapp" / "gql" / "operations"


def test_no_template_names_an_operation():
    names = sorted(p.stem for p in OPERATIONS.glob("*.graphql"))
    quoted = re.compile(r"""["'](""" + "|".join(names) + r""")["']""")
    found = [
        f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if quoted.search(line) or re.search(r"\bpage\.(ok|get|not_found)\(", line)
    ]
    assert found == []


# A hand-written "couldn't be loaded" branch: `{% else %}{{ missing() }}` after a loaded check,
# or `{% if not loaded %}{{ missing() }}` before one. The section macro is the only one.
HAND_WRITTEN_STATE = re.compile(r"\{%\s*(?:else|if not [^%]+?)\s*%\}\s*\{\{\s*missing\(\)\s*\}\}")


def test_the_three_state_block_is_written_once():
    repeated = [
        str(path.relative_to(TEMPLATES))
        for path in sorted(TEMPLATES.rglob("*.html"))
        if HAND_WRITTEN_STATE.search(path.read_text())
    ]
    assert repeated == []


def test_a_section_is_loaded_only_when_its_call_answered_without_error():
    page = PageData(
        values={"A": [1], "B": [], "C": None, "D": [2]},
        errors={"D": [ApiError("partial", "INTERNAL")]},
    )
    assert loaded_from(page, "A") == Section([1], True)
    assert loaded_from(page, "B").empty
    assert not loaded_from(page, "C").loaded and not loaded_from(page, "C").empty
    assert not loaded_from(page, "D").loaded  # an answer with errors is not shown as loaded
    assert loaded_from(page, "A", ["shaped"]).items == ["shaped"]


def render(app, source: str, **context) -> BeautifulSoup:
    with app.test_request_context():
        template = app.jinja_env.from_string(
            '{% from "_macros/states.html" import section %}' + source
        )
        return BeautifulSoup(template.render(**context), "html.parser")


LIST = (
    '{% call(items) section(part, empty="Nothing yet.", missing="No luck.", '
    'action_url="/next", action_label="Go on") %}'
    "<ul>{% for i in items %}<li>{{ i }}</li>{% endfor %}</ul>{% endcall %}"
)


@pytest.mark.parametrize(
    ("part", "shown", "text"),
    [
        (Section(["a", "b"], True), "ul", "ab"),
        (Section([], True), ".empty-state", "Nothing yet.Go on"),
        (Section(["stale"], False), ".missing-state", "No luck."),
    ],
)
def test_the_section_macro_shows_each_state_once(app, part, shown, text):
    html = render(app, LIST, part=part)
    assert [e.name for e in html.find_all(["ul", "div"], recursive=False)] in (["ul"], ["div"])
    assert html.select_one(shown).get_text(strip=True) == text
    if part.empty:
        assert html.select_one(".empty-state a")["href"] == "/next"


def test_a_section_without_its_own_words_says_so_in_general(app):
    html = render(app, "{% call(x) section(part) %}{{ x }}{% endcall %}", part=Section(0, False))
    assert "couldn't be loaded" in html.select_one(".missing-state").text
    # Loaded, with no empty state asked for, the caller shows even a zero or an empty list.
    assert (
        render(
            app, "{% call(x) section(part) %}[{{ x }}]{% endcall %}", part=Section(0, True)
        ).text.strip()
        == "[0]"
    )


def test_an_empty_note_is_a_plain_sentence(app):
    source = '{% call(x) section(part, empty_note="None required.") %}{{ x }}{% endcall %}'
    html = render(app, source, part=Section([], True))
    assert html.p.text == "None required." and not html.select(".empty-state")
