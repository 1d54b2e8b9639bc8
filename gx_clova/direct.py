"""The direct path: the suite's verdict from the rule kernels, without importing Great Expectations.

Importing GX costs 3–4 s of CPU, more than validating an everyday file. When no GX
artefact is asked for (no Data Docs, no checkpoint, no stored result), :func:`run` walks the
task's suite as GX would — the same expectations in the same order, each with its codes,
severity and metric parameters — and calls the same kernels the GX metrics call
(:mod:`gx_clova.kernels`). It returns what :func:`gx_clova.gx.validation.findings_of` returns for a
GX result, so the report is the same on both paths; ``tests/test_direct_path.py`` runs every rule
case both ways and compares the JSON reports.

The suite's shape comes from the rule registry (:mod:`gx_clova.registry`), which the GX suites
are built from too; a test compares the plan with what GX computes for each expectation of the
suite. ``GX_CLOVA_ENGINE_PATH=gx`` forces the GX path everywhere; ``=direct`` is the default when
it applies.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cache
from typing import Any

from gx_clova import registry
from gx_clova.codes import CATALOGUE, ERROR, WARNING
from gx_clova.excerpts import attach
from gx_clova.findings import Finding
from gx_clova.kernels import row_count_message

#: Environment variable that picks the path: ``gx`` (always GX) or ``direct`` (default).
PATH_VARIABLE = "GX_CLOVA_ENGINE_PATH"
PATHS = ("direct", "gx")
ROW_COUNT = registry.ROW_COUNT
#: Threads the kernels run on.
WORKERS = 2


def chosen_path(wants_gx_artefact: bool) -> str:
    """``gx`` when GX must run (Data Docs, or forced by ``GX_CLOVA_ENGINE_PATH=gx``), else ``direct``."""
    forced = os.environ.get(PATH_VARIABLE, "").strip().lower()
    if forced and forced not in PATHS:
        raise ValueError(f"{PATH_VARIABLE}={forced!r}: choose one of {', '.join(PATHS)}")
    return "gx" if wants_gx_artefact or forced == "gx" else "direct"


@cache
def _plans() -> dict[str, list[dict[str, Any]]]:
    return {task: [{"type": rule.expectation_type, "codes": list(rule.codes), "severity": rule.severity,
                    "metric": rule.metric, "kwargs": rule.metric_kwargs()} for rule in registry.rules_for(task)]
            for task in registry.ALL_TASKS}


def plan(task: str) -> list[dict[str, Any]]:
    """The task's expectations as data: type, codes, severity, metric and its parameters."""
    return _plans()[task]


def suite_name(task: str) -> str:
    return f"clova_{task}"


def run(table: Any, context: dict[str, Any], task: str, escalate: frozenset[str] = frozenset(),
        tick: Callable[[int], None] | None = None) -> tuple[list[Finding], list[dict[str, Any]]]:
    """Findings and the per-expectation summary, as :func:`gx_clova.gx.validation.findings_of` gives them.

    ``tick(1)`` is called after each expectation (a progress bar). The kernels run on
    :data:`WORKERS` threads (they are pure functions of the table; the heavy ones, duplicates and
    text quality, spend most of their time in pyarrow without the GIL); the results are taken in
    the suite's order, so the report does not depend on which finished first.
    """
    steps = plan(task)
    with ThreadPoolExecutor(WORKERS, thread_name_prefix="gx-clova-rules") as pool:
        pending: dict[str, Future] = {}
        for step in steps:  # one computation per metric configuration, as GX does
            key = _key(step)
            if step["metric"] != ROW_COUNT and key not in pending:
                pending[key] = pool.submit(_findings, step, table, context)
        return _collect(steps, pending, table.num_rows, escalate, tick)


def _key(step: dict[str, Any]) -> str:
    return json.dumps([step["metric"], step["kwargs"]], sort_keys=True)


def _findings(step: dict[str, Any], table: Any, context: dict[str, Any]) -> list[dict[str, Any]]:
    found = registry.kernel(step["metric"])(table, context, **step["kwargs"])
    return [f.to_dict() for f in attach(found, table)]


def _collect(steps: list[dict[str, Any]], pending: dict[str, Future], rows: int, escalate: frozenset[str],
             tick: Callable[[int], None] | None) -> tuple[list[Finding], list[dict[str, Any]]]:
    findings: list[Finding] = []
    summary: list[dict[str, Any]] = []
    for step in steps:
        codes = list(step["codes"])
        # Escalation makes an expectation critical, as suites.escalated does on the GX path.
        severity = "critical" if set(codes) & escalate else step["severity"]
        if step["metric"] == ROW_COUNT:
            failures = _row_count(rows, codes[0], step["kwargs"])
        else:
            failures = [f for f in pending[_key(step)].result() if f["code"] in codes]
        # As on the GX path: a warning-severity expectation succeeds and carries its findings.
        success = not failures or severity != "critical"
        for failure in failures:
            finding = Finding.from_dict(failure)
            finding.severity = ERROR if severity == "critical" else WARNING
            findings.append(finding)
        summary.append({"type": step["type"], "success": success, "severity": severity, "codes": codes})
        if tick is not None:
            tick(1)
    return findings, summary


def _row_count(rows: int, code: str, kwargs: dict[str, Any]) -> list[dict[str, Any]]:
    low, high = kwargs.get("min_value"), kwargs.get("max_value")
    if (low is None or rows >= low) and (high is None or rows <= high):
        return []
    return [{
        "code": code,
        "severity": CATALOGUE[code].severity,
        "message": row_count_message(code, rows, low, high),
        "count": 1,
        "lines": [],
        "details": {"rows": rows, "min_value": low, "max_value": high},
    }]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gx_clova.direct",
                                     description="Print the direct path's plan (from the rule registry).")
    parser.parse_args(argv)
    print(json.dumps(_plans(), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
