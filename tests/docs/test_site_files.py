"""What the generated site holds on disk: local assets only, a policy, no script (no browser)."""

from __future__ import annotations

import os
import re
import sys
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import pytest

from gx_clova.gx.docs.harden import is_local

sites = sys.modules["gx_clova_testhelper_docs_sites"]


class _References(HTMLParser):
    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str, str]] = []
        self.tags: list[str] = []
        self.handlers: list[str] = []
        self.csp = False
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        self.handlers += [name for name in attrs if name.startswith("on")]
        for name in ("href", "src"):
            if attrs.get(name):
                self.refs.append((tag, name, attrs[name]))
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "content-security-policy":
            self.csp = "script-src" not in attrs.get("content", "") and "default-src 'none'" in attrs.get("content", "")

    handle_startendtag = handle_starttag


@pytest.mark.parametrize("site_name", ["clova_site", "mixed_site"])
def test_every_page_is_local_script_free_and_under_a_policy(site_name, request):
    site = request.getfixturevalue(site_name)
    pages = sites.pages(site)
    assert any(p.endswith("index.html") for p in pages)
    for page in pages:
        with open(page, encoding="utf-8") as handle:
            markup = handle.read()
        found = _References(markup)
        assert found.csp, f"{page}: no Content-Security-Policy forbidding scripts"
        assert "script" not in found.tags and not found.handlers, page
        assert not re.search(r"url\(\s*['\"]?\s*(https?:)?//", markup), f"{page}: remote url() in CSS"
        for tag, name, ref in found.refs:
            if tag == "a" and not is_local(ref):
                assert ref.startswith(("https://", "http://", "mailto:")), (page, ref)
                continue  # a link a reader may follow; nothing loads it
            assert is_local(ref) or ref.startswith("data:image/"), (page, tag, ref)
            target = unquote(urlsplit(ref).path)
            if target and tag in ("link", "img"):
                assert os.path.isfile(os.path.join(os.path.dirname(page), target)), (page, ref)


def test_site_ships_its_stylesheets_and_bootstraps_license(clova_site):
    static = os.path.join(clova_site, "static", "gx_clova")
    for name in ("bootstrap.min.css", "bootstrap.LICENSE", "gx-clova.css"):
        assert os.path.getsize(os.path.join(static, name)) > 100, name
    with open(os.path.join(static, "bootstrap.LICENSE"), encoding="utf-8") as handle:
        assert "MIT License" in handle.read()
