"""CSS tokens written back as text that means exactly what was judged, and nothing more.

The custom CSS sanitiser (webapp/custom_css.py) judges tinycss2's decoded tokens; this writes
those tokens out again, canonically, so the stylesheet served is what was judged rather than the
admin's spelling of it. Unlike tinycss2.serialize, it writes every character that could matter
outside CSS as a hex escape (`<` as `\\3c `): no string or name can then carry `</style`, `<!--`,
`-->`, a control character or a lone surrogate (which UTF-8 cannot even encode), whatever the
source spelled. Only the token types the sanitiser lets through are written; any other raises.
"""

from __future__ import annotations

from tinycss2 import ast

_NAME_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
_STRING_PLAIN = frozenset(chr(c) for c in range(0x20, 0x7F)) - set('"\\<>')

# Pairs of tokens that would read back as one token (or a comment) if written side by side, from
# CSS Syntax 3, "Serialization", restricted to what the sanitiser keeps: a comment goes between.
_WORDLIKE = {"ident", "function", "number", "percentage", "dimension"}
_GLUE = (
    {("ident", kind) for kind in _WORDLIKE | {"-", "() block"}}
    | {(first, kind) for first in ("hash", "dimension", "-") for kind in _WORDLIKE | {"-"}}
    | {("number", kind) for kind in _WORDLIKE | {"%"}}
    | {(first, kind) for first in (".", "+") for kind in ("number", "percentage", "dimension")}
    | {("/", "*")}
)


def _escape(char: str) -> str:
    # A hex escape always ends with a space, so the next character can never extend it.
    return f"\\{ord(char):x} "


def _kept_as_is(char: str) -> bool:
    return char in _NAME_CHARACTERS or (ord(char) > 0x7F and char.isprintable())


def name(value: str) -> str:
    """`value` written as the characters of a name (after `#`, or inside an identifier)."""
    return "".join(char if _kept_as_is(char) else _escape(char) for char in value)


def identifier(value: str) -> str:
    """`value` written so it reads back as one identifier with exactly that value."""
    if value == "-":
        return "\\-"
    if value.startswith("--"):  # a custom identifier: any name characters may follow
        return name(value)
    start = 1 if value.startswith("-") else 0
    if value[start] in "0123456789":  # a digit cannot start a name
        return value[:start] + _escape(value[start]) + name(value[start + 1 :])
    return name(value)


def string(value: str) -> str:
    """`value` as a double-quoted string: printable text as is, anything else escaped."""
    return (
        '"'
        + "".join(c if c in _STRING_PLAIN or _kept_as_is(c) else _escape(c) for c in value)
        + '"'
    )


def _unit(unit: str) -> str:
    # After a number, `e3` or `e-3` would read as an exponent (1e3 = 1000): that e is escaped.
    rest = unit[1:].removeprefix("-")
    if unit[:1] in ("e", "E") and rest[:1] in tuple("0123456789"):
        return _escape(unit[0]) + name(unit[1:])
    return identifier(unit)


def _kind(token) -> str:
    return token.value if isinstance(token, ast.LiteralToken) else token.type


def _text(token) -> str:
    if isinstance(token, ast.WhitespaceToken):
        return " "
    if isinstance(token, ast.IdentToken):
        return identifier(token.value)
    if isinstance(token, ast.HashToken):
        return "#" + (identifier(token.value) if token.is_identifier else name(token.value))
    if isinstance(token, ast.StringToken):
        return string(token.value)
    if isinstance(token, ast.NumberToken):
        return token.representation
    if isinstance(token, ast.PercentageToken):
        return token.representation + "%"
    if isinstance(token, ast.DimensionToken):
        return token.representation + _unit(token.unit)
    if isinstance(token, ast.LiteralToken):
        return token.value
    if isinstance(token, ast.FunctionBlock):
        return identifier(token.lower_name) + "(" + serialize(token.arguments) + ")"
    if isinstance(token, ast.ParenthesesBlock):
        return "(" + serialize(token.content) + ")"
    raise ValueError(f"{token.type} tokens are never written")


def trimmed(tokens) -> list:
    """`tokens` without comments, whitespace runs made one, none at either end."""
    out = []
    for token in tokens:
        if isinstance(token, ast.Comment):
            continue
        if isinstance(token, ast.WhitespaceToken) and (not out or _kind(out[-1]) == "whitespace"):
            continue
        out.append(token)
    if out and isinstance(out[-1], ast.WhitespaceToken):
        out.pop()
    return out


def serialize(tokens) -> str:
    """The canonical text of `tokens` (comments dropped, whitespace runs as one space)."""
    chunks: list[str] = []
    previous = None
    for token in trimmed(tokens):
        kind, text = _kind(token), _text(token)
        # `a` then `b` would read as one identifier `ab` (but `2n` then `+1` stays two tokens);
        # `a--` then `>` would spell -->.
        glued = (previous, kind) in _GLUE and not text.startswith("+")
        if glued or (chunks and chunks[-1].endswith("-") and kind == ">"):
            chunks.append("/**/")
        chunks.append(text)
        previous = kind
    return "".join(chunks)
