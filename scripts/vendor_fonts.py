"""Vendor the brand fonts Atrium ships, from the @fontsource packages in node_modules.

    npm install && .venv/bin/pip install -e '.[fonts]' && .venv/bin/python scripts/vendor_fonts.py
    (`make fonts` does all three)

For each family below it takes the package's Latin WOFF2 file, cuts it down to Basic Latin,
Latin-1 and the punctuation Atrium's languages print (pyftsubset), and writes it with the
font's licence (OFL) to webapp/static/fonts/<family>/, plus webapp/static/fonts/fonts.json, the
manifest webapp/fonts.py builds @font-face rules from. The results are committed: the app reads
them from its own static folder and fetches nothing at run time.

How far each file is cut depends on its licence. Fonts with a Reserved Font Name (Merriweather,
Playfair Display, Source Sans 3) may keep that name only as functionally equivalent versions
(SIL's "Webfonts and Reserved Font Names"), so they lose characters only: every OpenType
feature (kerning included), the hinting and the name table stay. Inter reserves no name and
is cut harder: only the layout features Atrium's CSS relies on (kerning, ligatures, localised
forms, tabular figures), and its variable weight axis narrowed to 400-800, the weights the CSS
uses.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = ROOT / "node_modules"
OUT = ROOT / "webapp" / "static" / "fonts"

# Basic Latin, Latin-1, and the punctuation and symbols en/fr/de/es text uses: dotless i, the
# French oe ligature, spacing accents, the spaces Babel puts in French numbers (U+202F, U+2009),
# dashes, quotes (including German low quotes and guillemets), daggers, bullet, ellipsis,
# per mille, euro, trade mark, minus. Arabic is not here: it falls back to the system's font.
UNICODES = (
    "U+0020-007E,U+00A0-00FF,U+0131,U+0152-0153,U+02C6,U+02DA,U+02DC,U+2009,U+200B,"
    "U+2010-2014,U+2018-201A,U+201C-201E,U+2020-2022,U+2026,U+202F,U+2030,U+2039-203A,"
    "U+2044,U+20AC,U+2122,U+2212"
)
CSS_FEATURES = ["kern", "liga", "locl", "tnum"]  # what Atrium's CSS relies on (tnum: tables)


@dataclass(frozen=True)
class Family:
    name: str  # as companies name it (CompanyDetails.settings.font / altFont)
    package: str  # the npm package (pinned in package.json)
    file: str  # the package's file to start from
    category: str  # "sans-serif" or "serif": the fallback stack it gets
    reserved_name: bool  # the licence reserves the name: functionally equivalent cuts only
    weights: tuple[int, int] | None = None  # narrow a variable font's wght axis to this range


FAMILIES = (
    Family(
        "Inter",
        "@fontsource-variable/inter",
        "inter-latin-wght-normal.woff2",
        "sans-serif",
        reserved_name=False,
        weights=(400, 800),
    ),
    Family(
        "Merriweather",
        "@fontsource/merriweather",
        "merriweather-latin-700-normal.woff2",
        "serif",
        reserved_name=True,
    ),
    Family(
        "Source Sans 3",
        "@fontsource-variable/source-sans-3",
        "source-sans-3-latin-wght-normal.woff2",
        "sans-serif",
        reserved_name=True,
    ),
    Family(
        "Playfair Display",
        "@fontsource/playfair-display",
        "playfair-display-latin-700-normal.woff2",
        "serif",
        reserved_name=True,
    ),
)


def slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def ranges(codepoints: set[int]) -> str:
    """Code points as a CSS unicode-range list, runs joined: U+20-7E,U+A0-FF."""
    runs: list[list[int]] = []
    for cp in sorted(codepoints):
        if runs and cp == runs[-1][1] + 1:
            runs[-1][1] = cp
        else:
            runs.append([cp, cp])
    return ",".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in runs)


def cut(family: Family, source: Path, target: Path) -> dict:
    options = subset.Options()
    options.flavor = "woff2"
    options.name_IDs = ["*"]  # copyright, licence and names stay with the font
    options.name_languages = ["*"]
    options.name_legacy = True
    options.notdef_outline = True
    options.glyph_names = True
    if family.reserved_name:
        options.layout_features = ["*"]
        options.hinting = True
    else:
        options.layout_features = CSS_FEATURES
        options.hinting = False
    font = TTFont(source)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(UNICODES))
    subsetter.subset(font)
    weight: str
    if "fvar" in font:
        axis = next(a for a in font["fvar"].axes if a.axisTag == "wght")
        low, high = family.weights or (int(axis.minValue), int(axis.maxValue))
        if family.weights and family.reserved_name:
            sys.exit(f"{family.name}: its licence allows no narrowed axis")
        if family.weights:
            font = instancer.instantiateVariableFont(font, {"wght": (low, high)})
        weight = f"{low} {high}"
    else:
        weight = str(font["OS/2"].usWeightClass)
    codepoints = set(font.getBestCmap())
    target.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(target), options)
    return {
        "weight": weight,
        "unicode_range": ranges(codepoints),
        "copyright": font["name"].getDebugName(0) or "",
    }


def licence(family: Family, copyright_notice: str) -> str:
    """The package's OFL text under the font's own copyright notice (name ID 0)."""
    text = (NODE_MODULES / family.package / "LICENSE").read_text(encoding="utf-8")
    body = text[text.index("This Font Software is licensed") :]
    return f"{copyright_notice}\n\n{body}"


def package_version(family: Family) -> str:
    meta = json.loads((NODE_MODULES / family.package / "package.json").read_text())
    return meta["version"]


def main() -> None:
    missing = [f.package for f in FAMILIES if not (NODE_MODULES / f.package).is_dir()]
    if missing:
        sys.exit(f"run `npm install` first (missing {', '.join(missing)})")
    manifest = {}
    for family in FAMILIES:
        folder = OUT / slug(family.name)
        source = NODE_MODULES / family.package / "files" / family.file
        target = folder / family.file
        face = cut(family, source, target)
        (folder / "OFL.txt").write_text(licence(family, face.pop("copyright")), encoding="utf-8")
        data = target.read_bytes()
        manifest[family.name] = {
            "category": family.category,
            "source": f"{family.package}@{package_version(family)}/files/{family.file}",
            "faces": [
                {
                    "file": f"fonts/{slug(family.name)}/{family.file}",
                    "style": "normal",
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "bytes": len(data),
                    **face,
                }
            ],
        }
        print(f"{target.relative_to(ROOT)}: {source.stat().st_size:,} -> {len(data):,} bytes")
    (OUT / "fonts.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
