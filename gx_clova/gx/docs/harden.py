"""The last line of defence for every Data Docs page: no script, no remote asset, local styles.

:func:`harden` re-serialises a page through an allow-list. What comes out:

- no ``<script>``, ``<iframe>``, ``<object>``, ``<embed>``, ``<base>``, no ``on*`` attribute, no
  ``javascript:`` (or any non-http, non-relative) link, no comment;
- no asset from the network: stylesheet links are replaced by gx-clova's local ones, an ``<img>``
  from elsewhere loses its ``src`` (Great Expectations' logo is served from the site's own
  ``static/images``), ``url(...)`` and ``@import`` to anything but the site are removed from CSS;
- a Content-Security-Policy that forbids scripts and remote loads, should anything slip through.

Escaping dataset values is the views' job (:mod:`gx_clova.gx.docs.views`); this pass guarantees
that even a renderer that forgot to escape cannot run code or call out. It imports nothing from
Great Expectations and is idempotent: ``harden(harden(p, r), r) == harden(p, r)``.

>>> harden('<p onclick="x()">hi<script>alert(1)</script></p>', "")
'<p>hi</p>'
"""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

#: Where gx-clova's own stylesheets live inside a site.
STATIC = "static/gx_clova/"
STYLESHEETS = ("bootstrap.min.css", "gx-clova.css")
#: Great Expectations' logo, which its navbar loads from a public bucket; the site has a copy.
LOGO = "static/images/logo-long.png"
CSP = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
    "base-uri 'none'; form-action 'none'"
)

#: Elements dropped together with everything inside them.
_DROP_WITH_CONTENT = frozenset({
    "script", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet", "template",
    "noembed", "noframes", "xmp", "plaintext", "math", "foreignobject", "canvas", "audio", "video",
})
_HTML = frozenset({
    "html", "head", "body", "title", "meta", "link", "style", "div", "span", "p", "a", "b", "i", "em",
    "strong", "small", "code", "pre", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
    "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col",
    "nav", "header", "footer", "main", "section", "article", "aside", "figure", "figcaption",
    "details", "summary", "sup", "sub", "abbr", "label", "input", "button", "img", "blockquote", "mark",
})
_SVG = frozenset({"svg", "g", "rect", "line", "polyline", "path", "circle", "text", "tspan", "title", "desc"})
_ALLOWED = _HTML | _SVG
_VOID = frozenset({"meta", "link", "br", "hr", "img", "input", "col", "base", "embed", "source", "wbr", "area", "param", "track"})

_ATTRIBUTES = frozenset({
    "class", "id", "style", "title", "role", "lang", "dir", "hidden", "alt", "width", "height", "colspan",
    "rowspan", "scope", "headers", "align", "valign", "name", "type", "value", "checked", "disabled", "for",
    "href", "src", "rel", "charset", "content", "open", "target",
    # SVG presentation (the HTML parser restores their camelCase)
    "viewbox", "xmlns", "x", "y", "x1", "x2", "y1", "y2", "dx", "dy", "r", "cx", "cy", "d", "points",
    "fill", "stroke", "stroke-width", "stroke-dasharray", "text-anchor", "dominant-baseline",
    "font-size", "font-weight", "font-family", "transform", "opacity", "fill-opacity",
    "preserveaspectratio", "focusable",
})
_URL_ATTRIBUTES = frozenset({"href", "src"})
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_CSS_IMPORT = re.compile(r"@import[^;]*;?", re.IGNORECASE)
_UNSAFE_STYLE = re.compile(r"url\(|expression\(|javascript:|behavior\s*:|-moz-binding", re.IGNORECASE)
_STATIC_REF = re.compile(r"^(?:\./|\.\./)*(static/[^?#]*)")
_DATA_IMAGE = re.compile(r"^data:image/(png|gif|jpeg|webp|svg\+xml)[;,]", re.IGNORECASE)


def is_local(url: str) -> bool:
    """A URL that stays inside the site: relative, or a fragment. Not ``//host``, no scheme."""
    url = "".join(url.split()).replace("\\", "/")
    return not url.startswith("//") and not _SCHEME.match(url)


def _clean_css(css: str) -> str:
    css = _CSS_IMPORT.sub("", css)

    def local_only(match: re.Match) -> str:
        target = match.group(2).strip()
        return match.group(0) if is_local(target) or _DATA_IMAGE.match(target) else "none"

    return _CSS_URL.sub(local_only, css)


class _Hardener(HTMLParser):
    def __init__(self, root: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = root
        self.out: list[str] = []
        self.skip: list[str] = []
        self.in_head = False

    # -- tags ----------------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        if self.skip:
            if tag == self.skip[-1] and not closed:
                self.skip.append(tag)
            return
        if tag in _DROP_WITH_CONTENT or (tag == "style" and not self.in_head):
            if not closed and tag not in _VOID:
                self.skip.append(tag)
            return
        if tag not in _ALLOWED:
            return
        kept = self._attributes(tag, dict(attrs))
        if kept is None:
            return
        rendered = "".join(f' {name}="{escape(value, quote=True)}"' for name, value in kept)
        self.out.append(f"<{tag}{rendered}{' /' if closed else ''}>")
        if tag == "head":
            self.in_head = True
            self.out.append(f'<meta http-equiv="Content-Security-Policy" content="{escape(CSP)}">')
            self.out.append(self._stylesheet(STYLESHEETS[0]))

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            if tag == self.skip[-1]:
                self.skip.pop()
            return
        if tag not in _ALLOWED or tag in _VOID:
            return
        if tag == "head":
            self.out.extend(self._stylesheet(name) for name in STYLESHEETS[1:])
            self.in_head = False
        self.out.append(f"</{tag}>")

    def _stylesheet(self, name: str) -> str:
        return f'<link rel="stylesheet" href="{escape(self.root + STATIC + name)}">'

    def _attributes(self, tag: str, attrs: dict[str, str | None]) -> list[tuple[str, str]] | None:
        """The attributes to keep, or None to drop the element itself."""
        if tag == "link":
            rel = (attrs.get("rel") or "").lower().split()
            if "icon" not in rel or not is_local(attrs.get("href") or ""):
                return None  # stylesheets are gx-clova's own, added to <head>
        if tag == "meta" and ("http-equiv" in attrs or "charset" not in attrs and attrs.get("name") != "viewport"):
            return None
        if tag == "img":
            src = attrs.get("src") or ""
            if "great-expectations-web-assets" in src and "logo-long" in src:
                attrs["src"] = self.root + LOGO
        for name in ("href", "src"):
            # The site's own static files, from this page's depth (GX counts one level short
            # for the favicon of validation pages).
            found = _STATIC_REF.match(attrs.get(name) or "")
            if tag in ("link", "img") and found:
                attrs[name] = self.root + found.group(1)
        kept = []
        for name, value in attrs.items():
            value = value or ""
            if name.startswith("on") or not (name in _ATTRIBUTES or name.startswith(("aria-", "data-"))):
                continue
            if name == "style" and _UNSAFE_STYLE.search(value):
                continue
            if name in _URL_ATTRIBUTES and not self._url_allowed(tag, name, value):
                continue
            kept.append((name, value))
        return kept

    @staticmethod
    def _url_allowed(tag: str, name: str, value: str) -> bool:
        if is_local(value):
            return True
        if tag == "img" and name == "src":
            return bool(_DATA_IMAGE.match(value.strip()))
        # A link a reader may follow by hand; nothing loads it.
        return tag == "a" and name == "href" and value.strip().lower().startswith(("http://", "https://", "mailto:"))

    # -- text ----------------------------------------------------------------------------------
    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.cdata_elem == "style":
            self.out.append(_clean_css(data))
            return
        self.out.append(escape(data, quote=False))

    def handle_decl(self, decl: str) -> None:
        if decl.lower().startswith("doctype"):
            self.out.append("<!DOCTYPE html>")

    def handle_comment(self, data: str) -> None:  # comments are dropped
        pass

    def unknown_decl(self, data: str) -> None:  # CDATA sections: dropped
        pass

    def handle_pi(self, data: str) -> None:
        pass


def harden(page: str, root: str) -> str:
    """``page`` with scripts, handlers and remote assets removed; ``root`` is the relative path
    from the page to the site's root (``""`` for ``index.html``, ``"../../"`` two levels down)."""
    parser = _Hardener(root)
    parser.feed(page)
    parser.close()
    return "".join(parser.out)
