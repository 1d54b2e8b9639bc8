"""Data Docs in a real browser (Debian's headless Chromium), offline, on a dataset that attacks.

The payloads would set ``document.title`` / ``<body data-pwned>`` if they ran, hide the page or
load an image from 198.51.100.7 if their markup were parsed. Chromium's only way out is a proxy on
127.0.0.1 that records every request. The control runs the same checks on GX's own SiteBuilder
and must see the attack succeed: the checks can fail.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

# Helpers loaded by tests/docs/conftest.py (the test folders are not packages).
browser = sys.modules["gx_clova_testhelper_docs_browser"]
sites = sys.modules["gx_clova_testhelper_docs_sites"]

pytestmark = pytest.mark.browser

SENTENCE = "len(Text) + len(Completion) is at most 8,000 characters in every row, spaces included."


class Dom(HTMLParser):
    """What a DOM dump holds: elements with attributes, titles, and the text a reader sees."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.titles: list[str] = []
        self.text: list[str] = []
        self.body_styles = 0
        self._stack: list[str] = []
        self.feed(markup)
        self.text_content = re.sub(r"\s+", " ", " ".join(self.text))

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag == "style" and "head" not in self._stack:
            self.body_styles += 1
        self._stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self._stack:
            while self._stack and self._stack.pop() != tag:
                pass

    def handle_data(self, data):
        where = self._stack[-1] if self._stack else ""
        if where == "title" and "head" in self._stack:  # the document's title, not an SVG tooltip
            self.titles.append(data)
        elif where not in ("style", "script"):
            self.text.append(data)

    def tags(self, name: str) -> list[dict]:
        return [attrs for tag, attrs in self.elements if tag == name]

    def shows(self, phrase: str) -> bool:
        """``phrase`` is on the page; whitespace between elements (``len(<span>Text</span>)``) aside."""
        return "".join(phrase.split()) in "".join(self.text_content.split())


def _url(path: str) -> str:
    return Path(path).as_uri()


def _validation_page(site: str) -> str:
    [page] = [p for p in sites.pages(site) if os.sep + "validations" + os.sep in p]
    return page


def test_korean_glyphs_are_installed():
    """Without a Hangul font the screenshots show boxes (scripts/test installs one)."""
    fonts = subprocess.run(["fc-list", ":lang=ko", "family"], capture_output=True, text=True, check=True).stdout
    assert fonts.strip(), "no font with Korean glyphs: apt-get install fonts-nanum"


@pytest.mark.parametrize("site_name", ["clova_site", "mixed_site"])
def test_no_data_runs_or_becomes_markup_and_nothing_leaves_the_machine(site_name, request, proxy):
    site = request.getfixturevalue(site_name)
    pages = sites.pages(site)
    assert len(pages) >= 3, pages  # index, suite, validation
    for page in pages:
        dom = Dom(browser.dump_dom(_url(page), proxy))
        assert not any("PWNED" in t for t in dom.titles), (page, dom.titles)
        assert not [a for a in dom.tags("body") if "data-pwned" in a], page
        assert not dom.tags("script"), f"{page}: a <script> element in the DOM"
        handlers = [(tag, name) for tag, attrs in dom.elements for name in attrs if name.startswith("on")]
        assert not handlers, f"{page}: event handlers {handlers}"
        # No markup from the data: the only images are GX's logo, the only SVGs gx-clova's charts,
        # and no <style> outside <head> (the payload would hide the page).
        assert all((a.get("src") or "").endswith("static/images/logo-long.png") for a in dom.tags("img")), (page, dom.tags("img"))
        assert all("gx-clova-chart" in (a.get("class") or "") for a in dom.tags("svg")), page
        assert dom.body_styles == 0, page
        # Names GX prints itself (breadcrumb, overview, index) are text: nowhere did the browser
        # parse them as markup, which would leave "mixed suite" / "train.csv" on the page.
        name = sites.SUITE_NAME if site_name == "mixed_site" else sites.FILE_NAME
        assert not dom.shows(sites.AS_MARKUP[name]), (page, name)
        if os.sep + "validations" + os.sep in page:
            assert dom.shows(name), (page, name)
    assert proxy.page_requests == [], f"requests left the page: {proxy.page_requests}"


@pytest.mark.parametrize("site_name", ["clova_site", "mixed_site"])
def test_reviewer_sees_sentences_failing_rows_summary_and_payloads_as_text(site_name, request, proxy, artifacts):
    page = _validation_page(request.getfixturevalue(site_name))
    dom = Dom(browser.dump_dom(_url(page), proxy))
    text = dom.text_content
    assert dom.shows(SENTENCE)
    assert dom.shows("Every label is one word of Unicode letters and digits")
    # Failing rows: the caption with the exact count, then line / C_ID / T_ID cells.
    assert "row.too-long: the failing line" in text
    assert re.search(r"\b15 13 0 가가가", text), "line 15, C_ID 13, T_ID 0 of the too-long row"
    assert "class.too-few-rows: first 20 of" in text and "(the JSON report lists every line)" in text
    # The dataset summary: numbers and pictures.
    assert "Dataset summary" in text and "Conversations (C_ID)" in text and "Rows over 8,000 characters" in text
    charts = [a for a in dom.tags("svg") if "gx-clova-chart" in (a.get("class") or "")]
    assert len(charts) == 3, "turns, lengths, labels"
    assert "8,000 limit" in text and "200 rows minimum" in text
    # Korean as written, and every payload shown as the text it is.
    assert sites.KOREAN in text
    for payload in (sites.SCRIPT[:40], sites.IMG[:30], sites.BEACON):
        assert payload in text, payload
    shot = browser.screenshot(_url(page), os.path.join(artifacts, f"{site_name}-validation.png"), proxy, size="1280,3200")
    assert os.path.getsize(shot) > 50_000
    assert proxy.page_requests == []


def test_index_lists_validations_without_javascript(clova_site, proxy, artifacts):
    dom = Dom(browser.dump_dom(_url(os.path.join(clova_site, "index.html")), proxy))
    links = [a.get("href") for a in dom.tags("a")]
    assert any(h and h.startswith("validations/") for h in links), links
    assert any(h and h.startswith("expectations/clova_classification") for h in links), links
    assert "clova_classification" in dom.text_content
    browser.screenshot(_url(os.path.join(clova_site, "index.html")), os.path.join(artifacts, "index.png"), proxy, size="1280,900")
    assert proxy.page_requests == []


def test_control_stock_gx_site_runs_the_payload_and_calls_out(stock_site, proxy):
    """The same checks on GX's own SiteBuilder: they must catch it, or they prove nothing."""
    dom = Dom(browser.dump_dom(_url(_validation_page(stock_site)), proxy))
    ran = any("PWNED" in t for t in dom.titles) or any("data-pwned" in a for a in dom.tags("body"))
    assert ran, "the control page did not run the payload: the test's detector is blind"
    assert dom.tags("script") and any(n.startswith("on") for _, a in dom.elements for n in a)
    assert proxy.page_requests, "the control page made no request: the proxy recorder is blind"
    assert any("cdn" in r or "unpkg" in r or "198.51.100.7" in r for r in proxy.page_requests), proxy.page_requests
