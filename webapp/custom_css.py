"""The company's custom CSS, rebuilt from an allowlist and served as its own stylesheet.

Admin CSS is untrusted: it is never inlined into a <style> element. It is parsed with tinycss2
(a maintained CSS Syntax Level 3 parser), and everything is judged on its tokens, whose values
are decoded as a browser decodes them: `u\\72l(` is url(, `\\3c` is <. Only what passes is kept:
  - no at-rules at all (@import, @font-face, @media... could load or hide things);
  - plain selectors only, no attribute selectors (`input[value^="a"]` leaks what is typed);
  - property names that are plain identifiers, never `behavior` or `-moz-binding`;
  - values made of ordinary tokens and a few functions, never url() or anything else that
    fetches: custom CSS may not load anything (nor leak what a page shows by loading it);
  - no expression(), no javascript: anywhere.
What is kept is then written out from those tokens (webapp/css_tokens.py), not copied from the
source, so learners get exactly what was judged, with `<` and control characters escaped.
What was removed is reported (the admin branding page shows it) and logged.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import tinycss2
from tinycss2 import ast

from . import css_tokens

_PLAIN_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
_PROPERTY = re.compile(r"^-?[a-z][a-z0-9-]*$")
FORBIDDEN_PROPERTIES = {"behavior", "-moz-binding", "binding"}
# Not url(), image-set(), image(), src(), cross-fade(), element()...: they all fetch.
ALLOWED_FUNCTIONS = {
    "rgb", "rgba", "hsl", "hsla", "calc", "var", "min", "max", "clamp",
    "linear-gradient", "radial-gradient", "repeating-linear-gradient",
}  # fmt: skip
VALUE_DELIMITERS = {",", "/", "+", "-", "*"}
SELECTOR_DELIMITERS = {".", ":", ">", "+", "~", "*", ",", "-"}  # "-": :nth-child(2n - 1)
SELECTOR_FUNCTIONS = {
    "not", "is", "where", "has", "matches", "any", "-webkit-any", "-moz-any", "lang", "dir",
    "nth-child", "nth-last-child", "nth-of-type", "nth-last-of-type",
}  # fmt: skip
MAX_CSS = 100_000


# Why a piece was removed: a code (the admin page words it in the admin's language) and the
# English sentence for the log. `{detail}` is the at-rule, property or function concerned.
REASONS = {
    "at-rule": "@{detail} rules are not allowed",
    "invalid": "not valid CSS",
    "attribute-selector": "attribute selectors are not allowed",
    "selector-characters": "the selector uses characters that are not allowed",
    "invalid-declaration": "a declaration is not valid CSS",
    "nested-rule": "nested rules are not allowed",
    "property": "the property {detail} is not allowed",
    "function": "{detail}() is not allowed",
    "script": "script in a value is not allowed",
    "brackets": "brackets in a value are not allowed",
    "unparsable": "the value could not be parsed",
    "too-long": "custom CSS longer than {detail} characters",
}


@dataclass(frozen=True)
class Removal:
    what: str
    code: str
    detail: str = ""

    @property
    def why(self) -> str:
        return REASONS[self.code].format(detail=self.detail)


@dataclass
class SanitizedCss:
    css: str
    removed: list[Removal] = field(default_factory=list)


def _short(node_text: str) -> str:
    """A removed piece as the admin page and the log show it (decoded: what was judged)."""
    text = " ".join(node_text.split())
    # Characters UTF-8 cannot carry (a lone surrogate from `\\d800`) or that would not show.
    text = "".join(c if c.isprintable() else f"\\{ord(c):x} " for c in text)
    return text if len(text) <= 80 else text[:77] + "..."


def _script(value: str) -> bool:
    squeezed = "".join(value.lower().split())
    return "javascript:" in squeezed or "expression(" in squeezed


def _value_problem(tokens) -> tuple[str, str] | None:
    """Why a declaration's value is refused (code, detail), or None when it is acceptable."""
    for token in tokens:
        if isinstance(token, ast.URLToken):
            return ("function", "url")
        if isinstance(token, ast.FunctionBlock):
            if token.lower_name not in ALLOWED_FUNCTIONS:
                return ("function", token.lower_name)
            problem = _value_problem(token.arguments)
        elif isinstance(token, ast.ParenthesesBlock):
            problem = _value_problem(token.content)
        elif isinstance(token, ast.StringToken | ast.IdentToken):
            problem = ("script", "") if _script(token.value) else None
        elif isinstance(token, ast.SquareBracketsBlock | ast.CurlyBracketsBlock):
            problem = ("brackets", "")
        elif isinstance(token, ast.LiteralToken):
            problem = None if token.value in VALUE_DELIMITERS else ("unparsable", "")
        elif isinstance(
            token,
            ast.WhitespaceToken | ast.Comment | ast.HashToken | ast.NumberToken
            | ast.PercentageToken | ast.DimensionToken,
        ):  # fmt: skip
            problem = None
        else:  # a parse error, a unicode-range, anything not listed
            problem = ("unparsable", "")
        if problem:
            return problem
    return None


def _selector_problem(tokens) -> str | None:
    """Why a selector is refused (a code), or None when it is acceptable."""
    for token in tokens:
        if isinstance(token, ast.SquareBracketsBlock):
            return "attribute-selector"
        if isinstance(token, ast.FunctionBlock):
            if token.lower_name not in SELECTOR_FUNCTIONS:
                return "selector-characters"
            problem = _selector_problem(token.arguments)
            if problem:
                return problem
        elif isinstance(token, ast.IdentToken | ast.HashToken):
            if not _PLAIN_NAME.match(token.value):
                return "selector-characters"
        elif isinstance(token, ast.LiteralToken):
            if token.value not in SELECTOR_DELIMITERS:
                return "selector-characters"
        elif not isinstance(
            token, ast.WhitespaceToken | ast.Comment | ast.NumberToken | ast.DimensionToken
        ):  # numbers: :nth-child(2n+1)
            return "selector-characters"
    return None


def _declaration(declaration, selector: str, removed: list[Removal]) -> str | None:
    """`declaration` written out as it is kept, or None (and why in `removed`)."""
    if isinstance(declaration, ast.ParseError):
        removed.append(Removal(f"{selector} {{…}}", "invalid-declaration"))
        return None
    if not isinstance(declaration, ast.Declaration):
        removed.append(Removal(_short(tinycss2.serialize([declaration])), "nested-rule"))
        return None
    name = declaration.lower_name
    shown = _short(f"{name}: {tinycss2.serialize(declaration.value).strip()}")
    if not _PROPERTY.match(name) or name in FORBIDDEN_PROPERTIES:
        removed.append(Removal(shown, "property", name))
        return None
    problem = _value_problem(declaration.value)
    if problem:
        removed.append(Removal(shown, *problem))
        return None
    value = css_tokens.serialize(declaration.value)
    if not value:  # `color: ;`
        removed.append(Removal(shown, "invalid-declaration"))
        return None
    return f"{name}: {value}" + (" !important" if declaration.important else "")


def sanitize_css(source: str | None) -> SanitizedCss:
    """`source` rebuilt from the allowlist, with what was dropped and why."""
    result = SanitizedCss(css="")
    if not source:
        return result
    if len(source) > MAX_CSS:
        result.removed.append(Removal("(everything)", "too-long", f"{MAX_CSS:,}"))
        return result
    rules = []
    for node in tinycss2.parse_stylesheet(source, skip_comments=True, skip_whitespace=True):
        if isinstance(node, ast.AtRule):
            result.removed.append(
                Removal(_short(tinycss2.serialize([node])), "at-rule", node.lower_at_keyword)
            )
            continue
        if isinstance(node, ast.ParseError):
            result.removed.append(Removal(node.message, "invalid"))
            continue
        shown = _short(tinycss2.serialize(node.prelude).strip())
        problem = _selector_problem(node.prelude)
        selector = "" if problem else css_tokens.serialize(node.prelude)
        if not selector:
            result.removed.append(Removal(shown, problem or "selector-characters"))
            continue
        declarations = tinycss2.parse_blocks_contents(
            node.content, skip_comments=True, skip_whitespace=True
        )
        kept = [_declaration(d, selector, result.removed) for d in declarations]
        kept = [f"  {text};" for text in kept if text]
        if kept:
            rules.append(selector + " {\n" + "\n".join(kept) + "\n}")
    result.css = "\n\n".join(rules) + ("\n" if rules else "")
    return result


def css_version(source: str | None) -> str:
    # surrogatepass: a lone surrogate from the API must not make every page a 500.
    return hashlib.sha256((source or "").encode("utf-8", "surrogatepass")).hexdigest()[:12]
