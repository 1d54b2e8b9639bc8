"""The allow-list pass every Data Docs page goes through (no browser, no GX)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gx_clova.gx.docs.harden import CSP, harden, is_local

HEAD = "<!DOCTYPE html><html><head><title>t</title></head><body>{}</body></html>"

CASES = [
    # (input body, text that must not survive, text that must)
    ("<script>alert(1)</script><p>kept</p>", "alert", "<p>kept</p>"),
    ('<img src=x onerror="alert(1)">', "onerror", '<img src="x">'),
    ('<svg onload="alert(1)"><rect x="1"/></svg>', "onload", '<rect x="1" />'),
    ('<a href="javascript:alert(1)">x</a>', "javascript", "<a>x</a>"),
    ('<a href=" JaVaScRiPt:alert(1)">x</a>', "alert", "<a>x</a>"),
    ('<a href="https://example.org/">x</a>', "onclick", 'href="https://example.org/"'),
    ('<img src="https://198.51.100.7/b.png">', "198.51.100.7", "<img>"),
    ('<img src="//198.51.100.7/b.png">', "198.51.100.7", "<img>"),
    ('<img src="data:image/png;base64,AAAA">', "onerror", 'src="data:image/png;base64,AAAA"'),
    ('<iframe src="a.html">inside</iframe>after', "inside", "after"),
    ('<object data="x.swf">o</object><embed src="x">', "x.swf", ""),
    ('<p style="background:url(https://198.51.100.7/x)">s</p>', "198.51.100.7", "<p>s</p>"),
    ('<style>body{display:none}</style><p>seen</p>', "display:none", "<p>seen</p>"),
    ("<base href='https://198.51.100.7/'>", "198.51.100.7", ""),
    ("<form action='https://198.51.100.7/'><input type=text name=q></form>", "198.51.100.7", '<input type="text" name="q">'),
    ("<!-- <script>x</script> -->c", "script", "c"),
    ("<math><mi>x</mi></math>y", "<mi>", "y"),
    ("&lt;script&gt;shown as text", "<script>", "&lt;script&gt;shown as text"),
    ("<unknown-tag>text</unknown-tag>", "unknown", "text"),
    ('<div data-toggle="x" aria-label="y" class="z">d</div>', "onclick", 'data-toggle="x" aria-label="y" class="z"'),
]


@pytest.mark.parametrize("body, gone, kept", CASES)
def test_dangerous_markup_goes_safe_markup_stays(body, gone, kept):
    out = harden(HEAD.format(body), "")
    page_body = out.split("<body>", 1)[1]
    assert gone.lower() not in page_body.lower(), out
    assert kept in page_body, out


def test_head_gets_the_policy_and_local_stylesheets_and_loses_remote_ones():
    page = (
        '<html><head><link rel="stylesheet" href="https://cdn.example/b.css">'
        '<script src="https://cdn.example/j.js"></script><link rel="shortcut icon" href="../static/images/favicon.ico">'
        "<style>.a{background:url('https://198.51.100.7/l.png') 0 0}@import url(https://x/y.css);.b{background:url(../i.png)}</style>"
        '</head><body><img class="NO-CACHE" src="https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png?d=1"></body></html>'
    )
    out = harden(page, "../../")
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP.replace(chr(39), "&#x27;")}">' in out
    assert '<link rel="stylesheet" href="../../static/gx_clova/bootstrap.min.css">' in out
    assert out.index("bootstrap.min.css") < out.index("<style>") < out.index("gx-clova.css") < out.index("</head>")
    assert "cdn.example" not in out and "198.51.100.7" not in out and "@import" not in out
    assert "url(../i.png)" in out
    assert 'href="../../static/images/favicon.ico"' in out, "static files from the page's own depth"
    assert 'src="../../static/images/logo-long.png"' in out


def test_idempotent_on_a_page():
    page = HEAD.format("".join(body for body, _, _ in CASES))
    once = harden(page, "../")
    assert harden(once, "../") == once
    assert once.count("Content-Security-Policy") == 1 and once.count("gx-clova.css") == 1


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' abcdefghijklmnopqrstuvwxyz!-:;&#()[]")), max_size=200))
def test_nothing_executable_survives_arbitrary_markup(fragment):
    out = harden(HEAD.format(fragment), "")
    seen = _Elements(out.split("<body>", 1)[1])
    assert not seen.tags & {"script", "iframe", "object", "embed", "base", "style", "link", "meta"}, (fragment, out)
    assert not [name for name in seen.attributes if name.startswith("on")], (fragment, out)
    assert not [v for v in seen.values if "javascript:" in "".join(v.split()).lower()], (fragment, out)
    assert harden(out, "") == out


class _Elements(HTMLParser):
    """How a browser-like parser reads the hardened output."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: list[str] = []
        self.values: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes += [name for name, _ in attrs]
        self.values += [value or "" for _, value in attrs]


@pytest.mark.parametrize("url, local", [
    ("static/a.css", True), ("../b.html#x", True), ("#top", True), ("?q=1", True),
    ("https://x", False), ("//x/y", False), ("\\\\x\\y", False), ("java\nscript:alert(1)", False), ("data:text/html,x", False),
])
def test_is_local(url, local):
    assert is_local(url) is local
