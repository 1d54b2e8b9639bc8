"""Data Docs in a browser: three states, and the index's Suites tab opens without JavaScript.

One site holds three runs: a dataset that passes clean, one that passes with warnings, one that
fails. Each validation page's header states its state in words (and the warning count), each
warning rule is marked amber with its count, and the index says the same for each run.
Screenshots of the three pages and of the index go to test-artifacts/data-docs/.

The Suites tab is a link to ``#Expectation-Suites``; CSS ``:target`` shows that pane. The test
compares screenshots of the index with and without the fragment; the control strips that CSS
rule from a copy of the site and must see no difference, so the check can fail.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest
from verdict_data import make_datasets

from gx_clova.cli import main

browser = sys.modules["gx_clova_testhelper_docs_browser"]

pytestmark = pytest.mark.browser

WORDS = {"clean": "Passed", "warnings": "Passed with warnings", "failing": "Failed"}
TAB_RULES = re.compile(r"^\.tab-content[^{]*:target[^}]*}", re.M)


def _url(path: str) -> str:
    return Path(path).resolve().as_uri()


@pytest.fixture(scope="module")
def three_state_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("three-states")
    site = str(folder / "site")
    pages = {}
    for name, path in make_datasets(folder).items():
        before = set(_validation_pages(site))
        main(["validate", path, "--docs", site])
        [page] = set(_validation_pages(site)) - before
        pages[name] = page
    return site, pages


def _validation_pages(site: str) -> list[str]:
    return [
        os.path.join(d, f) for d, _, fs in os.walk(os.path.join(site, "validations")) for f in fs if f.endswith(".html")
    ]


def _text(markup: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup))


def test_each_page_states_its_state_in_words_and_marks_warning_rules(three_state_site, proxy, artifacts):
    site, pages = three_state_site
    for name, page in pages.items():
        dom = browser.dump_dom(_url(page), proxy)
        header = re.search(r'data-gx-clova-verdict="([a-z]+)"[^>]*>([^<]*)<', dom)
        assert header and header.group(2).strip() == WORDS[name], (name, header and header.group(0))
        amber_rules = re.findall(r'gx-clova-state-warnings">warning</span>\s*<span[^>]*>([0-9,]+)<', dom)
        if name == "warnings":
            # duplicate.row and pii.phone-number: one finding each, each rule marked amber.
            assert sorted(amber_rules) == ["1", "1"]
            assert "· 2 warning(s)" in _text(dom)
        elif name == "clean":
            assert amber_rules == [] and "warning(s)" not in _text(dom)
        shot = browser.screenshot(_url(page), os.path.join(artifacts, f"state-{name}.png"), proxy, size="1280,1100")
        assert os.path.getsize(shot) > 20_000
    assert proxy.page_requests == []


def test_the_index_says_which_run_is_in_which_state(three_state_site, proxy, artifacts):
    site, _ = three_state_site
    dom = browser.dump_dom(_url(os.path.join(site, "index.html")), proxy)
    states = re.findall(r'data-gx-clova-verdict="([a-z]+)"[^>]*>([^<]*)<', dom)
    assert sorted(word for _, word in states) == sorted(WORDS.values())
    assert "· 2 warning(s)" in _text(dom)
    browser.screenshot(
        _url(os.path.join(site, "index.html")), os.path.join(artifacts, "state-index.png"), proxy, size="1280,700"
    )


def _tab_shots(site: str, proxy, out: str) -> tuple[bytes, bytes]:
    index = os.path.join(site, "index.html")
    plain = browser.screenshot(_url(index), os.path.join(out, "index-default.png"), proxy, size="1280,700")
    tab = browser.screenshot(
        _url(index) + "#Expectation-Suites", os.path.join(out, "index-suites-tab.png"), proxy, size="1280,700"
    )
    return Path(plain).read_bytes(), Path(tab).read_bytes()


def test_the_suites_tab_opens_without_javascript(three_state_site, proxy, artifacts, tmp_path):
    site, _ = three_state_site
    dom = browser.dump_dom(_url(os.path.join(site, "index.html")), proxy)
    assert re.search(r'<a[^>]*href="#Expectation-Suites"', dom), "the tab links to its pane"
    pane = re.search(r'id="Expectation-Suites".*?</div>', dom, re.S)
    assert pane and "expectations/clova_generation.html" in pane.group(0), "the pane lists the suite"
    assert "<script" not in dom
    default, suites_tab = _tab_shots(site, proxy, artifacts)
    assert default != suites_tab, "opening #Expectation-Suites changed nothing on the screen"

    # Control: the same site without the :target rules; the tab cannot open, the screen stays the same.
    control = str(tmp_path / "control")
    shutil.copytree(site, control)
    css = Path(control, "static", "gx_clova", "gx-clova.css")
    stripped, count = TAB_RULES.subn("", css.read_text(encoding="utf-8"))
    assert count == 2
    css.write_text(stripped, encoding="utf-8")
    default, suites_tab = _tab_shots(control, proxy, str(tmp_path))
    assert default == suites_tab, "without the CSS rule the tab should not open: the check proves nothing"
    assert proxy.page_requests == []
