"""Great Expectations' Jinja views with escaping on: text is text, only renderer markup is markup.

GX renders pages with autoescape off, so a dataset value that reaches a template as a plain
string (an unexpected value in a built-in expectation's table, an observed value, a column name
in the table of contents, a batch or asset name) becomes markup. These views turn
autoescape on for every template and mark as trusted only what GX's renderer machinery built:
string templates (whose parameters GX escapes), styling attributes (escaped here), and nested
content blocks. A plain string is escaped wherever it appears.

gx-clova's own templates come first in the search path: the index table is plain HTML instead of
a table filled in by JavaScript from CDNs, and nothing loads scripts.
"""

from __future__ import annotations

from typing import Any, Mapping

from jinja2 import ChoiceLoader, PackageLoader, pass_context
from markupsafe import Markup, escape

from great_expectations.render.view import DefaultJinjaIndexPageView, DefaultJinjaPageView


class _Escaping:
    """Mixin over :class:`DefaultJinjaView`: autoescape on, trusted filters return Markup."""

    env: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.env.loader = ChoiceLoader([PackageLoader("gx_clova", "data/docs/templates"), self.env.loader])
        self.env.autoescape = True
        self.env.filters["gx_clova_rows"] = sorted_rows

    def render_string_template(self, template: Any) -> Markup:
        if not isinstance(template, Mapping):
            return escape(template)
        # GX escapes each parameter, but some renderers put data into the template itself (the
        # index's batch-id cell and its tooltip): templates are escaped too, keeping only the
        # few fixed fragments of markup GX's renderers write there.
        template = dict(template)
        template["template"] = trusted_template(str(template.get("template", "")))
        if isinstance(template.get("tooltip"), Mapping):
            template["tooltip"] = {**template["tooltip"], "content": str(escape(template["tooltip"].get("content", "")))}
        return Markup(super().render_string_template(template))  # type: ignore[misc]

    def render_styling(self, styling: Mapping) -> Markup:
        parts = []
        classes = styling.get("classes")
        if classes:
            if isinstance(classes, str):
                raise TypeError("classes must be a list, not a string.")
            parts.append(f'class="{escape(" ".join(map(str, classes)))}"')
        for name, value in (styling.get("attributes") or {}).items():
            parts.append(f'{escape(name)}="{escape(value)}"')
        styles = styling.get("styles") or {}
        if styles:
            parts.append(f'style="{escape(" ".join(f"{k}:{v};" for k, v in styles.items()))}"')
        return Markup(" ".join(parts) + (" " if parts else ""))

    def render_styling_from_string_template(self, template: Any) -> Markup:
        if isinstance(template, Mapping) and "styling" in template:
            return self.render_styling(template["styling"])
        return Markup("")

    def attributes_dict_to_html_string(self, attributes_dict: Mapping, prefix: str = "") -> Markup:
        prefix = f"{prefix}-" if prefix else ""
        return Markup("".join(f'{escape(prefix)}{escape(k)}="{escape(v)}" ' for k, v in attributes_dict.items()))

    def render_markdown(self, markdown: str) -> Markup:
        return Markup(super().render_markdown(markdown))  # type: ignore[misc]  # mistune escapes HTML

    def get_html_escaped_json_string_from_dict(self, source_dict: dict) -> Markup:
        return Markup(super().get_html_escaped_json_string_from_dict(source_dict))  # type: ignore[misc]

    @pass_context
    def render_content_block(
        self,
        jinja_context: Any,
        content_block: Any,
        index: Any = None,
        content_block_id: Any = None,
        render_to_markdown: bool = False,
    ) -> Markup:
        if content_block is None:
            return Markup("")
        if hasattr(content_block, "to_json_dict"):
            content_block = content_block.to_json_dict()
        if isinstance(content_block, list):
            rendered = Markup("")
            for position, element in enumerate(content_block):
                if hasattr(element, "to_json_dict") or (isinstance(element, Mapping) and "content_block_type" in element):
                    child_id = f"{content_block_id}-{position}" if content_block_id else None
                    rendered += self.render_content_block(jinja_context, element, position, content_block_id=child_id)
                else:
                    rendered += Markup("<span>%s</span>") % element
            return rendered
        if not isinstance(content_block, Mapping) or content_block.get("content_block_type") is None:
            return escape(content_block)
        template = self._get_template(template_str=f"{content_block['content_block_type']}.j2")  # type: ignore[attr-defined]
        extra = {"content_block_id": content_block_id} if content_block_id else {}
        return Markup(template.render(jinja_context, content_block=content_block, index=index, **extra))


#: Markup GX's renderers write inside string templates (as opposed to parameters).
TEMPLATE_MARKUP = ("<br>", '<span class="mr-3 triangle"></span>')


def trusted_template(template: str) -> str:
    """``template`` escaped, except for GX's own fixed fragments of markup."""
    escaped = str(escape(template))
    for fragment in TEMPLATE_MARKUP:
        escaped = escaped.replace(str(escape(fragment)), fragment)
    return escaped


def sorted_rows(table_data: list[dict], table_columns: list[dict], table_options: Mapping) -> list[dict]:
    """Rows of a GX "bootstrap table" in the order its options ask for (the JavaScript did this)."""
    wanted = table_options.get("sortName")
    key = next((c.get("sortName", c.get("field")) for c in table_columns if c.get("field") == wanted), wanted)
    if not key:
        return list(table_data)
    reverse = str(table_options.get("sortOrder", "asc")).lower() == "desc"
    return sorted(table_data, key=lambda row: (row.get(key) is None, str(row.get(key) or "")), reverse=reverse)


class ClovaPageView(_Escaping, DefaultJinjaPageView):
    """Expectation suite and validation result pages."""


class ClovaIndexPageView(_Escaping, DefaultJinjaIndexPageView):
    """The site's index page."""
