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


@dataclass(frozen=True)
class Removal:
    what: str
    why: str


@dataclass
class SanitizedCss:
    css: str
    removed: list[Removal] = field(default_factory=list)


def _short(node_text: str) -> str:
    text = " ".join(node_text.split())
    return text if len(text) <= 80 else text[:77] + "..."


def _value_problem(tokens) -> str | None:
    """Why a declaration's value is refused, or None when every token is acceptable."""
    for token in tokens:
        if isinstance(token, ast.URLToken):
            if not _IMAGE_URL.match(token.value):
                return "url() may only point to an https image"
        elif isinstance(token, ast.FunctionBlock):
            name = token.lower_name
            if name not in ALLOWED_FUNCTIONS:
                return f"{name}() is not allowed"
            if name == "url":
                strings = [a for a in token.arguments if isinstance(a, ast.StringToken)]
                if len(strings) != 1 or not _IMAGE_URL.match(strings[0].value):
                    return "url() may only point to an https image"
            problem = _value_problem(token.arguments)
            if problem:
                return problem
        elif isinstance(token, ast.StringToken | ast.IdentToken):
            if (
                "javascript:" in token.value.lower().replace(" ", "")
                or "expression(" in token.value.lower()
            ):
                return "script in a value is not allowed"
        elif isinstance(token, ast.SquareBracketsBlock | ast.CurlyBracketsBlock):
            return "brackets in a value are not allowed"
        elif isinstance(token, ast.ParenthesesBlock):
            problem = _value_problem(token.content)
            if problem:
                return problem
        elif isinstance(token, ast.ParseError):
            return "the value could not be parsed"
    return None


def sanitize_css(source: str | None) -> SanitizedCss:
    """`source` rebuilt from the allowlist, with what was dropped and why."""
    result = SanitizedCss(css="")
    if not source:
        return result
    if len(source) > MAX_CSS:
        result.removed.append(
            Removal("(everything)", f"custom CSS longer than {MAX_CSS:,} characters")
        )
        return result
    rules = []
    for node in tinycss2.parse_stylesheet(source, skip_comments=True, skip_whitespace=True):
        if isinstance(node, ast.AtRule):
            result.removed.append(
                Removal(
                    _short(tinycss2.serialize([node])),
                    f"@{node.lower_at_keyword} rules are not allowed",
                )
            )
            continue
        if isinstance(node, ast.ParseError):
            result.removed.append(Removal(node.message, "not valid CSS"))
            continue
        selector = tinycss2.serialize(node.prelude).strip()
        if "[" in selector:
            result.removed.append(Removal(_short(selector), "attribute selectors are not allowed"))
            continue
        if not selector or not _SELECTOR.match(selector):
            result.removed.append(
                Removal(_short(selector), "the selector uses characters that are not allowed")
            )
            continue
        kept = []
        for declaration in tinycss2.parse_blocks_contents(
            node.content, skip_comments=True, skip_whitespace=True
        ):
            if isinstance(declaration, ast.ParseError):
                result.removed.append(
                    Removal(f"{selector} {{…}}", "a declaration is not valid CSS")
                )
                continue
            if not isinstance(declaration, ast.Declaration):
                result.removed.append(
                    Removal(
                        _short(tinycss2.serialize([declaration])), "nested rules are not allowed"
                    )
                )
                continue
            name = declaration.lower_name
            text = f"{name}: {tinycss2.serialize(declaration.value).strip()}"
            if not _PROPERTY.match(name) or name in FORBIDDEN_PROPERTIES:
                result.removed.append(Removal(_short(text), f"the property {name} is not allowed"))
                continue
            problem = _value_problem(declaration.value)
            if problem:
                result.removed.append(Removal(_short(text), problem))
                continue
            important = " !important" if declaration.important else ""
            kept.append(f"  {text}{important};")
        if kept:
            rules.append(selector + " {\n" + "\n".join(kept) + "\n}")
    result.css = "\n\n".join(rules) + ("\n" if rules else "")
    return result


def css_version(source: str | None) -> str:
    return hashlib.sha256((source or "").encode()).hexdigest()[:12]
