"""The expectation suites, built from code; ``expectations/*.json`` are generated from here.

``python -m gx_clova.suites --write`` regenerates the JSON; a test fails when code and JSON
drift. Every limit is written explicitly (GX omits values equal to a field's default, so a
default that changed would otherwise change a suite without a diff).
"""

from __future__ import annotations

import argparse
import json
import os
import uuid
from typing import Any

from great_expectations.core.expectation_suite import ExpectationSuite
from great_expectations.expectations.metadata_types import FailureSeverity

from gx_clova import __version__, registry, spec
from gx_clova.gx import severity_name
#: The parameters that are limits from the spec: always written into the suite JSON.
LIMITS = tuple(dict.fromkeys(name for rule in registry.RULES for name in rule.params))

SUITE_NAMES = {task: f"clova_{task}" for task in spec.TASKS}

#: Ids are derived from names, so the generated JSON is the same on every run and GX's
#: validation definitions can refer to a suite by an id that never changes.
_ID_NAMESPACE = uuid.UUID("6b1f3c1e-8f5d-4f1a-9a55-6763c0a1d2b0")


def expectation_class(name: str) -> type:
    """An expectation class of gx-clova by name."""
    import gx_clova.gx.expectations as ours

    return getattr(ours, name)


def from_rule(rule: registry.Rule) -> Any:
    """The rule's expectation as the shipped suites hold it: every limit written explicitly."""
    severity = {} if rule.severity == registry.CRITICAL else {"severity": rule.severity}
    return expectation_class(rule.expectation)(**rule.defaults(), **severity)


def codes_of(expectation: Any) -> tuple[str, ...]:
    """The failure codes an expectation reports."""
    return tuple(getattr(expectation, "codes", ()) or (getattr(expectation, "code", ""),))


def escalated(expectations: list[Any], codes: frozenset[str] | set[str]) -> list[Any]:
    """The expectations, with those reporting any of ``codes`` made errors (``severity="critical"``)."""
    for expectation in expectations:
        if set(codes_of(expectation)) & set(codes):
            expectation.severity = FailureSeverity.CRITICAL
    return expectations


def expectations_for(task: str, escalate: frozenset[str] | set[str] = frozenset()) -> list[Any]:
    """The task's expectations, from the registry (:mod:`gx_clova.registry`), in suite order."""
    return escalated([from_rule(rule) for rule in registry.rules_for(task)], escalate)


def build_suite(task: str = spec.DEFAULT_TASK, escalate: frozenset[str] | set[str] = frozenset()) -> ExpectationSuite:
    """The task's suite; ``escalate`` names warning codes to report as errors (``--strict``, ``--error``)."""
    expectations = expectations_for(task, escalate)
    name = SUITE_NAMES[task]
    suite = ExpectationSuite(
        name=name,
        id=str(uuid.uuid5(_ID_NAMESPACE, name)),
        expectations=expectations,
        meta={
            "gx_clova": {
                "task": task,
                "requires": "gx_clova",
                "version": __version__,
                # The guard: a loader compares this with what GX actually built (GX drops
                # expectations whose class is not imported, silently).
                "expectation_types": [e.expectation_type for e in expectations],
            }
        },
    )
    for index, expectation in enumerate(suite.expectations):
        expectation.id = str(uuid.uuid5(_ID_NAMESPACE, f"{name}/{index}/{expectation.expectation_type}"))
    return suite


def suite_json(task: str) -> dict[str, Any]:
    """The suite as it is stored in ``expectations/``: stable ids, ready for GX to read."""
    suite = build_suite(task)
    data = suite.to_json_dict()
    for built, expectation in zip(suite.expectations, data.get("expectations", []), strict=False):
        expectation.pop("rendered_content", None)
        # GX leaves out a value equal to its field's default; every limit is written anyway.
        for name in LIMITS:
            if getattr(built, name, None) is not None:
                expectation["kwargs"].setdefault(name, getattr(built, name))
        expectation["severity"] = getattr(built.severity, "value", built.severity)
    return data


def write_suites(directory: str, tasks: tuple[str, ...] | None = None) -> list[str]:
    os.makedirs(directory, exist_ok=True)
    written = []
    for task, name in SUITE_NAMES.items():
        if tasks is not None and task not in tasks:
            continue
        path = os.path.join(directory, f"{name}.json")
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(suite_json(task), handle, indent=2, ensure_ascii=False, sort_keys=True)
            handle.write("\n")
        written.append(path)
    return written


def plan_from_suite(task: str) -> list[dict[str, Any]]:
    """The task's GX suite as the direct path's plan data (:func:`gx_clova.direct.plan`): what GX
    computes for each expectation. A test compares the two."""
    from great_expectations.expectations.registry import get_metric_kwargs

    steps = []
    for expectation in build_suite(task).expectations:
        config = expectation.configuration
        metric = getattr(expectation, "findings_metric", "") or ""
        if metric:
            value_kwargs = get_metric_kwargs(metric, config)["metric_value_kwargs"] or {}
            kwargs = {k: v for k, v in dict(value_kwargs).items() if v is not None}
        elif getattr(expectation, "code", ""):  # the row-count expectations (GX's table.row_count)
            metric = registry.ROW_COUNT
            kwargs = {"min_value": expectation.min_value, "max_value": expectation.max_value}
        else:
            raise TypeError(f"{expectation.expectation_type}: the direct path does not know how to run it")
        steps.append({"type": expectation.expectation_type, "codes": list(codes_of(expectation)),
                      "severity": severity_name(config), "metric": metric, "kwargs": kwargs})
    return steps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gx_clova.suites", description=__doc__)
    parser.add_argument("--write", metavar="DIR", default="expectations", help="directory to write (default: expectations)")
    args = parser.parse_args(argv)
    for path in write_suites(args.write):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
