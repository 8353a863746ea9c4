"""The brand fonts Atrium ships, and a designed fallback for every family it doesn't.

Companies name their fonts (CompanyDetails.settings.font for body text, altFont for headings).
The families the demo brands name are vendored as WOFF2 under static/fonts/ (their manifest,
fonts.json, is written by scripts/vendor_fonts.py): theme.css declares @font-face rules for the
ones a theme names, matched case-insensitively, and nothing is fetched from another host. Any
other family is still named first in its stack (a learner's device may have it) and falls back
to system fonts of the same kind: serif for names that say so, else sans-serif. The shipped
files hold Latin only (their unicode-range says so), so Arabic text falls through to the
stack's Arabic system fonts.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask import url_for

from .branding import plain_font

MANIFEST = Path(__file__).with_name("static") / "fonts" / "fonts.json"

# After the brand's family: the platform's UI font, then widely installed ones of the same
# kind, then Arabic faces (Windows' Segoe UI and Tahoma carry Arabic, Noto on Android/Linux,
# Geeza Pro on Apple), then the generic family.
SANS_FALLBACK = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", '
    '"Noto Sans Arabic", "Geeza Pro", Tahoma, sans-serif'
)
SERIF_FALLBACK = (
    'Georgia, Cambria, "Times New Roman", "Noto Serif", "Noto Naskh Arabic", "Geeza Pro", serif'
)
# Families that are serif although their names don't say so (names with "serif" or "slab" are
# recognised by name).
_SERIFS = {
    "baskerville",
    "bodoni",
    "cambria",
    "caslon",
    "crimson",
    "didot",
    "garamond",
    "georgia",
    "libre baskerville",
    "lora",
    "merriweather",
    "palatino",
    "playfair display",
    "times",
    "times new roman",
}
_SERIF_WORDS = re.compile(r"\b(serif|slab)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Face:
    file: str  # under static/
    weight: str  # "700", or a range "400 800" for a variable font
    style: str
    unicode_range: str

    def covers(self, weight: int) -> bool:
        low, _sep, high = self.weight.partition(" ")
        return int(low) <= weight <= int(high or low)


@dataclass(frozen=True)
class Family:
    name: str
    category: str
    faces: tuple[Face, ...]


@lru_cache(maxsize=1)
def shipped() -> dict[str, Family]:
    """The vendored families by lower-cased name."""
    try:
        data = json.loads(MANIFEST.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return {
        name.lower(): Family(
            name,
            entry["category"],
            tuple(
                Face(f["file"], f["weight"], f["style"], f["unicode_range"]) for f in entry["faces"]
            ),
        )
        for name, entry in data.items()
    }


def family(name: object) -> Family | None:
    """The shipped family a theme's font name means ("source sans 3" is "Source Sans 3")."""
    plain = plain_font(name)
    return shipped().get(" ".join(plain.lower().split())) if plain else None


def is_serif(name: str) -> bool:
    known = family(name)
    if known:
        return known.category == "serif"
    lowered = " ".join(name.lower().split())
    return lowered in _SERIFS or (bool(_SERIF_WORDS.search(lowered)) and "sans" not in lowered)


def stack(name: object) -> str:
    """The CSS font-family list for a theme's font: the brand's family, then the fallback
    (without a plain name, the fallback alone)."""
    plain = plain_font(name)
    if not plain:
        return SANS_FALLBACK
    known = family(plain)
    label = known.name if known else plain
    fallback = SERIF_FALLBACK if is_serif(plain) else SANS_FALLBACK
    return f'"{label}", {fallback}'


# What each role needs from a shipped family: body text is set at 400 (600-800 for emphasis),
# headings at 700. A family shipped without its role's weight is not declared at all for that
# theme (regular text in a bold-only face would be worse than the fallback).
ROLE_WEIGHT = {"body": 400, "heading": 700}


def faces_for(font_name: object, alt_font_name: object) -> list[tuple[Family, Face]]:
    """The shipped faces a theme's body and heading fonts use, each family once."""
    roles: dict[str, list[str]] = {}
    for role, name in (("body", font_name), ("heading", alt_font_name)):
        known = family(name)
        if known:
            roles.setdefault(known.name, []).append(role)
    chosen = []
    for name, wanted in roles.items():
        known = shipped()[name.lower()]
        if all(any(f.covers(ROLE_WEIGHT[r]) for f in known.faces) for r in wanted):
            chosen.extend((known, face) for face in known.faces)
    return chosen


def font_face_css(font_name: object, alt_font_name: object) -> str:
    """@font-face rules for the shipped families a theme names (static URLs: content-hashed)."""
    rules = []
    for known, face in faces_for(font_name, alt_font_name):
        src = url_for("static", filename=face.file)
        rules.append(
            "@font-face{"
            f'font-family:"{known.name}";'
            f"font-style:{face.style};"
            f"font-weight:{face.weight};"
            "font-display:swap;"
            f'src:url("{src}") format("woff2");'
            f"unicode-range:{face.unicode_range}"
            "}"
        )
    return "".join(rules)


def theme_font_css(font_name: object, alt_font_name: object) -> str:
    """The theme's font stacks (overriding the plain ones) and the @font-face rules they use."""
    stacks = f":root{{--brand-font:{stack(font_name)};--brand-alt-font:{stack(alt_font_name)};}}"
    return stacks + font_face_css(font_name, alt_font_name)


def preload_url(font_name: object) -> str | None:
    """The body font's regular face, if Atrium ships it: worth a <link rel=preload>, as its URL
    is otherwise found only once theme.css has arrived and the page's text has been styled."""
    for _known, face in faces_for(font_name, None):
        if face.covers(ROLE_WEIGHT["body"]):
            return url_for("static", filename=face.file)
    return None


def init_fonts(app) -> None:
    app.add_template_global(preload_url, "font_preload_url")
