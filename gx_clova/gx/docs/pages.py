"""The validation page, with gx-clova's dataset summary between the overview and the results.

The summary is drawn from what gx-clova's expectations stored in their results
(``details["profile"]``: conversations from the row-count expectation, lengths from the length
limit, labels from the classification label expectation), so a page rebuilt later from the
validation store shows the same. A suite without gx-clova expectations gets GX's page unchanged.
"""

from __future__ import annotations

from typing import Any

from great_expectations.render import RenderedComponentContent, RenderedHeaderContent, RenderedSectionContent
from great_expectations.render.renderer import ValidationResultsPageRenderer

from gx_clova.gx.docs import charts

SECTION = "Dataset summary"

#: The three states a validation can be in, as the page header and the index state them.
PASSED, WARNINGS, FAILED = "passed", "warnings", "failed"
STATE_WORDS = {PASSED: "Passed", WARNINGS: "Passed with warnings", FAILED: "Failed"}
#: The icon class of each state (drawn by gx-clova.css: green check, amber triangle, red cross).
STATE_ICONS = {PASSED: ["fas", "fa-check-circle", "text-success"],
               WARNINGS: ["fas", "fa-exclamation-triangle", "text-warning", "gx-clova-warning"],
               FAILED: ["fas", "fa-times", "text-danger"]}


def warning_count(evr: Any) -> int:
    """Findings a *succeeding* expectation carries: its warnings (0 for a failing one)."""
    if not getattr(evr, "success", False) or not isinstance(getattr(evr, "result", None), dict):
        return 0
    failures = ((evr.result or {}).get("details") or {}).get("failures") or []
    return sum(int(f.get("count") or len(f.get("lines") or []) or 1) for f in failures)


def state_of(validation_results: Any) -> tuple[str, int]:
    """``(state, warnings)``: failed when GX's ``success`` is false, else passed with or without warnings."""
    warnings = sum(warning_count(evr) for evr in getattr(validation_results, "results", None) or [])
    if not validation_results.success:
        return FAILED, warnings
    return (WARNINGS if warnings else PASSED), warnings


def state_param(state: str, warnings: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """String-template params and their styling that state ``state`` in words, with its icon."""
    params = {"gx_clova_icon": "", "gx_clova_state": STATE_WORDS[state],
              "gx_clova_warnings": f"· {warnings:,} warning(s)" if warnings else ""}
    styling = {
        "gx_clova_icon": {"tag": "i", "classes": STATE_ICONS[state]},
        "gx_clova_state": {"tag": "strong", "classes": [f"gx-clova-state-{state}"],
                           "attributes": {"data-gx-clova-verdict": state}},
        "gx_clova_warnings": {"classes": ["gx-clova-warning-count"]},
    }
    return params, styling


class SummaryContent(RenderedComponentContent):
    """Facts (name, value) and figures (caption, svg); drawn by ``gx_clova_summary.j2``."""

    def __init__(self, facts: list[tuple[str, str]], figures: list[dict[str, str]], styling: dict | None = None) -> None:
        super().__init__(content_block_type="gx_clova_summary", styling=styling)
        self.facts = facts
        self.figures = figures

    def to_json_dict(self) -> dict[str, Any]:
        data = super().to_json_dict()
        data["facts"] = [list(f) for f in self.facts]
        data["figures"] = [dict(f) for f in self.figures]
        return data


class ClovaValidationResultsPageRenderer(ValidationResultsPageRenderer):
    @classmethod
    def _render_validation_header(cls, validation_results: Any) -> Any:
        """GX's header, its status in one of three states: passed, passed with warnings, failed."""
        header = super()._render_validation_header(validation_results)
        template = header.subheader.string_template
        state, warnings = state_of(validation_results)
        params, styling = state_param(state, warnings)
        template["template"] = template["template"].replace(
            "${html_success_icon} ${success}", "$gx_clova_icon $gx_clova_state $gx_clova_warnings")
        for name in ("html_success_icon", "success"):
            template["params"].pop(name, None)
        template["params"].update(params)
        template["styling"].setdefault("params", {}).update(styling)
        return header

    def render(self, validation_results: Any, suite_parameters: Any = None) -> Any:
        document = super().render(validation_results, suite_parameters)
        profile = profile_of(validation_results)
        if profile:
            section = RenderedSectionContent(
                section_name=SECTION,
                content_blocks=[
                    RenderedHeaderContent(
                        header=SECTION,
                        styling={"classes": ["col-12"], "header": {"classes": ["alert", "alert-secondary"]}},
                    ),
                    summary_block(profile),
                ],
            )
            document.sections.insert(1, section)
        return document


def profile_of(validation_results: Any) -> dict[str, Any]:
    """Every ``details["profile"]`` of the results, merged."""
    merged: dict[str, Any] = {}
    for evr in getattr(validation_results, "results", None) or []:
        details = ((evr.result or {}).get("details") or {}) if isinstance(evr.result, dict) else {}
        merged.update(details.get("profile") or {})
    return merged


def summary_block(profile: dict[str, Any]) -> SummaryContent:
    facts: list[tuple[str, str]] = []
    figures: list[dict[str, str]] = []
    conv = profile.get("conversations") or {}
    if conv:
        facts.append(("Data rows", f"{conv.get('rows', 0):,}"))
        facts.append(("Conversations (C_ID)", f"{conv.get('conversations', 0):,}"))
        turns = conv.get("turns") or {}
        if turns:
            facts.append(("Turns per conversation", f"min {turns['min']:,} · median {turns['median']:g} · max {turns['max']:,}"))
            figures.append({
                "caption": "Turns per conversation (conversations with 1, 2, … turns)",
                "svg": charts.columns([(str(k), int(n)) for k, n in turns["histogram"]], caption="turns per conversation"),
            })
    lengths = profile.get("lengths") or {}
    if lengths:
        limit = int(lengths["max_chars"])
        facts.append(("len(Text) + len(Completion)", f"median {lengths['p50']:,} · 99th percentile {lengths['p99']:,} · "
                                                     f"longest {lengths['max']:,} (limit {limit:,})"))
        facts.append((f"Rows over {limit:,} characters", f"{lengths['over']:,}"))
        data = [(_k(b["end"]), int(b["count"])) for b in lengths["bins"]] + [(f">{_k(limit)}", int(lengths["over"]))]
        figures.append({
            "caption": f"Row length in characters, len(Text) + len(Completion), against the {limit:,} limit",
            "svg": charts.columns(data, caption="row length histogram", over_from=len(lengths["bins"]),
                                  limit_label=f"{limit:,} limit"),
        })
    labels = profile.get("labels") or {}
    if labels:
        minimum = int(labels["min_rows_per_label"])
        under = sum(1 for _, n in labels["labels"] if n < minimum)
        facts.append(("Labels (Completion values)", f"{labels['distinct']:,} (at most {labels['max_labels']:,} allowed)"))
        facts.append((f"Labels under {minimum:,} rows", f"{under:,}" + (" or more" if labels.get("other_labels") else "")))
        data = [(str(label), int(n)) for label, n in labels["labels"]]
        more = (f" (the {len(data):,} largest; {labels['other_labels']:,} more labels hold {labels['other_rows']:,} rows)"
                if labels.get("other_labels") else "")
        figures.append({
            "caption": f"Rows per label, against the minimum of {minimum:,}{more}",
            "svg": charts.bars(data, caption="rows per label", limit=minimum, limit_label=f"{minimum:,} rows minimum"),
        })
    return SummaryContent(facts, figures, styling={"classes": ["col-12", "gx-clova-summary"]})


def _k(n: int) -> str:
    return f"{n / 1000:g}k" if n >= 1000 else str(n)
