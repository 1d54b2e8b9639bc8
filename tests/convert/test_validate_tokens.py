"""``validate --tokens MODEL``: the token plan joins the report; the verdict stays the validation's."""

from __future__ import annotations

import json
from pathlib import Path

from gx_clova.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "generation.csv"


def run(capsys, *argv):
    capsys.readouterr()
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_plan_is_a_section_of_the_report(capsys, monkeypatch, tmp_path):
    monkeypatch.delenv("CLOVASTUDIO_API_KEY", raising=False)
    monkeypatch.setenv("GX_CLOVA_STATE_DIR", str(tmp_path))
    code, out, _ = run(capsys, "validate", EXAMPLE, "--tokens", "HCX-DASH-001", "--format", "json")
    report = json.loads(out)
    assert code == 0 and report["success"] is True
    plan = report["tokens"]
    assert plan["model"] == "HCX-DASH-001" and plan["method"] == "estimate" and plan["rows"] == report["rows"]
    assert plan["total_tokens"] == plan["tokens_per_epoch"] * 8 > 0
    code, out, _ = run(capsys, "validate", EXAMPLE, "--tokens", "HCX-003")
    assert code == 0 and out.startswith("PASSED")
    section = out.split("token plan for", 1)[1]
    assert "HCX-003" in section and f"{plan['tokens_per_epoch']:,} tokens per epoch" in section
    assert "(ESTIMATE)" in section


def test_bad_token_options_are_usage_errors_before_reading(capsys, tmp_path):
    code, _, err = run(capsys, "validate", tmp_path / "missing.csv", "--tokens", "HCX-9")
    assert code == 2 and "--tokens must be one of HCX-003" in err
    code, _, err = run(capsys, "validate", tmp_path / "missing.csv", "--tokens", "HCX-003", "--format", "junit")
    assert code == 2 and "--tokens works with --format text or json" in err
