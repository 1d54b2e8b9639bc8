"""What every gx-clova expectation shares: findings in, a GX result out, readable renderers.

A subclass names its metric, the failure codes it owns and a sentence template with ``$param``
placeholders; this base turns the metric's findings into a result::

    {"success": false,
     "result": {"observed_value": "3 failing lines",
                "details": {"failures": [{"code": "row.too-long", "lines": [12, 40, 41], ...}]}}}

Renderers write the sentence with its parameters for Data Docs (not ``expect_x(**{...})``), an
observed value with the first failing lines, and a table of the first failing rows (line, C_ID,
T_ID, excerpts). Every value that came from the dataset reaches Data Docs as a string-template
parameter, which Great Expectations (>= 1.24) escapes; with an older GX that does not, it is
escaped here. Plain strings, which GX puts into HTML as they are, carry no data.
"""

from __future__ import annotations

import html
from typing import Any, ClassVar, Optional

from great_expectations.compatibility import pydantic
from great_expectations.expectations.expectation import BatchExpectation
from great_expectations.render import LegacyDiagnosticRendererType, LegacyRendererType, RenderedStringTemplateContent
from great_expectations.render.renderer.renderer import renderer
from great_expectations.render.renderer_configuration import RendererConfiguration, RendererValueType

from gx_clova import registry
from gx_clova.codes import CATALOGUE
from gx_clova.gx.docs.blocks import failing_rows, param, position_unit, text_block

#: How many failing lines the observed-value cell of Data Docs lists.
SHOWN_LINES = 10
#: How many failing positions ``partial_unexpected_list`` holds (GX's default ``partial_unexpected_count``).
PARTIAL = 20


def escape(value: Any) -> str:
    return html.escape(str(value), quote=True)


def failures_of(result: Any) -> list[dict]:
    if result is None:
        return []
    body = result.result if hasattr(result, "result") else result.get("result", {})
    return list(((body or {}).get("details") or {}).get("failures") or [])


def not_checked_of(result: Any) -> str | None:
    """Why a rule was not checked (a file rule on a DataFrame), or None."""
    if result is None:
        return None
    body = result.result if hasattr(result, "result") else result.get("result", {})
    return ((body or {}).get("details") or {}).get("not_checked")


def observed_text(failures: list[dict]) -> str:
    """One line a reviewer can read: how many failed, and where."""
    if not failures:
        return "no failures"
    parts = []
    for failure in failures:
        lines = failure.get("lines") or []
        where = ""
        if lines:
            shown = ", ".join(str(n) for n in lines[:SHOWN_LINES])
            more = f" … and {len(lines) - SHOWN_LINES:,} more" if len(lines) > SHOWN_LINES else ""
            where = f" at {position_unit(failure)} {shown}{more}"
        parts.append(f"{failure['code']}: {failure.get('count', len(lines)):,}{where} — {failure.get('message', '')}")
    return "; ".join(parts)


class WarningStatus:
    """Data Docs' status cell in three states: GX's check and cross, and for an expectation that
    succeeded with findings (a warning) an amber mark with the number of findings."""

    @classmethod
    @renderer(renderer_type=LegacyDiagnosticRendererType.STATUS_ICON)
    def _diagnostic_status_icon_renderer(cls, configuration=None, result=None, runtime_configuration=None, **kwargs):
        from gx_clova.gx.docs.pages import WARNINGS, state_param, warning_count

        if not_checked_of(result):
            return RenderedStringTemplateContent(
                content_block_type="string_template",
                string_template={"template": "$icon $what", "params": {"icon": "", "what": "not checked",
                                                                         "markdown_status_icon": "➖"},
                                 "styling": {"params": {"icon": {"tag": "i", "classes": ["fas", "fa-question-circle"]},
                                                        "what": {"classes": ["gx-clova-not-checked"]}}}},
            )
        warnings = warning_count(result)
        if not warnings:
            return super()._diagnostic_status_icon_renderer(  # type: ignore[misc]
                configuration=configuration, result=result, runtime_configuration=runtime_configuration)
        params, styling = state_param(WARNINGS, warnings)
        params["gx_clova_state"] = "warning"
        params["gx_clova_warnings"] = f"{warnings:,}"
        return RenderedStringTemplateContent(
            content_block_type="string_template",
            string_template={
                "template": "$gx_clova_icon $gx_clova_state $gx_clova_warnings",
                "params": {**params, "markdown_status_icon": "⚠️"},
                "styling": {"params": {**styling, "gx_clova_state": {"classes": ["gx-clova-state-warnings"]}}},
            },
        )


class ClovaExpectation(WarningStatus, BatchExpectation):
    """Base of every gx-clova expectation that reads one findings metric."""

    #: The findings metric this expectation reads.
    findings_metric: ClassVar[str] = ""
    #: The failure codes this expectation owns.
    codes: ClassVar[tuple[str, ...]] = ()
    #: The sentence Data Docs shows, with ``$name`` placeholders for parameters.
    template: ClassVar[str] = ""
    #: Parameters shown in the sentence, in order.
    template_params: ClassVar[tuple[str, ...]] = ()
    #: Whether the lines of findings are data rows (so ``unexpected_percent`` is a share of the
    #: rows); not for the file's own faults (records that do not parse, the header, bytes).
    lines_are_rows: ClassVar[bool] = True
    #: Profile metrics (:mod:`gx_clova.gx.metrics.profile`) whose values go in ``details["profile"]``.
    profile_metrics: ClassVar[tuple[str, ...]] = ()

    library_metadata: ClassVar[dict] = {
        "maturity": "production",
        "tags": ["gx-clova", "clova-studio", "hyperclova-x"],
        "contributors": ["@gx-clova"],
    }

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declared = registry.rule_for_expectation(cls.__name__)
        if declared is not None and "findings_metric" not in vars(cls):  # a rule of the registry
            cls.findings_metric = declared.metric
            cls.codes = declared.codes
            cls.template = declared.template
            cls.template_params = declared.template_params()
            cls.lines_are_rows = declared.lines_are_rows
            cls.profile_metrics = declared.profile_metrics
            cls.success_keys = tuple(declared.params)
        if cls.findings_metric:
            cls.metric_dependencies = (cls.findings_metric, *cls.profile_metrics, "table.row_count")
            unknown = [c for c in cls.codes if c not in CATALOGUE]
            if unknown:
                raise TypeError(f"{cls.__name__} owns unknown codes {unknown}")

    def _validate(self, metrics: dict, runtime_configuration: Optional[dict] = None, execution_engine=None) -> dict:
        found = metrics[self.findings_metric]
        failures = [f for f in found if f.get("code") in self.codes]
        result = self._result(failures, escalated=bool(set(self.codes) & escalated_in(execution_engine)),
                              rows=metrics.get("table.row_count"))
        not_checked = next((f["not_checked"] for f in found if "not_checked" in f), None)
        if not_checked:  # a file rule on a DataFrame: say so, never "no failures"
            result["result"]["observed_value"] = not_checked
            result["result"]["details"]["not_checked"] = not_checked
        if self.profile_metrics:
            result["result"]["details"]["profile"] = merged_profile(metrics, self.profile_metrics)
        return result

    def _result(self, failures: list[dict], escalated: bool = False, rows: int | None = None) -> dict:
        """Success means no finding of this expectation's codes, or that findings do not fail the run.

        A warning (``severity="warning"`` or ``"info"``) succeeds and carries its findings in
        ``details``, so GX's own ``success`` (suite and checkpoint) is gx-clova's verdict; an
        escalated one (``severity="critical"``: ``--strict``, ``--error CODE``, or a suite that
        sets it, or the batch for one run: :func:`escalated_in`) fails on any finding.
        """
        return {
            "success": not failures or not (escalated or fails_run(self)),
            "result": {
                "observed_value": (
                    "no failures" if not failures else f"{sum(int(f.get('count') or 0) for f in failures):,} failing"
                ),
                **standard_keys(failures, rows, per_row=self.lines_are_rows),
                "details": {"failures": failures, "codes": list(self.codes)},
            },
        }

    # -- rendering -----------------------------------------------------------------------------
    @classmethod
    def _params(cls, configuration: Any) -> dict[str, Any]:
        kwargs = dict(getattr(configuration, "kwargs", None) or {})
        return {name: kwargs.get(name, _defaults().get(name)) for name in cls.template_params}

    @classmethod
    def _prescriptive_template(cls, renderer_configuration: RendererConfiguration) -> RendererConfiguration:
        for name, value in cls._params(renderer_configuration.configuration).items():
            kind = RendererValueType.NUMBER if isinstance(value, (int, float)) else RendererValueType.STRING
            renderer_configuration.add_param(name=name, param_type=kind, value=value)
        renderer_configuration.template_str = cls.template
        return renderer_configuration

    @classmethod
    @renderer(renderer_type=LegacyRendererType.PRESCRIPTIVE)
    def _prescriptive_renderer(cls, configuration=None, result=None, runtime_configuration=None, **kwargs):
        if configuration is None and result is not None:
            configuration = getattr(result, "expectation_config", None)
        params = {k: param(f"{v:,}" if isinstance(v, int) else v) for k, v in cls._params(configuration).items()}
        return [
            RenderedStringTemplateContent(
                content_block_type="string_template",
                string_template={
                    "template": cls.template,
                    "params": params,
                    "styling": {"default": {"classes": ["badge", "badge-secondary"]}},
                },
            )
        ]

    @classmethod
    @renderer(renderer_type=LegacyDiagnosticRendererType.OBSERVED_VALUE)
    def _diagnostic_observed_value_renderer(cls, configuration=None, result=None, runtime_configuration=None, **kwargs):
        return text_block("$observed", observed=not_checked_of(result) or observed_text(failures_of(result)))

    @classmethod
    @renderer(renderer_type=LegacyDiagnosticRendererType.UNEXPECTED_TABLE)
    def _diagnostic_unexpected_table_renderer(cls, configuration=None, result=None, runtime_configuration=None, **kwargs):
        return failing_rows(failures_of(result)) or None


def parameter(code: str, name: str) -> Any:
    """An expectation's parameter field, as the registry declares it for the rule reporting ``code``:
    its spec default and description (``max_ratio: int = parameter("class.imbalance", "max_ratio")``)."""
    declared = registry.rule_of(code).params[name]
    return pydantic.Field(default=declared.default, description=declared.description)


def _defaults() -> dict[str, Any]:
    return registry.words_and_limits()


def standard_keys(failures: list[dict], rows: int | None, per_row: bool = True) -> dict[str, Any]:
    """GX's standard result keys, where they mean something: how many rows failed (distinct
    lines; for a finding about the whole file, its count), their share of the rows (``per_row``:
    not for lines that are not data rows, such as records that do not parse), and the first
    :data:`PARTIAL` of them (``{"code", "line"}``; the positions alone in the index list)."""
    located = sorted({(int(line), f["code"]) for f in failures for line in (f.get("lines") or [])})
    lines = sorted({line for line, _ in located})
    count = len(lines) + sum(int(f.get("count") or 1) for f in failures if not f.get("lines"))
    out: dict[str, Any] = {
        "unexpected_count": count,
        "partial_unexpected_list": [{"code": code, "line": line} for line, code in located[:PARTIAL]],
        "partial_unexpected_index_list": lines[:PARTIAL],
    }
    if rows:
        out["element_count"] = int(rows)
        if per_row and len(lines) <= int(rows):
            out["unexpected_percent"] = round(100.0 * len(lines) / int(rows), 4)
    return out


def fails_run(expectation: Any) -> bool:
    """Whether a finding of ``expectation`` fails the run: only when its GX severity is critical."""
    severity = getattr(expectation, "severity", None) or "critical"
    return str(getattr(severity, "value", severity)) == "critical"


def escalated_in(execution_engine: Any) -> frozenset[str]:
    """Codes escalated for one run through the batch (``DataFrame.attrs["gx_clova"]["escalate"]``):
    ``gx-clova checkpoint --strict`` / ``--error CODE`` run a stored checkpoint, whose suites GX
    will not run once changed in memory, so the escalation travels with the data instead."""
    from gx_clova.batch import ATTRS_KEY

    try:
        frame = execution_engine.batch_manager.active_batch_data.dataframe
        return frozenset((frame.attrs.get(ATTRS_KEY) or {}).get("escalate") or ())
    except (AttributeError, TypeError):  # Spark, or no batch: escalation lives in the suite there
        return frozenset()


def merged_profile(metrics: dict, names: tuple[str, ...]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for name in names:
        merged.update(metrics.get(name) or {})
    return merged
