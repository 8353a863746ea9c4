"""The transcript read on a phone and printed: whole words, a table that says it scrolls."""

from __future__ import annotations

from tests.browser.conftest import sign_in

# Every word in the table's cells that Chromium split across two lines (a word broken mid-way has
# more than one line box). A line may end after a hyphen: "High-" / "Performing" is two words.
SPLIT_WORDS = """() => {
  const body = document.querySelector("table.transcript tbody");
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  const split = [];
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    const pattern = /[^\\s-]+/g;
    let match;
    while ((match = pattern.exec(text.data))) {
      const range = document.createRange();
      range.setStart(text, match.index);
      range.setEnd(text, match.index + match[0].length);
      const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      if (lines.size > 1) split.push(match[0]);
    }
  }
  return split;
}"""


def _visible(page, selector: str) -> bool:
    return page.locator(selector).first.is_visible()


def test_on_a_phone_titles_keep_their_words_and_the_table_says_it_scrolls(page, server):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, server, "learner", "/certificates/transcript")
    assert page.evaluate(SPLIT_WORDS) == []
    region = page.locator(".table-scroll[role=region]")
    assert region.get_attribute("tabindex") == "0"
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")  # it must scroll here...
    assert _visible(page, ".table-scroll__hint")  # ...and says so
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # only the table does
    heading = page.locator("h1").inner_text()
    assert "Jamie Rivera" in heading


def test_on_a_desktop_the_table_fits_and_printing_leaves_only_the_document(page, server):
    sign_in(page, server, "learner", "/certificates/transcript")
    region = page.locator(".table-scroll[role=region]")
    assert region.evaluate("el => el.scrollWidth <= el.clientWidth")
    assert not _visible(page, ".table-scroll__hint")
    page.emulate_media(media="print")
    for gone in (".site-header", ".site-footer", "[data-print]", ".table-scroll__hint"):
        assert not _visible(page, gone), gone
    assert region.evaluate("el => getComputedStyle(el).overflowX") == "visible"
    assert _visible(page, "h1") and _visible(page, ".transcript-facts")
    assert page.locator("table.transcript tbody tr").count() == 8
