"""``gx-clova convert``: golden files per format, the accounting of every record, path safety."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from gx_clova.cli import main
from gx_clova.convert.formats import REJECT_CODES

GOLDEN = Path(__file__).parent / "golden"
FORMATS = ("openai", "sharegpt", "alpaca")


def run(capsys, *argv) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("given", ["explicit", "auto"])
def test_golden_output_and_rejects(tmp_path, capsys, fmt, given):
    source = tmp_path / f"{fmt}.jsonl"
    shutil.copy(GOLDEN / f"{fmt}.jsonl", source)
    before = source.read_bytes()
    output = tmp_path / "out.csv"
    code, out, err = run(capsys, "convert", source, "--from", fmt if given == "explicit" else "auto",
                         "--output", output, "--format", "json")
    assert code == 1, err  # the goldens hold records that cannot be represented
    assert source.read_bytes() == before
    assert output.read_bytes() == (GOLDEN / f"{fmt}.expected.csv").read_bytes()
    rejects = tmp_path / "out.rejects.jsonl"
    assert rejects.read_bytes() == (GOLDEN / f"{fmt}.expected.rejects.jsonl").read_bytes()
    summary = json.loads(out)
    assert summary["format"] == fmt
    # every record is accounted for: converted, or rejected with its line
    data_lines = [n for n, line in enumerate(before.decode().splitlines(), 1) if line.strip()]
    rejected = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    assert summary["records"] == len(data_lines) == summary["converted"] + summary["rejected"]
    assert summary["rejected"] == len(rejected)
    assert {r["code"] for r in rejected} <= set(REJECT_CODES)
    lines = source.read_text(encoding="utf-8").splitlines()
    for entry in rejected:  # the rejects file holds each rejected record exactly as it was written
        assert entry["record"] == lines[entry["line"] - 1]
    assert str(rejects) in err


def test_golden_codes_cover_what_the_issue_names():
    seen = set()
    for fmt in FORMATS:
        for line in (GOLDEN / f"{fmt}.expected.rejects.jsonl").read_text(encoding="utf-8").splitlines():
            seen.add(json.loads(line)["code"])
    for code in ("convert.tool-call", "convert.multimodal", "convert.not-alternating", "convert.assistant-first",
                 "convert.empty-content", "convert.system-not-first"):
        assert code in seen


def test_jsonl_output_by_extension(tmp_path, capsys):
    output = tmp_path / "out.jsonl"
    code, _, _ = run(capsys, "convert", GOLDEN / "openai.jsonl", "--output", output,
                     "--rejects", tmp_path / "r.jsonl")
    assert code == 1
    assert output.read_bytes() == (GOLDEN / "openai.expected.jsonl").read_bytes()


def test_clean_source_exits_0_and_writes_no_rejects(tmp_path, capsys):
    source = tmp_path / "clean.jsonl"
    source.write_text(json.dumps({"instruction": "더하기", "input": "1+1", "output": "2"}) + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "convert", source, "--output", tmp_path / "out.csv")
    assert code == 0
    assert "1 record(s): 1 converted" in out and "0 rejected" in out
    assert not (tmp_path / "out.rejects.jsonl").exists()
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == 'C_ID,T_ID,Text,Completion\n0,0,"더하기\n\n1+1",2\n'


def test_auto_refuses_mixed_formats_naming_lines(tmp_path, capsys):
    source = tmp_path / "mixed.jsonl"
    lines = (GOLDEN / "openai.jsonl").read_text(encoding="utf-8").splitlines()[:2]
    lines += (GOLDEN / "alpaca.jsonl").read_text(encoding="utf-8").splitlines()[:1]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    output = tmp_path / "out.csv"
    code, _, err = run(capsys, "convert", source, "--output", output)
    assert code == 1
    assert "mixes formats" in err
    assert "openai on 2 line(s) (lines 1, 2)" in err and "alpaca on 1 line(s) (line 3)" in err
    assert not output.exists()
    # choosing a format turns the other records into rejects, with their lines
    code, out, _ = run(capsys, "convert", source, "--from", "openai", "--output", output, "--format", "json")
    assert code == 1 and json.loads(out)["rejects"] == {"convert.wrong-format": {"count": 1, "lines": [3]}}


@pytest.mark.parametrize("target", ["same", "symlink"])
def test_output_equal_to_source_is_refused(tmp_path, capsys, target):
    source = tmp_path / "data.jsonl"
    shutil.copy(GOLDEN / "openai.jsonl", source)
    before = source.read_bytes()
    output = source
    if target == "symlink":
        output = tmp_path / "link.jsonl"
        output.symlink_to(source)
    code, _, err = run(capsys, "convert", source, "--output", output)
    assert code == 2 and "never writes over its input" in err
    code, _, err = run(capsys, "convert", source, "--output", tmp_path / "o.csv", "--rejects", output)
    assert code == 2 and "--rejects" in err
    assert source.read_bytes() == before


def test_usage_and_unreadable(tmp_path, capsys):
    source = tmp_path / "data.jsonl"
    shutil.copy(GOLDEN / "alpaca.jsonl", source)
    code, _, err = run(capsys, "convert", source, "--output", tmp_path / "out.txt")
    assert code == 2 and "--output must end in .csv or .jsonl" in err
    code, _, err = run(capsys, "convert", tmp_path / "missing.jsonl", "--output", tmp_path / "out.csv")
    assert code == 3 and "cannot read" in err
    array = tmp_path / "array.json"
    array.write_text(json.dumps([{"instruction": "a", "input": "", "output": "b"}]), encoding="utf-8")
    code, _, err = run(capsys, "convert", array, "--output", tmp_path / "out.csv")
    assert code == 2 and "JSON Lines" in err and "Traceback" not in err
    assert not (tmp_path / "out.csv").exists()


def test_undecodable_line_is_rejected_not_dropped(tmp_path, capsys):
    source = tmp_path / "data.jsonl"
    good = json.dumps({"instruction": "q", "input": "", "output": "a"}).encode()
    source.write_bytes(good + b"\n" + b'{"instruction": "\xb0\xa1", "input": "", "output": "a"}\n' + good + b"\n")
    code, out, _ = run(capsys, "convert", source, "--output", tmp_path / "out.csv", "--format", "json")
    summary = json.loads(out)
    assert code == 1 and summary["converted"] == 2 and summary["rejects"]["convert.bad-json"]["lines"] == [2]
    entry = json.loads((tmp_path / "out.rejects.jsonl").read_text(encoding="utf-8"))
    assert entry["line"] == 2 and "not UTF-8" in entry["message"] and "\\xb0\\xa1" in entry["record"]


def test_openai_developer_role_is_the_system_prompt(tmp_path, capsys):
    source = tmp_path / "dev.jsonl"
    source.write_text(json.dumps({"messages": [{"role": "developer", "content": "짧게 답하라."},
                                               {"role": "user", "content": "안녕"},
                                               {"role": "assistant", "content": "안녕하세요"}]},
                                 ensure_ascii=False) + "\n", encoding="utf-8")
    code, _, _ = run(capsys, "convert", source, "--output", tmp_path / "out.csv")
    assert code == 0
    assert (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines() == [
        "System_Prompt,C_ID,T_ID,Text,Completion", "짧게 답하라.,0,0,안녕,안녕하세요"]
