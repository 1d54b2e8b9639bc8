"""docs/report.schema.json is the JSON report's contract: every report the commands print follows it.

(tests/test_rule_cases.py validates every rule case's report against it as well.)
"""

from __future__ import annotations

import json
import os

import jsonschema
import pytest

from gx_clova import spec
from gx_clova.cli import main
from gx_clova.codes import CATALOGUE
from gx_clova.report import SCHEMA_VERSION

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "examples")


def _printed(capsys, *argv: str) -> tuple[int, dict]:
    status = main(list(argv))
    return status, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("name, task, status", [("generation.csv", "generation", 0),
                                                ("classification.csv", "classification", 0),
                                                ("broken.csv", "generation", 1)])
def test_validate_json_follows_the_schema(report_schema, capsys, name, task, status):
    got, report = _printed(capsys, "validate", os.path.join(EXAMPLES, name), "--task", task, "--format", "json")
    assert got == status
    assert report["schema_version"] == SCHEMA_VERSION
    report_schema.validate(report)
    assert report["failures"] or status == 0


def test_gate_json_follows_the_schema(report_schema, capsys, tmp_path):
    missing = str(tmp_path / "missing.csv")
    got, verdict = _printed(capsys, "gate", os.path.join(EXAMPLES, "broken.csv"), missing, "--format", "json")
    assert got == 3
    assert verdict["schema_version"] == SCHEMA_VERSION
    report_schema.validate(verdict)
    assert [u["source"] for u in verdict["unreadable"]] == [missing]


def test_checkpoint_json_follows_the_schema(report_schema, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    got, report = _printed(capsys, "checkpoint", "clova_generation_local", os.path.join(EXAMPLES, "broken.csv"),
                           "--format", "json")
    assert got == 1
    assert report["checkpoint"] == "clova_generation_local"
    report_schema.validate(report)


def test_the_schema_rejects_what_breaks_the_contract(report_schema, capsys):
    _, report = _printed(capsys, "validate", os.path.join(EXAMPLES, "broken.csv"), "--format", "json")
    for broken in (
        {k: v for k, v in report.items() if k != "schema_version"},
        {**report, "failures": [{**report["failures"][0], "severity": "fatal"}]},
        {**report, "failures": [{**report["failures"][0], "lines": ["145"]}]},
        {**report, "source": {k: v for k, v in report["source"].items() if k != "sha256"}},
    ):
        with pytest.raises(jsonschema.ValidationError):
            report_schema.validate(broken)


def test_the_schema_admits_every_code_and_task(report_schema):
    code = report_schema.schema["$defs"]["code"]
    for name in CATALOGUE:
        jsonschema.validate(name, code)
    assert report_schema.schema["$defs"]["report"]["properties"]["task"]["enum"] == list(spec.TASKS)
