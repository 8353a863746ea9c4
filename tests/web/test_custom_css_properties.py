"""The company's custom CSS is judged as the browser reads it, escapes decoded (issue 12, item 1).

Two review findings first, as examples (the sanitiser, the learners' stylesheet, the admin page),
then properties over generated CSS: sanitising is idempotent, what comes out fetches nothing and
can close no <style>, and ordinary admin CSS keeps its meaning.

Runs 250 examples a property by default; CSS_PROPERTY_EXAMPLES=5000 (say) runs more.
"""

from __future__ import annotations

import os

import pytest
import tinycss2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tinycss2 import ast

from tests.web.conftest import soup
from webapp.custom_css import sanitize_css

# What a browser could fetch from a stylesheet: url() in every spelling, and the functions
# that take a URL as a string.
FETCHING_FUNCTIONS = {
    "url", "src", "image", "image-set", "-webkit-image-set", "cross-fade", "-webkit-cross-fade",
    "element", "-moz-element", "paint",
}  # fmt: skip
RAW_FORBIDDEN = ("</style", "<!--", "-->", "<script", "\x00")


def reparsed(css: str):
    """Every node of `css` as tinycss2 reads it, rules and declarations included, depth first."""
    pending = list(tinycss2.parse_stylesheet(css))
    while pending:
        node = pending.pop()
        yield node
        if isinstance(node, ast.QualifiedRule | ast.AtRule):
            pending += node.prelude or []
            pending += tinycss2.parse_blocks_contents(node.content or [])
        elif isinstance(node, ast.Declaration):
            pending += node.value
        elif isinstance(node, ast.FunctionBlock):
            pending += node.arguments
        elif isinstance(
            node, ast.ParenthesesBlock | ast.SquareBracketsBlock | ast.CurlyBracketsBlock
        ):
            pending += node.content


def assert_fetches_nothing_and_closes_nothing(css: str) -> None:
    lowered = css.lower()
    for raw in RAW_FORBIDDEN:
        assert raw not in lowered, (raw, css)
    assert "<" not in css  # no raw < at all: it is written \3c in strings and names
    for node in reparsed(css):
        assert not isinstance(node, ast.URLToken | ast.AtRule | ast.AtKeywordToken), css
        if isinstance(node, ast.FunctionBlock):
            assert node.lower_name not in FETCHING_FUNCTIONS, css
        if isinstance(node, ast.StringToken | ast.IdentToken):
            assert "javascript:" not in "".join(node.value.lower().split()), css


def content_strings(css: str) -> list[str]:
    return [node.value for node in reparsed(css) if isinstance(node, ast.StringToken)]


# --- The review's findings --------------------------------------------------------------------

ESCAPED_END_TAG = (
    r'.note::before { content: "\3c /style\3e \3c script\3e alert(1)\3c /script\3e"; }'
)
DECODED_END_TAG = "</style><script>alert(1)</script>"


def test_an_escaped_end_tag_in_a_content_string_is_written_escaped():
    cleaned = sanitize_css(ESCAPED_END_TAG)
    assert not cleaned.removed  # a string is only text: it is kept...
    assert content_strings(cleaned.css) == [DECODED_END_TAG]  # ...meaning the same text,
    assert_fetches_nothing_and_closes_nothing(cleaned.css)  # but never as a raw end tag
    assert r"\3c /style\3e " in cleaned.css


@pytest.mark.parametrize(
    "value",
    [
        r"u\72l(https://evil.test/x)",
        r"u\72l(https://evil.test/x.png)",
        r"U\52L(https://evil.test/x.png)",
        r"\75 rl('https://evil.test/x.png')",
        r"\000075rl(https://evil.test/x.png)",
        "url(https://evil.test/x.png)",
        'url( "https://evil.test/x.png" )',
        'image-set("https://evil.test/x.png" 1x)',
        "-webkit-image-set(url(https://evil.test/x.png) 1x)",
        r"\69mage-set('https://evil.test/x.png' 1x)",
        "linear-gradient(red, blue), url(https://evil.test/x.png)",
        "var(--brand-accent, url(https://evil.test/x.png))",
        "url(data:image/png;base64,iVBORw0KGgo=)",
        "url(/static/x.png)",
        "url(//evil.test/x.png)",
    ],
)
def test_no_url_is_kept_in_any_spelling(value):
    cleaned = sanitize_css(f".hero {{ background: {value}; color: red; }}")
    assert cleaned.css == ".hero {\n  color: red;\n}\n"
    (removal,) = cleaned.removed
    assert removal.what.startswith("background:")
    assert removal.code == "function" and removal.detail in FETCHING_FUNCTIONS
    assert_fetches_nothing_and_closes_nothing(cleaned.css)


@pytest.mark.parametrize(
    "source",
    [
        '@\\69mport "https://evil.test/x.css";',
        "@IMPORT url(https://evil.test/x.css);",
        '@im\\70 ort url("https://evil.test/x.css") screen;',
        '@charset "utf-7"; @namespace url(https://evil.test/ns);',
        "@font-face { font-family: x; src: url(https://evil.test/x.woff2); }",
    ],
)
def test_at_rules_in_any_spelling_are_refused(source):
    cleaned = sanitize_css(source + "\n.ok { color: red; }")
    assert cleaned.css == ".ok {\n  color: red;\n}\n"
    assert cleaned.removed and all(r.code == "at-rule" for r in cleaned.removed)


@pytest.mark.parametrize(
    "declaration",
    [
        r"beh\61vior: url(x.htc)",
        r"-moz-b\69nding: url(x.xml#x)",
        r"width: \65xpression(alert(1))",
        r"width: e\78pression(alert(1))",
        r"content: 'java\73 cript:alert(1)'",
    ],
)
def test_script_and_bindings_are_refused_whatever_their_escapes(declaration):
    assert sanitize_css(f".a {{ {declaration}; }}").css == ""


def test_a_lone_surrogate_escape_is_written_as_an_escape():
    """`\\d800` decodes to a code point UTF-8 cannot encode: it must not become a 500."""
    cleaned = sanitize_css(r'.a::after { content: "\d800"; font-family: x\d800; }')
    cleaned.css.encode()
    assert r"\d800 " in cleaned.css


def set_custom_css(app, css: str) -> None:
    with app.extensions["sandbox"].store.write() as conn:
        conn.execute("UPDATE appearance SET custom_css = ? WHERE client_id IS NULL", [css])
    app.extensions["instance"].cache.clear()


FINDINGS = (
    ESCAPED_END_TAG + "\n"
    r".hero { background: u\72l(https://evil.test/x.png); }" + "\n"
    r".ok { color: red; font-family: x\d800; }" + "\n"
)


def test_the_learners_stylesheet_has_no_end_tag_no_url_and_answers(app, learner):
    set_custom_css(app, FINDINGS)
    response = learner.get("/branding/custom.css")
    assert response.status_code == 200 and response.mimetype == "text/css"
    css = response.get_data(as_text=True)
    assert_fetches_nothing_and_closes_nothing(css)
    assert "evil.test" not in css
    assert content_strings(css) == [DECODED_END_TAG]
    assert ".ok {\n  color: red;" in css


def test_the_admin_sees_the_decoded_url_it_removed_and_why(app, admin):
    set_custom_css(app, FINDINGS)
    response = admin.get("/admin/branding")
    assert response.status_code == 200
    removed = {
        row.find_all("td")[0].get_text(strip=True): row.find_all("td")[1].get_text(strip=True)
        for row in soup(response).select("table:has(caption) tbody tr")
        if len(row.find_all("td")) == 2
    }
    assert removed["background: url(https://evil.test/x.png)"] == (
        "The function url() is not allowed."
    )
    kept = soup(response).select("details.css-source pre")[1].text
    assert "</style" not in kept and r"\3c /style\3e " in kept


# --- Properties ---------------------------------------------------------------------------------

# Settings of our own on top of whatever profile tests/conftest.py may load: ~250 examples a
# property keep the file near 10 s; CSS_PROPERTY_EXAMPLES=5000 (say) searches much longer.
PROPERTY = settings(
    max_examples=int(os.environ.get("CSS_PROPERTY_EXAMPLES") or 250),
    deadline=None,  # a shared 2-core machine: no timed assertions
    database=None,  # no .hypothesis/ directory left in the checkout
    suppress_health_check=[HealthCheck.too_slow],
)


def spellings(word: str) -> list[str]:
    """`word` as an admin could hide it from a sanitiser that reads text: every character in
    turn, and then all of them, escaped in each form (hex of any length and case, with each
    terminator, or a bare backslash), its case swapped, or split by a comment."""

    def forms(char: str) -> list[str]:
        code = ord(char)
        hexes = [f"\\{code:x}", f"\\{code:X}", f"\\{code:06x}", f"\\{code:06X}"]
        out = [h + end for h in hexes for end in (" ", "\t", "\n", "\r\n", "\f")]
        out += [hexes[0] + "/**/", hexes[2], "/**/" + char, char.swapcase()]
        if char not in "0123456789abcdefABCDEF\n\r\f":
            out.append("\\" + char)
        return out

    every = {word, word.upper(), word.swapcase()}
    for i, char in enumerate(word):
        for form in forms(char):
            every.add(word[:i] + form + word[i + 1 :])
    for n in range(len(forms("a"))):
        every.add("".join(forms(c)[n] if n < len(forms(c)) else c for c in word))
    return sorted(every)


HOSTILE_WORDS = [
    "url(", "src(", "image(", "image-set(", "-webkit-image-set(", "cross-fade(", "element(",
    "@import", "@charset", "@namespace", "@font-face", "expression(", "behavior",
    "-moz-binding", "javascript:", "var(", "calc(", "rgb(", "!important",
]  # fmt: skip
PROPERTIES = ["content", "background", "color", "font-family", "width", "behavior",
              "-moz-binding"]  # fmt: skip
FETCHES = ["url(", "image-set(", "-webkit-image-set(", "src(", "image("]
SPELLED = {word: spellings(word) for word in HOSTILE_WORDS + PROPERTIES}
TARGETS = ["https://evil.test/x.png", "//evil.test/x", "data:image/png;base64,AAAA",
           "/static/x.png", "x.htc", "javascript:alert(1)", ""]  # fmt: skip
STRING_BODIES = [
    r"\3c /style\3e", r"\3C/STYLE\3E", r"\00003c!--", r"--\3e", r"\3c script\3e", "</style>",
    "<!--", "-->", "<script>", r"\0", r"\d800", "\\\n", r"\a", r"\"", r"\'", "\\", "\x00",
    "\x01", "\u2028", "\u202e", "javascript:alert(1)", r"java\73 cript:", "https://evil.test/x",
]  # fmt: skip
PIECES = [
    "{", "}", ";", ":", "(", ")", "[", "]", '"', "'", ",", " ", "\n", "\\\n", "\\", "\\0",
    "\\000000", "\\110000", "\\d800", "\x00", "\x01", "\x7f", "\u2028", "\u202e", "\ufeff",
    "/*", "*/", "<!--", "-->", "</style>", "</STYLE", "<script>", "@", "!important", "#", ".",
    ">", "-", "--", "+", "*", "/", "%", "&", "|", "=", "~", "^", "$", "u+a", "1e3", "1\\65 3",
    r"\3c /style\3e", r"\3c !--", r"--\3e", r"\3c script\3e", ".a{color:red}", "*{}", "a{b:c}",
    *TARGETS,
]  # fmt: skip
SELECTORS_HOSTILE = [
    ".a", "a", "#x", r".a\3c b", ".a-->", "a--> .b", r"#\31 23", r".\3c /style\3e", "*", "u+a",
    ".a:not(.b)", "li:nth-child(2n+1)", "a[href]", ".a::before", r".a\d800", r"\000061",
]  # fmt: skip


def spelled(words: list[str]):
    return st.sampled_from(words).flatmap(lambda word: st.sampled_from(SPELLED[word]))


hostile_piece = st.one_of(
    st.sampled_from(PIECES), spelled(HOSTILE_WORDS), st.characters(codec=None), st.text(max_size=4)
)
quote = st.sampled_from(['"', "'"])
hostile_string = st.tuples(
    quote, st.lists(st.sampled_from(STRING_BODIES) | st.text(max_size=3), min_size=1, max_size=4)
).map(lambda q: q[0] + "".join(q[1]) + q[0])
hostile_value = st.one_of(
    hostile_string,
    st.tuples(spelled(FETCHES), st.sampled_from(["", '"', "'"]), st.sampled_from(TARGETS))
    .map(lambda f: f"{f[0]}{f[1]}{f[2]}{f[1]})"),
    st.lists(spelled(HOSTILE_WORDS) | st.sampled_from(STRING_BODIES), min_size=1, max_size=3)
    .map(" ".join),
    st.lists(hostile_piece, min_size=1, max_size=6).map("".join),
)  # fmt: skip
hostile_declaration = st.tuples(
    spelled(PROPERTIES),
    st.one_of(hostile_string, hostile_value, st.lists(hostile_value, max_size=3).map(" ".join)),
).map(":".join)
hostile_rule = st.tuples(
    st.sampled_from(SELECTORS_HOSTILE) | st.lists(hostile_piece, max_size=3).map("".join),
    st.lists(hostile_declaration, min_size=1, max_size=3).map(";".join),
    st.sampled_from(["}", "", "}}"]),
).map(lambda r: r[0] + "{" + r[1] + r[2])
hostile_css = st.one_of(
    st.lists(hostile_rule, min_size=1, max_size=4).map("\n".join),
    st.lists(hostile_rule | hostile_piece, max_size=12).map("".join),
    st.text(),
)


@PROPERTY
@given(hostile_css)
def test_sanitising_twice_is_sanitising_once(source):
    once = sanitize_css(source).css
    twice = sanitize_css(once)
    assert twice.css == once
    assert not twice.removed  # what came out is all allowed


@PROPERTY
@given(hostile_css)
def test_nothing_that_comes_out_fetches_or_closes_anything(source):
    css = sanitize_css(source).css
    assert_fetches_nothing_and_closes_nothing(css)
    css.encode()  # servable as UTF-8


# Ordinary admin CSS: what the seeded companies and the existing tests use, and more like it.
COLOURS = st.one_of(
    st.sampled_from(["red", "transparent", "currentColor", "#f2c200", "#0F172A", "#abc"]),
    st.tuples(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255)).map(
        lambda c: f"rgb({c[0]}, {c[1]}, {c[2]})"
    ),
    st.integers(0, 100).map(lambda a: f"rgba(27, 42, 74, 0.{a:02d})"),
    st.integers(0, 360).map(lambda h: f"hsl({h} 50% 40%)"),
    st.just("var(--brand-accent)"),
)
LENGTHS = st.one_of(
    st.just("0"),
    st.tuples(st.integers(-40, 999), st.sampled_from(["px", "em", "rem", "%", "vh", "ch"])).map(
        lambda n: f"{n[0]}{n[1]}"
    ),
    st.just("calc(100% - 2rem)"),
    st.just("clamp(1rem, 2.5vw, 2rem)"),
)
FONT_NAMES = ['"Source Sans 3"', "Inter", "'Playfair Display'", "serif", "system-ui",
              '"Noto Sans JP"', '"微软雅黑"', "Georgia"]  # fmt: skip
LENGTH_PROPERTIES = ["margin", "padding", "width", "max-width", "letter-spacing",
                     "border-radius", "font-size", "gap"]  # fmt: skip
SELECTORS_ORDINARY = [
    ".site-header", ".content-card:hover", ".btn-primary", ".site-footer a", "h1", "h2",
    "body > main", "ul li + li", ".a ~ .b", "#main", "*", ".card:not(.is-done)",
    "li:nth-child(2n+1)", "li:nth-child(-n + 3)", ".note::before", "a:focus-visible",
]  # fmt: skip
FONTS = st.lists(st.sampled_from(FONT_NAMES), min_size=1, max_size=3).map(", ".join)
DECLARATIONS = st.one_of(
    st.tuples(st.sampled_from(["color", "background", "border-color"]), COLOURS),
    st.tuples(st.sampled_from(LENGTH_PROPERTIES), LENGTHS),
    st.tuples(st.just("font-family"), FONTS),
    st.tuples(st.just("font-weight"), st.sampled_from(["600", "bold", "normal"])),
    st.tuples(st.just("text-transform"), st.sampled_from(["uppercase", "none"])),
    st.tuples(st.just("text-decoration"), st.sampled_from(["underline", "none"])),
    st.tuples(st.just("border-bottom"), COLOURS.map(lambda c: f"3px solid {c}")),
    st.tuples(st.just("box-shadow"), COLOURS.map(lambda c: f"0 4px 14px {c}")),
    st.tuples(st.just("font"), st.just("600 1rem/1.5 Inter, sans-serif")),
    st.tuples(st.just("background-image"), st.just("linear-gradient(to right, #fff, #000)")),
    st.tuples(st.just("content"), st.sampled_from(['"→ "', "'Note: '", '"“quoted”"', '""'])),
)
SELECTORS = st.lists(st.sampled_from(SELECTORS_ORDINARY), min_size=1, max_size=3).map(", ".join)


@st.composite
def ordinary_rule(draw) -> str:
    declarations = draw(st.lists(DECLARATIONS, min_size=1, max_size=4))
    body = "; ".join(
        f"{name}: {value}" + (" !important" if draw(st.booleans()) else "")
        for name, value in declarations
    )
    return f"{draw(SELECTORS)} {{ {body}; }}"


def meaning(css: str):
    """What a browser takes from `css`: each rule's selector and declarations as decoded
    tokens, whitespace runs and comments aside."""

    def tokens(nodes):
        out = []
        for node in nodes:
            if isinstance(node, ast.Comment):
                continue
            if isinstance(node, ast.WhitespaceToken):
                if out and out[-1] != " ":
                    out.append(" ")
            elif isinstance(node, ast.FunctionBlock):
                out.append(("function", node.lower_name, tokens(node.arguments)))
            elif isinstance(node, ast.NumberToken | ast.PercentageToken):
                out.append((node.type, node.value))
            elif isinstance(node, ast.DimensionToken):
                out.append((node.type, node.value, node.unit))
            else:
                out.append((node.type, getattr(node, "value", None)))
        while out and out[-1] == " ":
            out.pop()
        return tuple(out)

    rules = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        declarations = tinycss2.parse_blocks_contents(
            rule.content, skip_comments=True, skip_whitespace=True
        )
        rules.append((
            tokens(rule.prelude),
            tuple((d.lower_name, tokens(d.value), d.important) for d in declarations),
        ))  # fmt: skip
    return rules


@PROPERTY
@given(st.lists(ordinary_rule(), min_size=1, max_size=5).map("\n".join))
def test_ordinary_admin_css_keeps_its_meaning(source):
    cleaned = sanitize_css(source)
    assert not cleaned.removed
    assert meaning(cleaned.css) == meaning(source)


def test_the_seeded_companies_css_comes_out_as_before():
    from webapp.sandbox.seed_content import ACME_CSS, GLOBEX_CSS

    assert sanitize_css(GLOBEX_CSS).css == (
        ".site-header {\n  background: #0f172a;\n  color: #e2e8f0;\n}\n\n"
        ".content-card {\n  border: 1px solid #1e293b;\n  border-radius: 2px;\n}\n\n"
        "h1, h2 {\n  letter-spacing: 0.02em;\n  text-transform: uppercase;\n}\n"
    )
    acme = sanitize_css(ACME_CSS)
    assert acme.css == (
        ".site-header {\n  border-bottom: 3px solid #f2c200;\n}\n\n"
        ".content-card:hover {\n  box-shadow: 0 4px 14px rgba(27, 42, 74, 0.15);\n}\n\n"
        ".btn-primary {\n  border-radius: 999px;\n  font-weight: 600;\n}\n\n"
        ".site-footer a {\n  text-decoration: underline;\n}\n"
    )
    assert [r.code for r in acme.removed] == ["at-rule", "unparsable"]
