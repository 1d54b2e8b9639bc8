"""The reference, generated: ``gx-clova rules``, ``docs/rules.md`` and ``docs/cli.md``.

Nothing here is written by hand: the code, its title, severity, spec rule, requirement and
message templates come from the catalogue (:mod:`gx_clova.codes`, built from :mod:`gx_clova.spec`); the expectation, its
parameters (as the suites set them), the tasks, the metric and its kernel functions from the
rule registry (:mod:`gx_clova.registry`); the CLI reference from the parsers' own help. Tests fail
when the files in ``docs/`` drift from the code::

    gx-clova rules                      # a table
    gx-clova rules --format json        # for programs
    python -m gx_clova.reference --write docs   # regenerate docs/rules.md and docs/cli.md

The command is :mod:`gx_clova.cli.rules`; the files are written by :mod:`gx_clova.cli.reference`
(``cli.md`` is built from the CLI's own parser).

>>> row = {r["code"]: r for r in rules()}["row.too-long"]
>>> row["severity"], row["spec_rule"], row["expectation"], row["parameters"]
('error', 'T3', 'ExpectClovaRowLengthToBeAtMost', {'max_chars': 8000})
>>> row["kernels"]
['gx_clova.rules.content.check_length']
"""

from __future__ import annotations

import json
from types import FunctionType, ModuleType
from typing import Any

#: The GX metric every row-count expectation reads (GX's own; no gx-clova kernel).
_BUILT_IN = "built-in"


def rules() -> list[dict[str, Any]]:
    """One record per catalogue code, in catalogue order, from the rule registry (it imports Great
    Expectations, for the module of each expectation class)."""
    from gx_clova import registry
    from gx_clova.codes import CATALOGUE

    found = []
    for code, entry in CATALOGUE.items():
        record: dict[str, Any] = {
            "code": code,
            "title": entry.title,
            "severity": entry.severity,
            "spec_rule": entry.ref,
            "requirement": entry.requirement,
            "message": entry.message,
            "message_variants": dict(entry.variants),
            "expectation": None,
            "expectation_module": None,
            "parameters": {},
            "metric": None,
            "kernels": [],
            "spark_kernels": [],
            "tasks": [],
        }
        try:
            rule = registry.rule_of(code)
        except KeyError:
            rule = None
        if rule is not None:
            record.update(_implementation(rule))
            record["parameters"] = rule.defaults()
            record["tasks"] = list(rule.tasks)
        found.append(record)
    return found


def _implementation(rule: Any) -> dict[str, Any]:
    from gx_clova import registry
    from gx_clova.gx.suites import expectation_class

    cls = expectation_class(rule.expectation)
    if rule.metric == registry.ROW_COUNT:  # a subclass of GX's built-in row-count expectation
        kernels: list[str] = [f"{_BUILT_IN}: {rule.metric}"]
        spark: list[str] = list(kernels)
    else:
        declared = registry.metric(rule.metric)
        kernels = _called(declared.load())
        if declared.spark_kernel is None:
            spark = ["(none: the Arrow kernels run on the driver)"]
        elif declared.spark_kernel == declared.kernel:
            spark = ["(the same functions: they read the file's facts only)"]
        else:
            spark = _called(declared.load_spark())
    return {
        "expectation": cls.__name__,
        "expectation_module": cls.__module__,
        "metric": rule.metric,
        "kernels": kernels,
        "spark_kernels": spark,
    }


def _called(function: Any) -> list[str]:
    """The gx_clova functions a kernel calls, as ``module.function`` (read from its code object)."""
    function = getattr(function, "__func__", function)
    scope = function.__globals__
    names = function.__code__.co_names
    called = []
    for name in names:
        value = scope.get(name)
        if isinstance(value, ModuleType) and value.__name__.startswith("gx_clova."):
            called += [f"{value.__name__}.{attr}" for attr in names
                       if isinstance(getattr(value, attr, None), FunctionType)]
        elif isinstance(value, FunctionType) and value.__module__.startswith("gx_clova."):
            called.append(f"{value.__module__}.{value.__name__}")
    return called


# -- formats ----------------------------------------------------------------------------------------
def _params(record: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in record["parameters"].items())


def as_text(found: list[dict[str, Any]]) -> str:
    header = ("CODE", "TITLE", "SEVERITY", "RULE", "EXPECTATION", "PARAMETERS", "TASKS")
    rows = [header] + [
        (r["code"], r["title"] or "-", r["severity"], r["spec_rule"], r["expectation"] or "-", _params(r) or "-",
         ", ".join(r["tasks"]) or "-")
        for r in found
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    lines = ["  ".join([*(cell.ljust(w) for cell, w in zip(row[:-1], widths, strict=True)), row[-1]]) for row in rows]
    return "\n".join(lines) + "\n"


def as_json(found: list[dict[str, Any]]) -> str:
    return json.dumps({"rules": found}, indent=2, ensure_ascii=False) + "\n"


def _path(module: str) -> str:
    return module.replace(".", "/") + ".py"


def _code_list(names: list[str]) -> str:
    return ", ".join(n if n.startswith("(") else f"`{n}`" for n in names) or "—"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


class _Field(str):
    """A template field shown as itself: ``{rows:,}`` → ``{rows}``, ``{top!r}`` → ``{top}``."""

    def __format__(self, spec: str) -> str:
        return "{" + self + "}"

    def __repr__(self) -> str:
        return self


def shown_message(template: str) -> str:
    """A message template as the reference shows it: the spec's words filled in, the kernel's fields
    as ``{name}``.

    >>> shown_message("{rows:,} cell(s) of {text}; first: {first!r}")
    '{rows} cell(s) of Text; first: {first}'
    """
    from gx_clova.registry import WORDS, template_fields

    return template.format(**WORDS, **{name: _Field(name) for name in template_fields(template)})


def as_markdown(found: list[dict[str, Any]]) -> str:
    out = [
        "# Rules reference",
        "",
        "<!-- Generated by `python -m gx_clova.reference --write docs`; do not edit by hand.",
        "     tests/test_reference.py fails when this file and the code drift apart. -->",
        "",
        "Every failure code gx-clova reports. Codes are stable (CI gates and scripts may key on them);",
        "severities are the defaults (`--strict` or `--error CODE` make a warning an error). An *error*",
        "fails the dataset (exit status 1); a *warning* is reported and the dataset still passes.",
        "",
        "Where each part lives: the code, its title, severity, requirement and message templates in the",
        "registry, `gx_clova/registry.py`, served by `gx_clova/codes.py` (limits in `gx_clova/spec.py`; a",
        "message shows the kernel's values where it says `{name}`); the rule (its codes, parameters,",
        "severity, tasks, Data Docs sentence, metric and kernels) in the same registry, from which the GX",
        "metrics and the suites are generated; the Great Expectations expectation class in",
        "`gx_clova/gx/expectations/`; the kernels in `gx_clova/kernels.py` and `gx_clova/rules/`, their",
        "Spark twins in `gx_clova/spark/`; the test cases in `tests/cases/rules.yml` (spec rules) and",
        "`tests/cases/quality.yml` (warnings beyond the guide). `gx_clova.kernels.reader_findings` passes",
        "on what the reader (`gx_clova/reading/`) found while parsing the file. Spec rule *Q* marks a check",
        "beyond the CLOVA Studio guide.",
        "",
        "| Code | Title | Severity | Rule | Requirement | Tasks |",
        "|---|---|---|---|---|---|",
    ]
    for r in found:
        out.append(f"| [`{r['code']}`](#{_anchor(r['code'])}) | {_cell(r['title'])} | {r['severity']} | "
                   f"{r['spec_rule']} | "
                   f"{_cell(r['requirement'])} | {', '.join(r['tasks']) or '—'} |")
    out.append("")
    for r in found:
        params = ", ".join(f"`{k}` = `{v}`" for k, v in r["parameters"].items()) or "—"
        expectation = (f"`{r['expectation']}` in `{_path(r['expectation_module'])}`"
                       if r["expectation"] else "— (not in a suite)")
        out += [
            f"## {r['code']}",
            "",
            f"- Title: {r['title']}",
            f"- Severity: {r['severity']}; spec rule: {r['spec_rule']}",
            f"- Requirement: {r['requirement']}",
            f"- Message: {shown_message(r['message'])}",
            *(f"- Message ({name}): {shown_message(template)}" for name, template in r["message_variants"].items()),
            f"- Expectation: {expectation}",
            f"- Parameters (as the suites set them): {params}",
            f"- Metric: {'`' + r['metric'] + '`' if r['metric'] else '—'}",
            f"- Kernels (Arrow): {_code_list(r['kernels'])}",
            f"- Kernels (Spark): {_code_list(r['spark_kernels'])}",
            f"- Tasks: {', '.join(r['tasks']) or '—'}",
            "",
        ]
    return "\n".join(out)


def _anchor(code: str) -> str:
    """GitHub's heading anchor: lower case, punctuation other than ``-`` and ``_`` dropped."""
    return "".join(ch for ch in code.lower() if ch.isalnum() or ch in "-_")
