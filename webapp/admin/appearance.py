"""CompanyDetails settings as an admin judges them: what is used, what was dropped, and why.

Every value shown here went through the same checks the learner pages use (webapp/branding.py
and webapp/custom_css.py), so the report says exactly what learners get.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from flask_babel import format_decimal
from flask_babel import gettext as _

from ..branding import (
    AA_NON_TEXT,
    AA_TEXT,
    FALLBACK_FONTS,
    PAGE_BACKGROUND,
    Theme,
    contrast,
    font_stack,
    parse_hex,
    plain_font,
    theme_from,
)
from ..custom_css import sanitize_css
from ..security import instance_url, safe_url

PAGE_ALT_BACKGROUND = "#f4f6f8"  # app.css --surface-alt, the page behind the cards


@dataclass(frozen=True)
class ColourCheck:
    """One pairing of colours learners see, with its WCAG contrast ratio."""

    label: str
    foreground: str
    background: str
    required: float = AA_TEXT

    @property
    def ratio(self) -> float:
        return contrast(self.foreground, self.background)

    @property
    def passes(self) -> bool:
        return self.ratio >= self.required

    @property
    def ratio_text(self) -> str:
        return _("%(ratio)s:1", ratio=format_decimal(round(self.ratio, 2), format="#,##0.00"))

    @property
    def verdict(self) -> str:
        needed = format_decimal(self.required, format="#,##0.0")
        if self.passes:
            return _("Passes AA (needs %(needed)s:1)", needed=needed)
        return _("Fails AA (needs %(needed)s:1)", needed=needed)


@dataclass(frozen=True)
class BrandColour:
    """A brand colour: the setting as stored, the colour used, and the pairings it is in."""

    name: str
    raw: str | None
    used: str
    checks: list[ColourCheck]

    @property
    def valid(self) -> bool:
        return self.raw is None or not self.raw.strip() or parse_hex(self.raw) is not None


@dataclass(frozen=True)
class Asset:
    """A URL setting (logo, favicon, background): as stored, and what is used (None: dropped)."""

    name: str
    raw: str | None
    used: str | None

    @property
    def dropped(self) -> bool:
        return bool((self.raw or "").strip()) and self.used is None


@dataclass(frozen=True)
class Font:
    name: str
    raw: str | None
    stack: str

    @property
    def ignored(self) -> bool:
        return bool((self.raw or "").strip()) and self.stack == FALLBACK_FONTS


@dataclass(frozen=True)
class Link:
    label: str
    raw_href: str
    href: str | None
    external: bool
    problem: str | None  # why it was dropped; None when learners see it


@dataclass(frozen=True)
class CssRemoval:
    what: str
    why: str


@dataclass
class BrandingReport:
    company_name: str
    theme: Theme
    has_settings: bool
    colours: list[BrandColour] = field(default_factory=list)
    assets: dict[str, Asset] = field(default_factory=dict)
    retina_logo: bool = False
    background_tiled: bool = False
    fonts: list[Font] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    css_source: str = ""
    css_kept: str = ""
    css_removed: list[CssRemoval] = field(default_factory=list)


def colour_checks(theme: Theme) -> dict[str, list[ColourCheck]]:
    """The pairings each brand colour appears in on learner pages (see app.css)."""
    return {
        "accent": [
            ColourCheck(
                _("Primary button text on the accent colour"), theme.accent_text, theme.accent
            ),
            ColourCheck(
                _("Primary buttons against the white page (controls need 3:1)"),
                theme.accent,
                PAGE_BACKGROUND,
                AA_NON_TEXT,
            ),
            ColourCheck(
                _("Primary button edges as Atrium draws them, on white"),
                theme.accent_edge,
                PAGE_BACKGROUND,
                AA_NON_TEXT,
            ),
        ],
        "secondary": [
            ColourCheck(
                _("Header text on the secondary colour"), theme.secondary_text, theme.secondary
            ),
        ],
        "link": [
            ColourCheck(_("The link colour as chosen, on white"), theme.link, PAGE_BACKGROUND),
            ColourCheck(
                _("Links as Atrium shows them, on white"), theme.readable_link, PAGE_BACKGROUND
            ),
            ColourCheck(
                _("Links as Atrium shows them, on the page background"),
                theme.readable_link,
                PAGE_ALT_BACKGROUND,
            ),
        ],
    }


def colours_of(theme: Theme, raw: dict[str, str | None] | None = None) -> list[BrandColour]:
    raw = raw or {}
    checks = colour_checks(theme)
    names = {
        "accent": _("Accent colour"),
        "secondary": _("Secondary colour"),
        "link": _("Link colour"),
    }
    return [
        BrandColour(names[key], raw.get(key), getattr(theme, key), checks[key])
        for key in ("accent", "secondary", "link")
    ]


def _links(settings) -> list[Link]:
    links = []
    for link in settings.global_navigation_links or []:
        if link is None:
            continue
        label = (link.label or "").strip()
        raw_href = link.href or ""
        href = instance_url(raw_href)
        problem = None
        if not label:
            problem = _("It has no label, so learners would see an empty link.")
        elif href is None:
            problem = _("Only https, http and relative links are allowed.")
        external = bool(href and href.startswith(("http:", "https:", "//")))
        links.append(Link(label, raw_href, href, external, problem))
    return links


def build_report(company) -> BrandingReport | None:
    """The report for a CompanyDetails result; None when there is none."""
    if company is None:
        return None
    theme = theme_from(company)
    settings = company.settings
    report = BrandingReport(company_name=theme.company_name, theme=theme, has_settings=False)
    if settings is None:
        report.colours = colours_of(theme)
        return report
    report.has_settings = True
    report.colours = colours_of(
        theme,
        {
            "accent": settings.accent_color,
            "secondary": settings.secondary_color,
            "link": settings.link_color,
        },
    )
    report.assets = {
        "logo": Asset(_("Logo"), settings.logo_asset, theme.logo),
        "favicon": Asset(_("Favicon"), settings.favicon, theme.favicon),
        "background": Asset(_("Background image"), settings.background_asset, theme.background),
    }
    report.retina_logo = bool(settings.retina_logo)
    report.background_tiled = bool(settings.background_asset_tiled)
    report.fonts = [
        Font(_("Font (body text)"), settings.font, font_stack(settings.font)),
        Font(_("Alternative font (headings)"), settings.alt_font, font_stack(settings.alt_font)),
    ]
    report.links = _links(settings)
    report.css_source = settings.custom_css or ""
    cleaned = sanitize_css(settings.custom_css)
    report.css_kept = cleaned.css
    report.css_removed = [CssRemoval(r.what, explain_removal(r)) for r in cleaned.removed]
    return report


def explain_removal(removal) -> str:
    """Why the sanitiser removed a piece, in the admin's language (custom_css.REASONS)."""
    detail = removal.detail
    sentences = {
        "at-rule": lambda: _(
            "@%(name)s rules are not allowed: they could load or hide things.", name=detail
        ),
        "invalid": lambda: _("It is not valid CSS."),
        "attribute-selector": lambda: _(
            "Attribute selectors are not allowed: they can read what learners type."
        ),
        "selector-characters": lambda: _("The selector uses characters that are not allowed."),
        "invalid-declaration": lambda: _("A declaration in this rule is not valid CSS."),
        "nested-rule": lambda: _("Nested rules are not allowed."),
        "property": lambda: _("The property %(name)s is not allowed.", name=detail),
        "url": lambda: _("url() may only point to an https image."),
        "function": lambda: _("The function %(name)s() is not allowed.", name=detail),
        "script": lambda: _("Script in a value is not allowed."),
        "brackets": lambda: _("Brackets in a value are not allowed."),
        "unparsable": lambda: _("The value could not be read."),
        "too-long": lambda: _(
            "The custom CSS is longer than %(limit)s characters, so none of it is used.",
            limit=detail,
        ),
    }
    say = sentences.get(removal.code)
    return say() if say else removal.why


# -- trying other settings -----------------------------------------------------------------------


def apply_overrides(theme: Theme, overrides: dict[str, str]) -> Theme:
    """`theme` with the admin's validated trial values; the original is never changed."""
    changes: dict[str, object] = {}
    for key in ("accent", "secondary", "link"):
        colour = parse_hex(overrides.get(key))
        if colour:
            changes[key] = colour
    for key, attribute in (("font", "font_name"), ("alt_font", "alt_font_name")):
        name = plain_font(overrides.get(key))
        if name:
            changes[attribute] = name
    if overrides.get("logo"):
        logo = safe_url(overrides["logo"])
        if logo:
            changes["logo"] = logo
    return replace(theme, **changes)
