"""The command line as a user runs it: exit statuses, the JSON contract, no tracebacks.

Most tests run the CLI in this process (``run``, through ``gx_clova.cli.main``); the first two start
``python -m gx_clova`` for real (``run_process``), so the module entry point stays covered.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from cli_inprocess import run_cli as run

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "examples")


def run_process(*args: str, cwd: str = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gx_clova", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_valid_dataset_exits_0_and_prints_passed():
    result = run_process("validate", os.path.join(EXAMPLES, "generation.csv"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("PASSED")
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_a_missing_file_exits_3_with_one_line_and_no_traceback():
    result = run_process("validate", "/nonexistent/train.csv")
    assert result.returncode == 3
    assert result.stderr.startswith("gx-clova: cannot read the source:") and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_broken_dataset_json_contract(tmp_path):
    out = tmp_path / "report.json"
    result = run("validate", os.path.join(EXAMPLES, "broken.csv"), "--format", "json", "--output", str(out))
    assert result.returncode == 1
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["success"] is False
    assert report["task"] == "generation"
    assert set(report["source"]) >= {"uri", "bytes", "sha256", "encoding"}
    assert report["source"]["bytes"] == os.path.getsize(os.path.join(EXAMPLES, "broken.csv"))
    assert len(report["source"]["sha256"]) == 64
    assert isinstance(report["rows"], int) and report["rows"] > 0
    by_code = {f["code"]: f for f in report["failures"]}
    for failure in report["failures"]:
        assert set(failure) >= {"code", "severity", "message", "count", "lines"}
        assert failure["severity"] in ("error", "warning")
    assert by_code["completion.empty"]["lines"] == [20]
    assert by_code["row.too-long"]["lines"] == [39]
    assert by_code["file.blank-row"]["lines"] == [123]
    assert by_code["file.format"]["lines"] == [145]
    assert by_code["rows.outside-recommended"]["severity"] == "warning"


def test_classification_task_and_junit():
    result = run("validate", os.path.join(EXAMPLES, "classification.csv"), "--task", "classification", "--format", "junit")
    assert result.returncode == 0, result.stderr
    suite = ET.fromstring(result.stdout)
    names = {case.get("name") for case in suite.iter("testcase")}
    assert "class.label-format (C3)" in names and "c_id.sequence (I1)" in names
    assert suite.get("failures") == "0"


def test_junit_failures_name_lines():
    result = run("validate", os.path.join(EXAMPLES, "broken.csv"), "--format", "junit")
    assert result.returncode == 1
    failures = {f.get("type"): f.text for f in ET.fromstring(result.stdout).iter("failure")}
    assert "line 20" in failures["completion.empty"]


@pytest.mark.parametrize(
    "args, status",
    [
        (("validate",), 2),
        (("validate", "x.csv", "--task", "poetry"), 2),
        (("frobnicate",), 2),
        ((), 2),
        (("validate", "/nonexistent/train.csv"), 3),
        (("validate", "/"), 3),
    ],
)
def test_exit_statuses(args, status):
    result = run(*args)
    assert result.returncode == status, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.strip(), "every non-zero exit says why"


def test_text_view_lists_first_lines_and_exact_count(tmp_path):
    path = tmp_path / "many.csv"
    rows = ["C_ID,T_ID,Text,Completion"] + [f"{i},0,,b" for i in range(150)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run("validate", str(path))
    assert result.returncode == 1
    line = next(l for l in result.stdout.splitlines() if "text.empty" in l)
    assert "150" in line and "(+140 more)" in line


def test_docs_are_written_and_escape_dataset_values(tmp_path):
    path = tmp_path / "evil.csv"
    payload = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    rows = ["C_ID,T_ID,Text,Completion"] + [f'{i},0,q,"{payload if i == 0 else "b"}"' for i in range(120)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    docs = tmp_path / "docs"
    result = run("validate", str(path), "--task", "classification", "--docs", str(docs))
    assert result.returncode == 1
    assert (docs / "index.html").is_file()
    pages = [p for p in docs.rglob("*.html")]
    html = "\n".join(p.read_text(encoding="utf-8") for p in pages)
    text = re.sub(r"<[^>]+>", "", html)
    assert "(**" not in text, "renders sentences, not expect_x(**kwargs)"
    assert "len(Text) + len(Completion) is at most 8,000 characters" in text
    assert "&lt;script&gt;alert(1)" in html, "the payload is shown, escaped"
    assert "<script>alert(1)</script>" not in html
    assert "onerror=alert(2)>" not in html


def test_checkpoint_command_runs_the_project_checkpoint():
    result = run("checkpoint", "clova_generation_local", os.path.join(EXAMPLES, "broken.csv"), "--format", "json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["checkpoint"] == "clova_generation_local"
    assert {f["code"] for f in report["failures"]} >= {"c_id.sequence", "row.too-long"}
