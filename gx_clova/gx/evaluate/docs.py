"""The evaluation's Data Docs page: a confusion-matrix heat map, per-class bars, the misses.

:class:`EvaluationPageRenderer` is gx-clova's validation page renderer plus, for every result
that carries ``details["evaluation"]``, a section with the facts, an inline SVG heat map
(:func:`heatmap`, labels as written, Korean included), per-class recall bars and a table of the
misclassified rows (text excerpt, expected, answer) — or, for generation, every answer beside
its expected Completion with its chrF. Every value is escaped: SVG texts here, table cells as
string-template parameters (:mod:`gx_clova.gx.docs.blocks`); the page then goes through the same
hardening as every other page of the site.
"""

from __future__ import annotations

from html import escape
from typing import Any

from great_expectations.render import RenderedHeaderContent, RenderedSectionContent, RenderedTableContent

from gx_clova.evaluate.scoring import OUTSIDE
from gx_clova.gx.docs import charts
from gx_clova.gx.docs.blocks import text_block
from gx_clova.gx.docs.pages import ClovaValidationResultsPageRenderer, SummaryContent

CELL, LABEL_W, TOP = 30, 190, 150
#: Rows listed on the page (misclassified, or every answer for generation); the JSON report has all.
SHOWN_ROWS = 200


def _short(label: str, limit: int = 16) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def heatmap(rows: list[str], columns: list[str], counts: list[list[int]], caption: str) -> str:
    """Expected labels down, answers across (the last column: outside the label set). A cell's
    shade is its share of its row; the diagonal (right answers) is green, the rest red."""
    width = LABEL_W + CELL * len(columns) + 10
    height = TOP + CELL * len(rows) + 10
    body = []
    for j, column in enumerate(columns):
        x = LABEL_W + CELL * j + CELL / 2
        body.append(
            f'<text x="{x:.0f}" y="{TOP - 6}" transform="rotate(-55 {x:.0f} {TOP - 6})" font-size="11">'
            f"<title>{escape(column)}</title>{escape(_short(column))}</text>"
        )
    for i, (label, line) in enumerate(zip(rows, counts, strict=False)):
        y = TOP + CELL * i
        total = sum(line) or 1
        body.append(
            f'<text x="{LABEL_W - 6}" y="{y + CELL / 2 + 4:.0f}" text-anchor="end" font-size="11">'
            f"<title>{escape(label)}</title>{escape(_short(label, 22))}</text>"
        )
        for j, n in enumerate(line):
            right = j < len(rows) and columns[j] == label
            colour = "#2e7d32" if right else "#c62828"
            share = n / total
            body.append(
                f'<rect x="{LABEL_W + CELL * j}" y="{y}" width="{CELL - 2}" height="{CELL - 2}" fill="{colour}" '
                f'fill-opacity="{0.06 + 0.94 * share:.3f}" stroke="#bbb" stroke-width="0.5">'
                f"<title>{escape(label)} → {escape(columns[j])}: {n:,}</title></rect>"
            )
            if n:
                ink = "#fff" if share > 0.5 else "#222"
                body.append(
                    f'<text x="{LABEL_W + CELL * j + (CELL - 2) / 2:.0f}" y="{y + CELL / 2 + 3:.0f}" '
                    f'text-anchor="middle" font-size="10" fill="{ink}">{n:,}</text>'
                )
    label = escape(caption, quote=True)
    return (
        f'<svg class="gx-clova-chart gx-clova-heatmap" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{label}"><title>{label}</title>'
        + "".join(body)
        + "</svg>"
    )


def _pct(value: Any) -> str:
    return "n/a" if value is None else f"{100 * float(value):.1f} %"


def _table(header: list[str], rows: list[list[Any]]) -> RenderedTableContent:
    return RenderedTableContent(
        content_block_type="table",
        header_row=header,
        table=[[text_block("$v", v="" if cell is None else cell) for cell in row] for row in rows],
        styling={"body": {"classes": ["table", "table-sm", "table-bordered", "gx-clova-rows"]}},
    )


def evaluation_blocks(scores: dict[str, Any]) -> list[Any]:
    target = scores["target"]
    facts = [
        ("Target", target),
        ("Task", scores["task"]),
        ("Rows answered", f"{scores['answered']:,} of {scores['rows']:,}"),
        ("Accuracy (normalised exact match)", _pct(scores.get("accuracy"))),
    ]
    figures: list[dict[str, str]] = []
    blocks: list[Any] = []
    if scores["task"] == "classification":
        facts.append(("Answers outside the label set", f"{scores.get('outside_label_set', 0):,}"))
        confusion = scores["confusion"]
        figures.append(
            {
                "caption": f"Confusion matrix of {target}: expected label (rows) against answer (columns); "
                f"the last column is {OUTSIDE}",
                "svg": heatmap(
                    confusion["rows"],
                    confusion["columns"],
                    confusion["counts"],
                    caption=f"confusion matrix of {target}",
                ),
            }
        )
        judged = [c for c in scores["classes"] if c["recall"] is not None]
        figures.append(
            {
                "caption": f"Recall per class of {target}, in percent (support in the table below)",
                "svg": charts.bars(
                    [(c["label"], round(100 * c["recall"])) for c in judged], caption=f"recall per class of {target}"
                ),
            }
        )
        blocks.append(
            _table(
                ["Class", "Support", "Precision", "Recall", "F1"],
                [
                    [c["label"], f"{c['support']:,}", _pct(c["precision"]), _pct(c["recall"]), _pct(c["f1"])]
                    for c in scores["classes"]
                ],
            )
        )
        total = scores.get("misclassified_total", len(scores.get("misclassified") or []))
        wrong = (scores.get("misclassified") or [])[:SHOWN_ROWS]
        caption = (
            "No misclassified rows"
            if not total
            else f"Misclassified rows: {len(wrong):,} of {total:,} shown (the JSON report lists them all)"
        )
        blocks.append(
            text_block("$caption", caption=caption, styling={"classes": ["gx-clova-note", "d-block", "mt-2"]})
        )
        if wrong:
            blocks.append(
                _table(
                    ["Line", "Text", "Expected", "Answer"],
                    [[f"{w['line']}", w["text"], w["expected"], w["answer"]] for w in wrong],
                )
            )
    else:
        facts.append(("chrF (all rows)", "n/a" if scores.get("chrf") is None else f"{scores['chrf']:.1f}"))
        answers = (scores.get("answers") or [])[:SHOWN_ROWS]
        if len(scores.get("answers") or []) > SHOWN_ROWS:
            blocks.append(
                text_block(
                    "$caption",
                    caption=f"The first {SHOWN_ROWS:,} answers (the JSON report lists them all)",
                    styling={"classes": ["gx-clova-note", "d-block", "mt-2"]},
                )
            )
        blocks.append(
            _table(
                ["Line", "Text", "Expected", "Answer", "chrF"],
                [
                    [
                        f"{a['line']}",
                        a["text"],
                        a["expected"],
                        a["answer"],
                        "" if a["chrf"] is None else f"{a['chrf']:.1f}",
                    ]
                    for a in answers
                ],
            )
        )
    return [
        RenderedHeaderContent(
            header=f"Evaluation: {target}",
            styling={"classes": ["col-12"], "header": {"classes": ["alert", "alert-secondary"]}},
        ),
        SummaryContent(facts, figures, styling={"classes": ["col-12", "gx-clova-summary"]}),
        *blocks,
    ]


def evaluations_of(validation_results: Any) -> list[dict[str, Any]]:
    found = []
    for evr in getattr(validation_results, "results", None) or []:
        details = ((evr.result or {}).get("details") or {}) if isinstance(evr.result, dict) else {}
        if isinstance(details.get("evaluation"), dict):
            found.append(details["evaluation"])
    return found


class EvaluationPageRenderer(ClovaValidationResultsPageRenderer):
    def render(self, validation_results: Any, suite_parameters: Any = None) -> Any:
        document = super().render(validation_results, suite_parameters)
        for at, scores in enumerate(evaluations_of(validation_results), start=1):
            document.sections.insert(
                at,
                RenderedSectionContent(
                    section_name=f"Evaluation {scores['target']}", content_blocks=evaluation_blocks(scores)
                ),
            )
        return document
