"""Content blocks gx-clova's renderers hand to Great Expectations, with data only in parameters.

GX puts a plain string into HTML as it is, and (since 1.24) escapes string-template parameters.
So a dataset value is always a parameter here, never part of a template or a plain string; with
an older GX that does not escape parameters, :func:`param` escapes them.
"""

from __future__ import annotations

import html
from typing import Any

from great_expectations.render import RenderedStringTemplateContent, RenderedTableContent
from great_expectations.render.view.view import DefaultJinjaView

from gx_clova.excerpts import SAMPLE_ROWS

#: GX 1.24 escapes string-template parameters itself; escaping them here too would show
#: ``&amp;lt;`` on the page.
GX_ESCAPES_PARAMS = hasattr(DefaultJinjaView, "_escape_template_param_value")


def param(value: Any) -> str:
    """A value as a string-template parameter: escaped exactly once, by whoever escapes."""
    return str(value) if GX_ESCAPES_PARAMS else html.escape(str(value), quote=True)


def text_block(template: str, styling: dict | None = None, **params: Any) -> RenderedStringTemplateContent:
    """A Data Docs string with its values as parameters."""
    body: dict[str, Any] = {"template": template, "params": {k: param(v) for k, v in params.items()}}
    if styling:
        body["styling"] = styling
    return RenderedStringTemplateContent(content_block_type="string_template", string_template=body)


_COLUMNS = (("Line", "line"), ("C_ID", "c_id"), ("T_ID", "t_id"), ("Text", "text"), ("Completion", "completion"),
            ("Why", "problem"))


def position_unit(failure: dict) -> str:
    """"line" (a file's physical line), or "record" for a DataFrame without a line column."""
    return "record" if (failure.get("details") or {}).get("positions") else "line"


def failing_rows(failures: list[dict]) -> list[Any]:
    """For each failure with lines: a caption with the exact count, then its first rows as a table."""
    blocks: list[Any] = []
    for failure in failures:
        rows = ((failure.get("details") or {}).get("rows")) or []
        if not rows:
            continue
        total = int(failure.get("count") or len(failure.get("lines") or rows))
        shown = len(rows)
        unit = position_unit(failure)
        if total == 1:
            caption = f"$code: the failing {unit}"
        elif shown >= total:
            caption = f"$code: all $total failing {unit}s"
        else:
            caption = f"$code: first $shown of $total failing {unit}s (the JSON report lists every {unit})"
        if unit == "record":
            caption += " · $positions"
        blocks.append(text_block(caption, styling={"classes": ["gx-clova-note", "d-block", "mt-2"]},
                                 code=failure["code"], total=f"{total:,}", shown=f"{shown:,}",
                                 positions=(failure.get("details") or {}).get("positions", "")))
        columns = [(unit.capitalize() if key == "line" else title, key) for title, key in _COLUMNS
                   if any(row.get(key) not in (None, "") for row in rows)]
        blocks.append(RenderedTableContent(
            content_block_type="table",
            header_row=[title for title, _ in columns],
            table=[[text_block("$v", v=row.get(key, "") if row.get(key) is not None else "") for _, key in columns]
                   for row in rows[:SAMPLE_ROWS]],
            styling={"body": {"classes": ["table", "table-sm", "table-bordered", "gx-clova-rows"]}},
        ))
    return blocks
