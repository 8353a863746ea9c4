"""The company's custom CSS, rebuilt from an allowlist and served as its own stylesheet.

Admin CSS is untrusted: it is never inlined into a <style> element. Each rule is parsed with
tinycss2 (a maintained CSS Syntax Level 3 parser, so escapes like `\\65xpression(` are decoded
before we judge them) and rebuilt only from what passes:
  - no at-rules at all (@import, @font-face, @media... could load or hide things);
  - plain selectors only, no attribute selectors (`input[value^="a"]` leaks what is typed);
  - property names that are plain identifiers, never `behavior` or `-moz-binding`;
  - values made of ordinary tokens and a few functions; url() only to https images;
  - no expression(), no javascript: anywhere.
What was removed is reported (the admin branding page shows it) and logged.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import tinycss2
from tinycss2 import ast

_SELECTOR = re.compile(r"^[A-Za-z0-9_\-.#:\s>+~*,()]+$")
_PROPERTY = re.compile(r"^-?[a-z][a-z0-9-]*$")
_IMAGE_URL = re.compile(
    r"^https://[^\s\"'()\\]+\.(png|jpe?g|gif|svg|webp|avif)(\?[^\s\"'()\\]*)?$", re.I
)
FORBIDDEN_PROPERTIES = {"behavior", "-moz-binding", "binding"}
ALLOWED_FUNCTIONS = {
    "rgb", "rgba", "hsl", "hsla", "calc", "var", "min", "max", "clamp",
    "linear-gradient", "radial-gradient", "repeating-linear-gradient", "url",
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
    "url": "url() may only point to an https image",
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
    text = " ".join(node_text.split())
    return text if len(text) <= 80 else text[:77] + "..."


def _value_problem(tokens) -> tuple[str, str] | None:
    """Why a declaration's value is refused (code, detail), or None when it is acceptable."""
    for token in tokens:
        if isinstance(token, ast.URLToken):
            if not _IMAGE_URL.match(token.value):
                return ("url", "")
        elif isinstance(token, ast.FunctionBlock):
            name = token.lower_name
            if name not in ALLOWED_FUNCTIONS:
                return ("function", name)
            if name == "url":
                strings = [a for a in token.arguments if isinstance(a, ast.StringToken)]
                if len(strings) != 1 or not _IMAGE_URL.match(strings[0].value):
                    return ("url", "")
            problem = _value_problem(token.arguments)
            if problem:
                return problem
        elif isinstance(token, ast.StringToken | ast.IdentToken):
            if (
                "javascript:" in token.value.lower().replace(" ", "")
                or "expression(" in token.value.lower()
            ):
                return ("script", "")
        elif isinstance(token, ast.SquareBracketsBlock | ast.CurlyBracketsBlock):
            return ("brackets", "")
        elif isinstance(token, ast.ParenthesesBlock):
            problem = _value_problem(token.content)
            if problem:
                return problem
        elif isinstance(token, ast.ParseError):
            return ("unparsable", "")
    return None


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
        selector = tinycss2.serialize(node.prelude).strip()
        if "[" in selector:
            result.removed.append(Removal(_short(selector), "attribute-selector"))
            continue
        if not selector or not _SELECTOR.match(selector):
            result.removed.append(Removal(_short(selector), "selector-characters"))
            continue
        kept = []
        for declaration in tinycss2.parse_blocks_contents(
            node.content, skip_comments=True, skip_whitespace=True
        ):
            if isinstance(declaration, ast.ParseError):
                result.removed.append(Removal(f"{selector} {{…}}", "invalid-declaration"))
                continue
            if not isinstance(declaration, ast.Declaration):
                result.removed.append(
                    Removal(_short(tinycss2.serialize([declaration])), "nested-rule")
                )
                continue
            name = declaration.lower_name
            text = f"{name}: {tinycss2.serialize(declaration.value).strip()}"
            if not _PROPERTY.match(name) or name in FORBIDDEN_PROPERTIES:
                result.removed.append(Removal(_short(text), "property", name))
                continue
            problem = _value_problem(declaration.value)
            if problem:
                result.removed.append(Removal(_short(text), *problem))
                continue
            important = " !important" if declaration.important else ""
            kept.append(f"  {text}{important};")
        if kept:
            rules.append(selector + " {\n" + "\n".join(kept) + "\n}")
    result.css = "\n\n".join(rules) + ("\n" if rules else "")
    return result


def css_version(source: str | None) -> str:
    return hashlib.sha256((source or "").encode()).hexdigest()[:12]
