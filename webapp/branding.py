"""CompanyDetails -> a theme: CSS custom properties with readable colours, safe URLs and fonts.

Brand colours are the company's choice; legibility is not. Text drawn on a brand colour gets
black or white, whichever contrasts more (one of them always reaches 4.5:1), and a link colour
too light for the page background is darkened until it reads at AA.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .custom_css import css_version
from .security import instance_url

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


def _css_url(value: object) -> str | None:
    """A URL safe inside CSS url("..."): https or relative, no quotes or parentheses."""
    url = instance_url(value, allow_http=False)
    if url is None or any(c in url for c in "\"'()\\<>"):
        return None
    return url


def theme_from(company) -> Theme:
    """The theme for a CompanyDetails result (None: Atrium's own defaults)."""
    if company is None:
        return Theme()
    settings = company.settings
    if settings is None:
        return Theme(company_name=company.name or "Atrium")
    links = []
    for link in settings.global_navigation_links or []:
        href = instance_url(link.href) if link else None
        if link and href and (link.label or "").strip():
            links.append(
                NavLink(link.label.strip(), href, href.startswith(("http:", "https:", "//")))
            )
    return Theme(
        company_name=company.name or "Atrium",
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
