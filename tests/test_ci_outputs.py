"""Reports for CI systems: golden JUnit / SARIF / GitHub files, their structure, and `gx-clova gate`.

Golden files are in tests/golden/; after an intended change, rewrite them with
``GX_CLOVA_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_ci_outputs.py`` and review the diff.
"""

from __future__ import annotations

import hashlib
import json
import os
import xml.etree.ElementTree as ET

import pytest
from cli_inprocess import Ran
from cli_inprocess import run_cli as run  # the CLI, in this process

from gx_clova.findings import Finding
from gx_clova.formats import common, github, sarif
from gx_clova.report import Report

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOLDEN = os.path.join(ROOT, "tests", "golden")
BROKEN = "examples/broken.csv"  # relative: CI tools want repository paths


def golden(name: str, text: str) -> None:
    path = os.path.join(GOLDEN, name)
    if os.environ.get("GX_CLOVA_UPDATE_GOLDEN"):
        os.makedirs(GOLDEN, exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    with open(path, encoding="utf-8") as handle:
        assert text == handle.read(), f"{name} differs from the golden file (see the module docstring)"


@pytest.fixture(scope="module")
def outputs() -> dict[str, Ran]:
    return {fmt: run("validate", BROKEN, "--format", fmt) for fmt in ("junit", "sarif", "github")}


@pytest.mark.parametrize("fmt, name", [("junit", "broken.junit.xml"), ("sarif", "broken.sarif"), ("github", "broken.github.txt")])
def test_golden(outputs, fmt, name):
    result = outputs[fmt]
    assert result.returncode == 1, result.stderr
    golden(name, result.stdout)


def test_sarif_has_one_result_per_failing_line_with_file_and_line(outputs):
    log = json.loads(outputs["sarif"].stdout)
    report = json.loads(run("validate", BROKEN, "--format", "json").stdout)
    assert log["version"] == "2.1.0"
    [run_] = log["runs"]
    rules = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    assert rules == [f["code"] for f in report["failures"]]
    with open(os.path.join(ROOT, BROKEN), "rb") as handle:
        assert run_["artifacts"][0]["hashes"]["sha-256"] == hashlib.sha256(handle.read()).hexdigest()
    severity = {f["code"]: f["severity"] for f in report["failures"]}
    lines = sorted((r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
                   for r in run_["results"] if "region" in r["locations"][0]["physicalLocation"])
    assert lines == sorted((f["code"], line) for f in report["failures"] for line in f["lines"])
    for result in run_["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == BROKEN
        assert result["level"] == severity[result["ruleId"]]
        assert result["message"]["text"]


def _report(finding: Finding, uri: str = "data/train.csv") -> Report:
    return Report.build("generation", {"uri": uri, "bytes": 1, "sha256": "0" * 64, "encoding": "utf-8"}, 5000, [finding])


def test_sarif_caps_each_code_and_says_how_many_more():
    many = _report(Finding("text.empty", "m", list(range(2, 2 + sarif.SARIF_LINES_PER_CODE + 250))))
    results = json.loads(sarif.sarif([many]))["runs"][0]["results"]
    assert len(results) == sarif.SARIF_LINES_PER_CODE + 1
    assert results[-1]["message"]["text"].startswith("250 more line(s) with text.empty")
    assert results[-1]["properties"]["count"] == sarif.SARIF_LINES_PER_CODE + 250


def test_github_annotations_cannot_be_broken_out_of():
    hostile = "100% wrong\n::warning file=x::injected, also: here\r"
    finding = Finding("class.label-format", hostile, [7], details={"problems": [f"line 7: label {hostile}"]})
    text = github.github([_report(finding, uri="data/a,b:c.csv")])
    commands = [line for line in text.splitlines() if line.startswith("::")]
    assert len(commands) == 1, text
    assert commands[0].startswith("::error file=data/a%2Cb%3Ac.csv,line=7,title=class.label-format (C3)::label 100%25 wrong%0A::warning")
    assert "%0D" in commands[0]


def test_paths_are_repository_relative(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert common.artifact_path(str(tmp_path / "data" / "t.csv")) == "data/t.csv"
    assert common.artifact_path("/elsewhere/t.csv") == "/elsewhere/t.csv"
    assert common.artifact_path("s3://bucket/t.csv") == "s3://bucket/t.csv"


# -- gx-clova gate -------------------------------------------------------------------------------
def test_gate_passes_only_when_every_dataset_passes():
    good = run("gate", "examples/generation.csv", "examples/classification.csv")
    assert good.returncode == 0, good.stdout + good.stderr
    assert good.stdout.rstrip().endswith("gate: 2 passed, 0 failed, 0 unreadable")
    bad = run("gate", "examples/generation.csv", BROKEN, "--format", "junit")
    assert bad.returncode == 1
    suites = ET.fromstring(bad.stdout).findall("testsuite")
    assert [s.get("failures") != "0" for s in suites] == [False, True]


def test_gate_an_unreadable_dataset_is_exit_3_and_reported_in_every_format(tmp_path):
    missing = "examples/does-not-exist.csv"
    sarif = run("gate", BROKEN, missing, "--format", "sarif")
    assert sarif.returncode == 3, sarif.stderr
    golden("gate.sarif", sarif.stdout)
    [invocation] = json.loads(sarif.stdout)["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    assert missing in invocation["toolExecutionNotifications"][0]["message"]["text"]
    github = run("gate", missing, "--format", "github")
    assert github.returncode == 3 and f"::error file={missing},title=gx-clova%3A unreadable::" in github.stdout
    out = tmp_path / "gate.json"
    data = run("gate", "examples/generation.csv", missing, "--format", "json", "--output", str(out))
    assert data.returncode == 3
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["success"] is False and report["unreadable"][0]["source"] == missing
    assert report["reports"][0]["success"] is True


def test_gate_writes_one_site_listing_every_dataset(tmp_path):
    docs = tmp_path / "docs"
    result = run("gate", "examples/generation.csv", BROKEN, "--docs", str(docs))
    assert result.returncode == 1, result.stderr
    index = (docs / "index.html").read_text(encoding="utf-8")
    pages = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.html") if "validations" in p.parts)
    assert len(pages) == 2
    for page in pages:
        assert 'href="validations/' in index
    assert "examples › generation.csv" in index and "examples › broken.csv" in index, "runs are named after files"
