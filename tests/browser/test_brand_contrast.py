"""Every visible piece of text reads against what is really behind it, for both companies.

axe-core cannot see through a background image, so it cannot judge text drawn straight on a
brand's backdrop (Globex's footer sat at 1.46:1 on its dark image, unreported). This walks every
visible text node, finds the colour really behind it (the nearest ancestor with a background
colour, semi-transparent layers composited), fails text that sits straight on an image, and
checks WCAG 2.x contrast: 4.5:1, or 3:1 for large text (24px, or 18.66px bold).
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in

SIGNED_IN_PAGES = ["/dashboard", "/learning", "/badges"]
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}

# Runs in the page: for each visible text node, its colour, the colour behind it (or the element
# whose background image it sits on) and its size. The maths is done in Python below.
WALK_TEXT = """() => {
  const rgba = (value) => {
    const m = /^rgba?\\(([^)]*)\\)$/.exec(value.trim());
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, bottom) => {  // `top` composited over an opaque `bottom`
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1);
  };
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += "#" + el.id;
    if (typeof el.className === "string" && el.className.trim())
      name += "." + el.className.trim().split(/\\s+/).join(".");
    return name;
  };
  const screenReaderOnly = (el) => {
    for (let a = el; a; a = a.parentElement) {
      const cs = getComputedStyle(a);
      const box = a.getBoundingClientRect();
      if (cs.clip !== "auto" && cs.position === "absolute") return true;
      if (cs.overflow === "hidden" && box.width <= 1 && box.height <= 1) return true;
    }
    return false;
  };
  const behind = (el) => {
    const layers = [];  // semi-transparent colours above the first opaque one, nearest first
    for (let a = el; a; a = a.parentElement) {
      const cs = getComputedStyle(a);
      if (cs.backgroundImage !== "none") return { image: describe(a) };
      const colour = rgba(cs.backgroundColor);
      if (colour === null) return { unknown: cs.backgroundColor };
      if (colour[3] === 0) continue;
      if (colour[3] >= 1) {
        let result = colour;
        for (const layer of layers.reverse()) result = over(layer, result);
        return { background: result, from: describe(a) };
      }
      layers.push(colour);
    }
    let result = [255, 255, 255, 1];  // the canvas: white when nothing paints it
    for (const layer of layers.reverse()) result = over(layer, result);
    return { background: result, from: "canvas" };
  };
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue.replace(/\\s+/g, " ").trim();
    const el = node.parentElement;
    if (!text || !el || el.closest("script, style, noscript, template, option, select")) continue;
    if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    if (![...range.getClientRects()].some((r) => r.width > 1 && r.height > 1)) continue;
    if (screenReaderOnly(el)) continue;
    const cs = getComputedStyle(el);
    const size = parseFloat(cs.fontSize);
    const bold = parseInt(cs.fontWeight, 10) >= 700;
    found.push({
      text: text.slice(0, 60),
      element: describe(el),
      colour: rgba(cs.color),
      rawColour: cs.color,
      large: size >= 24 || (size >= 18.66 && bold),
      ...behind(el),
    });
  }
  return found;
}"""


def _linear(channel: float) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(rgb) -> float:
    r, g, b = (_linear(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a, b) -> float:
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def blend(top, bottom):
    """`top` (with alpha) over the opaque `bottom`."""
    alpha = top[3] if len(top) > 3 else 1
    return [top[i] * alpha + bottom[i] * (1 - alpha) for i in range(3)]


def unreadable_text(page) -> list[str]:
    """Every visible text on the page that fails contrast against what is behind it."""
    problems = []
    for item in page.evaluate(WALK_TEXT):
        where = f"{item['element']} {item['text']!r}"
        if "image" in item:
            problems.append(f"{where}: straight on the background image of {item['image']}")
        elif "unknown" in item or item["colour"] is None:
            problems.append(f"{where}: colours not understood ({item})")
        else:
            background = item["background"]
            ratio = contrast_ratio(blend(item["colour"], background), background)
            needed = 3.0 if item["large"] else 4.5
            if ratio < needed:
                problems.append(
                    f"{where}: {ratio:.2f}:1 (needs {needed}:1), {item['rawColour']} on "
                    f"rgb{tuple(round(c) for c in background[:3])} of {item['from']}"
                )
    return problems


def test_contrast_maths_matches_wcag():
    assert round(contrast_ratio((0, 0, 0), (255, 255, 255)), 2) == 21.0
    assert round(contrast_ratio((0x76, 0x76, 0x76), (255, 255, 255)), 2) == 4.54
    assert contrast_ratio((10, 20, 30), (10, 20, 30)) == 1.0
    assert blend((0, 0, 0, 0.5), (255, 255, 255)) == [127.5, 127.5, 127.5]


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("who", ["learner", "learner2"])
def test_text_reads_against_what_is_behind_it(chromium, server, who, width):
    context = chromium.new_context(viewport=WIDTHS[width])
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        found = {}
        page.goto(f"{server.url}/login")
        found["/login"] = unreadable_text(page)
        sign_in(page, server, who)
        for path in SIGNED_IN_PAGES:
            page.goto(f"{server.url}{path}")
            found[path] = unreadable_text(page)
        assert {path: problems for path, problems in found.items() if problems} == {}
    finally:
        context.close()
