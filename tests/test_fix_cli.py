"""``gx-clova fix`` as a user runs it: the broken example round trip, exit statuses, side files."""

from __future__ import annotations

import hashlib
import json
import os
import shutil

import pytest
from cli_inprocess import run_cli as run  # the CLI, in this process

from gx_clova.fix import fix
from gx_clova.fix.changes import read_changes, read_mapping
from gx_clova.validation import validate

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BROKEN = os.path.join(ROOT, "examples", "broken.csv")


def sha256(path) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def test_broken_example_round_trip(tmp_path):
    before = sha256(BROKEN)
    fixed = tmp_path / "fixed.csv"
    result = run("fix", BROKEN, "--output", str(fixed))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    # What is left names the source's lines: the ones validate reported, minus what fix fixed.
    for code, where in (("file.format", "line 145"), ("completion.empty", "line 20"), ("row.too-long", "line 39"),
                        ("system_prompt.inconsistent", "lines 67, 70, 71")):
        line = next(l for l in result.stdout.splitlines() if f"✗ {code}" in l)
        assert where in line, line
    assert "c_id.sequence" not in result.stdout.split("FAILED")[1]  # fixed, so not among the faults left
    assert sha256(BROKEN) == before

    rejects = tmp_path / "rejects.jsonl"
    result = run("fix", BROKEN, "--output", str(fixed), "--rejects", str(rejects))
    assert result.returncode == 0, result.stdout + result.stderr
    assert run("validate", str(fixed)).returncode == 0
    assert sha256(BROKEN) == before
    moved = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    assert {m["line"] for m in moved} >= {20, 39, 67, 70, 71, 145}
    assert all(m["code"] for m in moved)

    mapping = read_mapping(str(tmp_path / "fixed.mapping.csv"))
    assert len(mapping) == 130  # 128 rows + 1 blank row + 1 record that does not parse
    fates = {int(m["line"]): m["fate"] for m in mapping}
    assert fates[123] == "removed-blank" and fates[145] == "rejected" and fates[2] == "kept"
    changes = read_changes(str(tmp_path / "fixed.changes.jsonl"))
    assert {"line": 104, "code": "t_id.sequence", "column": "T_ID", "before": "7", "after": 3} in [
        {k: c[k] for k in ("line", "code", "column", "before", "after")} for c in changes]


def test_the_python_api_fixes_and_validates(tmp_path):
    result = fix(BROKEN, str(tmp_path / "fixed.jsonl"), rejects=str(tmp_path / "rejects.jsonl"))
    assert result.passed is True
    assert result.source_encoding == "utf-8"
    assert result.records["source"] == 130 and result.records["removed-blank"] == 1
    assert validate(str(tmp_path / "fixed.jsonl")).success


@pytest.mark.parametrize("output", ["same", "relative", "symlink"])
def test_fix_refuses_to_overwrite_its_source(tmp_path, output):
    source = tmp_path / "train.csv"
    shutil.copy(BROKEN, source)
    target = {"same": str(source), "relative": os.path.join(".", "sub", "..", "train.csv"),
              "symlink": str(tmp_path / "link.csv")}[output]
    if output == "symlink":
        os.symlink(source, target)
    result = run("fix", str(source), "--output", target, cwd=str(tmp_path))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "never overwrites the source" in result.stderr
    assert sha256(source) == sha256(BROKEN)


def test_usage_errors_and_unreadable_sources(tmp_path):
    assert run("fix", BROKEN, "--output", str(tmp_path / "fixed.txt")).returncode == 2
    clash = run("fix", BROKEN, "--output", str(tmp_path / "a.csv"), "--changes", str(tmp_path / "a.csv"))
    assert clash.returncode == 2 and "same file" in clash.stderr
    assert run("fix", BROKEN).returncode == 2  # --output is required
    missing = run("fix", str(tmp_path / "missing.csv"), "--output", str(tmp_path / "fixed.csv"))
    assert missing.returncode == 3 and "cannot read" in missing.stderr
    assert not (tmp_path / "fixed.csv").exists()


def test_change_log_as_csv_and_summary_as_json(tmp_path):
    result = run("fix", BROKEN, "--output", str(tmp_path / "fixed.csv"), "--changes", str(tmp_path / "log.csv"),
                 "--mapping", str(tmp_path / "ids.csv"), "--format", "json")
    assert result.returncode == 1
    summary = json.loads(result.stdout)
    assert summary["passed"] is False and summary["changes_file"].endswith("log.csv")
    assert {r["code"] for r in summary["remaining"]} == {"file.format", "completion.empty", "row.too-long",
                                                         "system_prompt.inconsistent"}
    header = (tmp_path / "log.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "line,code,column,before,after,note"
    assert read_mapping(str(tmp_path / "ids.csv"))[0]["line"] == "2"


def test_a_utf16_file_that_does_not_decode_is_not_half_fixed(tmp_path):
    source = tmp_path / "train.csv"
    source.write_bytes("C_ID,T_ID,Text,Completion\n0,0,안녕,b\n".encode("utf-16") + b"\x00\xd8")  # lone surrogate
    result = run("fix", str(source), "--output", str(tmp_path / "fixed.csv"))
    assert result.returncode == 1
    assert "cannot be re-encoded without loss" in result.stderr
    assert not (tmp_path / "fixed.csv").exists()
