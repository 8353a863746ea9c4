"""CompanyDetails -> a theme: CSS custom properties with readable colours, safe URLs and fonts.

Brand colours are the company's choice; legibility is not. Text drawn on a brand colour gets
black or white, whichever contrasts more (one of them always reaches 4.5:1), and a link colour
too light for the page background is darkened until it reads at AA. Text never sits straight on
a brand's background image (its colours are unknown): whatever is outside the page's white
surface gets a surface of its own (Theme.css_rules). The logo gets a white plate only when it
would not show on the header (Theme.logo_on_plate).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from flask import current_app, has_app_context

from .custom_css import css_version
from .security import instance_url, safe_url

_HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})\Z")
_FONT = re.compile(r"^[A-Za-z0-9 \-]{1,60}\Z")
AA_TEXT = 4.5
AA_NON_TEXT = 3.0  # controls and their edges against what surrounds them
PAGE_BACKGROUND = "#ffffff"
DEFAULTS = {"accent": "#1f5fbf", "secondary": "#3b4a5a", "link": "#1f5fbf"}
FALLBACK_FONTS = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'


def parse_hex(value: object) -> str | None:
    """'#abc' or 'abc123' -> '#aabbcc' / '#abc123'; None for anything else."""
    if not isinstance(value, str):
        return None
    match = _HEX.match(value.strip())
    if not match:
        return None
    digits = match.group(1).lower()
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return f"#{digits}"


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(color: str) -> float:
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG 2.x contrast ratio of two '#rrggbb' colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable_on(background: str) -> str:
    """Black or white, whichever reads better on `background`."""
    return (
        "#000000"
        if contrast(background, "#000000") >= contrast(background, "#ffffff")
        else "#ffffff"
    )


def darken_until_readable(
    color: str, background: str = PAGE_BACKGROUND, ratio: float = AA_TEXT
) -> str:
    """`color`, darkened in small steps until it reaches `ratio` (AA text: 4.5) on `background`."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    current = color
    for _ in range(40):
        if contrast(current, background) >= ratio:
            return current
        r, g, b = (int(c * 0.9) for c in (r, g, b))
        current = f"#{r:02x}{g:02x}{b:02x}"
    return "#000000"


LOGO_PLATE = "#ffffff"  # the plate behind a logo that would not show on the header
# An SVG's name in a folder of LOCAL_IMAGES: the only logos Atrium can read without fetching.
_LOCAL_SVG = re.compile(r"^[A-Za-z0-9_-]{1,80}\.svg\Z")
_NAMED = {"black": "#000000", "white": "#ffffff", "currentcolor": "#000000"}  # <img>: black
_RGB = re.compile(r"^rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)\Z")
_SHAPES = {"rect", "circle", "ellipse", "path", "polygon", "polyline", "line", "text"}
_UNREADABLE = {"image", "style", "use", "foreignObject", "filter", "pattern"}
_NOT_PAINTED = {"title", "desc", "metadata", "clipPath", "mask", "marker"}
_NO_PAINT = object()


class _Unknown(Exception):
    """The SVG paints with something this reader can't resolve to colours."""


class _OwnBackground(Exception):
    """The SVG's first shape covers its whole canvas."""


_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def _has_area(tag: str, props: dict[str, str]) -> bool:
    """Whether a shape's fill can show: not a line, nor a path or polyline of one straight
    segment (`<path d="M6 24h36" stroke=...>` paints no black fill, whatever the default)."""
    if tag == "line":
        return False
    if tag == "path":
        data = props.get("d", "")
        straight = len(re.findall(r"[LlHhVv]", data)) <= 1 and not re.search(r"[CcSsQqTtAa]", data)
        return not (straight and len(_NUMBER.findall(data)) <= 4)
    if tag == "polyline":
        return len(_NUMBER.findall(props.get("points", ""))) > 4
    return True


def _paint(value: str | None) -> object:
    """A paint value as '#rrggbb', _NO_PAINT (none, or a gradient: its stops count), or raise."""
    value = (value or "").strip().lower()
    if value in ("none", "transparent") or value.startswith("url("):
        return _NO_PAINT
    if value in _NAMED:
        return _NAMED[value]
    match = _RGB.match(value)
    if match and all(int(c) <= 255 for c in match.groups()):
        return "#" + "".join(f"{int(c):02x}" for c in match.groups())
    colour = parse_hex(value) if value.startswith("#") else None
    if colour is None:
        raise _Unknown(value)
    return colour


def _props(element: ET.Element) -> dict[str, str]:
    """An element's presentation attributes and its style="" declarations (these win)."""
    props = {k: v for k, v in element.attrib.items() if "}" not in k}
    for declaration in element.attrib.get("style", "").split(";"):
        name, _sep, value = declaration.partition(":")
        if value.strip():
            props[name.strip().lower()] = value.strip()
    return props


def _opacity(value: str | None) -> float:
    try:
        return float(value) if value is not None else 1.0
    except ValueError:
        raise _Unknown(value) from None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _covers_canvas(element: ET.Element, root: ET.Element) -> bool:
    """A rect filling the whole drawing: the logo brings its own background."""
    props = _props(element)
    if props.get("x", "0") not in ("0", "0%") or props.get("y", "0") not in ("0", "0%"):
        return False
    box = root.get("viewBox", "").replace(",", " ").split()
    width = box[2] if len(box) == 4 else root.get("width")
    height = box[3] if len(box) == 4 else root.get("height")
    return props.get("width") in ("100%", width) and props.get("height") in ("100%", height)


def svg_colours(svg: str) -> tuple[str, ...] | None:
    """The colours an SVG draws with where the header shows through, or None when unknown.

    Fills (inherited, black by default), strokes and gradient stops, each at least half opaque
    (fainter tints don't carry the shape). An SVG that first paints a rect over its whole canvas
    brings its own background, so nothing of it meets the header: (). Embedded images, <use>,
    CSS in <style> and colour syntaxes beyond hex, rgb() and black/white make it unknown.
    """
    if "<!" in svg.replace("<!--", ""):
        return None  # no DOCTYPE, ENTITY or CDATA: nothing for entity expansion to abuse
    try:
        root = ET.fromstring(svg)  # noqa: S314 -- entity declarations were refused above
    except ET.ParseError:
        return None
    if _local(root.tag) != "svg":
        return None
    colours: list[str] = []
    first_shape = True

    def walk(element: ET.Element, fill: object, stroke: object, opacity: float) -> None:
        nonlocal first_shape
        for child in element:
            tag = _local(child.tag)
            if tag in _UNREADABLE:
                raise _Unknown(tag)
            if tag in _NOT_PAINTED or not tag:
                continue
            props = _props(child)
            alpha = opacity * _opacity(props.get("opacity"))
            own_fill = _paint(props["fill"]) if "fill" in props else fill
            own_stroke = _paint(props["stroke"]) if "stroke" in props else stroke
            if tag == "stop":
                stop = _paint(props.get("stop-color", "black"))
                if stop is not _NO_PAINT and alpha * _opacity(props.get("stop-opacity")) >= 0.5:
                    colours.append(stop)
                continue
            if tag in _SHAPES:
                fill_alpha = alpha * _opacity(props.get("fill-opacity"))
                painted = own_fill is not _NO_PAINT or props.get("fill", "").startswith("url(")
                opaque = painted and fill_alpha >= 1
                if first_shape and tag == "rect" and opaque and _covers_canvas(child, root):
                    raise _OwnBackground
                first_shape = False
                if own_fill is not _NO_PAINT and fill_alpha >= 0.5 and _has_area(tag, props):
                    colours.append(own_fill)
                stroke_alpha = alpha * _opacity(props.get("stroke-opacity"))
                if own_stroke is not _NO_PAINT and own_stroke is not None and stroke_alpha >= 0.5:
                    colours.append(own_stroke)
            walk(child, own_fill, own_stroke, alpha)

    try:
        props = _props(root)
        walk(
            root,
            _paint(props["fill"]) if "fill" in props else "#000000",
            _paint(props["stroke"]) if "stroke" in props else None,
            _opacity(props.get("opacity")),
        )
    except _OwnBackground:
        return ()
    except _Unknown:
        return None
    return tuple(dict.fromkeys(str(c) for c in colours))


def known_logo_colours(url: str | None) -> tuple[str, ...] | None:
    """The colours of a logo Atrium can read without fetching anything, else None.

    Only SVGs served on Atrium's host from a folder of LOCAL_IMAGES qualify (the embedded
    sandbox's images); an instance's logo would take a request per page (or a cache of images)
    to read, so it stays unknown.
    """
    folders = current_app.config.get("LOCAL_IMAGES") if has_app_context() else None
    return _local_svg_colours(url or "", tuple(sorted((folders or {}).items())))


@lru_cache(maxsize=64)
def _local_svg_colours(url: str, folders: tuple[tuple[str, str], ...]) -> tuple[str, ...] | None:
    for prefix, folder in folders:
        name = url[len(prefix) :] if url.startswith(prefix) else ""
        if _LOCAL_SVG.match(name):
            try:
                return svg_colours((Path(folder) / name).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                return None
    return None


def logo_needs_plate(colours: tuple[str, ...] | None, header: str) -> bool:
    """Whether a logo drawn in `colours` needs the white plate to show on `header`.

    Known colours: yes when one of them falls under 3:1 on the header (WCAG 1.4.11's bar for
    graphics; a logo's parts must show for it to be recognised) and the plate serves that colour
    better than the header does. Unknown colours (raster logos, an instance's logo): decided by
    the header alone. Logos are mostly drawn in dark ink for white paper, so on a light header
    (one that takes black text) an unknown logo most likely shows and a white plate there would
    be invisible anyway: no plate. On a dark header the same dark logo would vanish; a plate
    around a logo that didn't need it costs looks, a missing one costs the logo: plate.
    """
    if colours is None:
        return readable_on(header) == "#ffffff"
    if not colours:
        return False
    worst_on_header = min(contrast(c, header) for c in colours)
    worst_on_plate = min(contrast(c, LOGO_PLATE) for c in colours)
    return worst_on_header < AA_NON_TEXT and worst_on_plate > worst_on_header


def plain_font(name: object) -> str | None:
    """A font name fit to quote in CSS (letters, digits, spaces, hyphens), else None."""
    if isinstance(name, str) and _FONT.match(name.strip()):
        return name.strip()
    return None


def font_stack(name: object) -> str:
    """A CSS font-family list with the brand font first, if its name is plain."""
    plain = plain_font(name)
    return f'"{plain}", {FALLBACK_FONTS}' if plain else FALLBACK_FONTS


@dataclass(frozen=True)
class NavLink:
    label: str
    href: str
    external: bool


@dataclass(frozen=True)
class Theme:
    company_name: str = "Atrium"
    client_name: str | None = None  # the learner's client, when they belong to one
    accent: str = DEFAULTS["accent"]
    secondary: str = DEFAULTS["secondary"]
    link: str = DEFAULTS["link"]
    font_name: str | None = None
    alt_font_name: str | None = None
    logo: str | None = None
    retina_logo: bool = False
    favicon: str | None = None
    background: str | None = None
    background_tiled: bool = False
    custom_css_version: str | None = None  # a hash of the CSS: its stylesheet URL changes with it
    nav_links: list[NavLink] = field(default_factory=list)

    @property
    def display_name(self) -> str:
        """Whose pages these are to the learner: their client's name, else the company's.

        Page titles, the footer, the logo's alt text and labels name it (a Globex learner sees
        Globex, not Acme Learning, the instance's company)."""
        return self.client_name or self.company_name

    @property
    def logo_on_plate(self) -> bool:
        """Whether the logo needs a plate to show on the header (the secondary colour).

        Read from the logo's own colours where Atrium knows them (LOCAL_IMAGES' SVGs), else
        decided by the header's lightness; see logo_needs_plate. The header template adds
        `brand__logo--plate` to the logo when this is true (the rule is in css_rules)."""
        return bool(self.logo) and logo_needs_plate(known_logo_colours(self.logo), self.secondary)

    @property
    def font(self) -> str:
        return font_stack(self.font_name)

    @property
    def alt_font(self) -> str:
        return font_stack(self.alt_font_name)

    @property
    def accent_text(self) -> str:
        return readable_on(self.accent)

    @property
    def accent_edge(self) -> str:
        """The primary button's border: the accent, darkened to 3:1 on the page (WCAG 1.4.11)."""
        return darken_until_readable(self.accent, PAGE_BACKGROUND, AA_NON_TEXT)

    @property
    def secondary_text(self) -> str:
        return readable_on(self.secondary)

    @property
    def readable_link(self) -> str:
        return darken_until_readable(self.link)

    def css_query(self) -> dict[str, str]:
        """The theme's look as URL parameters for /branding/theme.css (see theme_from_query)."""
        query = {
            "accent": self.accent.lstrip("#"),
            "secondary": self.secondary.lstrip("#"),
            "link": self.link.lstrip("#"),
            "font": self.font_name or "",
            "alt": self.alt_font_name or "",
        }
        if self.background:
            query["bg"] = self.background
            query["tiled"] = "1" if self.background_tiled else "0"
        return query

    def css_variables(self) -> str:
        """The theme as CSS custom properties; every value here was validated above."""
        background = f'url("{self.background}")' if self.background else "none"
        values = {
            "--brand-accent": self.accent,
            "--brand-accent-text": self.accent_text,
            "--brand-accent-edge": self.accent_edge,
            "--brand-secondary": self.secondary,
            "--brand-secondary-text": self.secondary_text,
            "--brand-link": self.readable_link,
            "--brand-font": self.font,
            "--brand-alt-font": self.alt_font,
            "--brand-background": background,
            "--brand-background-repeat": "repeat" if self.background_tiled else "no-repeat",
            "--brand-background-size": "auto" if self.background_tiled else "cover",
        }
        return ":root{" + "".join(f"{k}:{v};" for k, v in values.items()) + "}"

    def css_rules(self) -> str:
        """The theme's rules besides its variables: the logo's plate and the brand background.

        A background image covers the whole page, however short: the body's background is
        laid out over the root element, which was only as tall as the content (Globex's 16:9
        backdrop stopped at 720 px of a 900 px window at 1280 px); now it is at least the
        window's height. (`background-attachment: fixed` would pin it to the window instead,
        but Safari on iOS ignores it and full-page captures show it over the first screen only.)
        Text outside the page's white surface (the footer) gets a surface of its own: the
        image's colours are unknown, so no text colour can be promised to read on it.
        """
        rules = [
            # app.css gave every logo a white plate; only logos that need one keep it.
            ".brand__logo{background:none}",
            f".brand__logo--plate{{background:{LOGO_PLATE};padding:4px;border-radius:4px}}",
        ]
        if self.background:
            rules.append("html{min-height:100%}")
            if not self.background_tiled:
                rules.append("body{background-position:center}")
            rules.append(
                ".site-footer{background:var(--surface);"
                "border-radius:var(--radius);padding:.25rem 1.5rem}"
            )
        return "".join(rules)


def _css_url(value: object) -> str | None:
    """A URL safe inside CSS url("..."): https or relative, no quotes or parentheses."""
    url = instance_url(value, allow_http=False)
    if url is None or any(c in url for c in "\"'()\\<>"):
        return None
    return url


def theme_from(company, client_name: str | None = None) -> Theme:
    """The theme for a CompanyDetails result (None: Atrium's own defaults), named for the
    learner's client when `client_name` is given (CurrentUser.client.name)."""
    client_name = client_name.strip() if isinstance(client_name, str) else None
    client_name = client_name or None
    if company is None:
        return Theme(client_name=client_name)
    settings = company.settings
    if settings is None:
        return Theme(company_name=company.name or "Atrium", client_name=client_name)
    links = []
    for link in settings.global_navigation_links or []:
        href = instance_url(link.href) if link else None
        if link and href and (link.label or "").strip():
            # A path is a page of the instance (made absolute to it by instance_url; served by
            # the sandbox on its host): it opens in place like content does. Only a link the
            # company gave as absolute leads elsewhere and opens a new tab.
            given = safe_url(link.href) or ""
            links.append(
                NavLink(link.label.strip(), href, given.startswith(("http:", "https:", "//")))
            )
    return Theme(
        company_name=company.name or "Atrium",
        client_name=client_name,
        accent=parse_hex(settings.accent_color) or DEFAULTS["accent"],
        secondary=parse_hex(settings.secondary_color) or DEFAULTS["secondary"],
        link=parse_hex(settings.link_color) or DEFAULTS["link"],
        font_name=plain_font(settings.font),
        alt_font_name=plain_font(settings.alt_font),
        logo=instance_url(settings.logo_asset),
        retina_logo=bool(settings.retina_logo),
        favicon=instance_url(settings.favicon),
        background=_css_url(settings.background_asset),
        background_tiled=bool(settings.background_asset_tiled),
        custom_css_version=css_version(settings.custom_css)
        if (settings.custom_css or "").strip()
        else None,
        nav_links=links,
    )


def theme_from_query(args) -> Theme:
    """A theme's look from /branding/theme.css parameters, each validated like the API's."""
    return Theme(
        accent=parse_hex(args.get("accent")) or DEFAULTS["accent"],
        secondary=parse_hex(args.get("secondary")) or DEFAULTS["secondary"],
        link=parse_hex(args.get("link")) or DEFAULTS["link"],
        font_name=plain_font(args.get("font")),
        alt_font_name=plain_font(args.get("alt")),
        background=_css_url(args.get("bg")),
        background_tiled=args.get("tiled") == "1",
    )
