"""Every fix case in tests/cases/fixes.yml: the real fix, the real validation of its output.

A case is a source file (``content`` with ``{U+XXXX}`` and ``{0xHH}`` placeholders, optional
``encoding``/``bom``/``newline``/``name_as``; ``pad: N`` appends N plain single-turn rows so the
row-count rules hold), fix options, and what must come out: the fixed file's first lines
(``output``), changes that must be logged (``changes``: [line, code, column, before, after]),
codes that must not be (``no_changes``), whether the fixed file passes, the errors that remain
with the source's lines (``remaining``), fates in the mapping file, the detected encoding.
"""

from __future__ import annotations

import json
import os
import re

import pytest
import yaml

from gx_clova.fix import fix
from gx_clova.fix.changes import read_changes, read_mapping

CASES_FILE = os.path.join(os.path.dirname(__file__), "cases", "fixes.yml")
with open(CASES_FILE, encoding="utf-8") as handle:
    CASES = yaml.safe_load(handle)

#: What fix repairs, by the code the change log files it under; each needs a case that logs it.
FIXED_CODES = {"file.encoding", "file.blank-row", "file.blank-column", "header.column-case", "header.column-order",
               "header.duplicate-column", "header.missing-column", "header.unexpected-column", "c_id.sequence",
               "t_id.sequence", "text.not-nfc", "duplicate.row"}
#: What it cannot repair; each needs a case where it remains (and is reported on the source's line).
UNFIXABLE_CODES = {"file.format", "file.encoding", "file.blank-column", "header.missing-column",
                   "header.unexpected-column", "header.duplicate-column", "rows.too-few", "c_id.sequence",
                   "text.empty", "completion.empty", "row.too-long", "system_prompt.inconsistent",
                   "class.label-format"}


def _characters(text):
    """``{U+1112}`` → the character; ``{가*8001}`` → 8,001 of them."""
    if not isinstance(text, str):
        return text
    text = re.sub(r"\{(.)\*(\d+)\}", lambda m: m.group(1) * int(m.group(2)), text)
    return re.sub(r"\{U\+([0-9A-Fa-f]{4,6})\}", lambda m: chr(int(m.group(1), 16)), text)


PAD_CSV = "pad{i},0,패딩 질문 {i},패딩 답 {i}"
PAD_JSONL = '{{"C_ID": "pad{i}", "T_ID": 0, "Text": "패딩 질문 {i}", "Completion": "패딩 답 {i}"}}'


def source_bytes(case: dict) -> bytes:
    content = _characters(case["content"])
    jsonl = case.get("name_as", "").endswith(".jsonl")
    template = case.get("pad_row", PAD_JSONL if jsonl else PAD_CSV)
    content += "".join(template.format(i=i) + "\n" for i in range(case.get("pad", 100 if "pad_row" in case else 0)))
    if case.get("newline") == "crlf":
        content = content.replace("\n", "\r\n")
    data = content.encode(case.get("encoding", "utf-8"))
    data = re.sub(rb"\{0x([0-9A-Fa-f]{2})\}", lambda m: bytes([int(m.group(1), 16)]), data)
    if case.get("bom"):
        data = b"\xef\xbb\xbf" + data
    return data


def run_case(case: dict, tmp_path):
    source = tmp_path / case.get("name_as", "train.csv")
    data = source_bytes(case)
    source.write_bytes(data)
    output = tmp_path / case.get("output_as", "fixed" + os.path.splitext(str(source))[1])
    rejects = str(tmp_path / "rejects.jsonl") if case.get("rejects") else None
    result = fix(str(source), str(output), task=case.get("task", "generation"), rejects=rejects,
                 drop_duplicates=case.get("drop_duplicates", False),
                 drop_extra_columns=case.get("drop_extra_columns", False),
                 changes=str(tmp_path / case.get("changes_as", "changes.jsonl")))
    assert source.read_bytes() == data, "the source was modified"
    return result, output


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_fix_case(case, tmp_path):
    result, output = run_case(case, tmp_path)
    fixed = output.read_bytes()
    if "output" in case:
        expected = _characters(case["output"])
        if case.get("newline") == "crlf":
            expected = expected.replace("\n", "\r\n")
        assert fixed.decode("utf-8").startswith(expected), fixed.decode("utf-8", "replace")[:800]
    logged = read_changes(result.changes_path)
    assert logged == [c.to_dict() for c in result.changes]
    for line, code, column, before, after in ([_characters(x) for x in c] for c in case.get("changes") or []):
        wanted = {"line": line, "code": code, "column": column, "before": before, "after": after}
        assert any({k: c[k] for k in wanted} == wanted for c in logged), (wanted, logged[:20])
    for code in case.get("no_changes") or []:
        assert not [c for c in logged if c["code"] == code], code
    remaining = {r["code"]: r["lines"] for r in result.remaining}
    if "remaining" in case:
        assert remaining == {k: list(v) for k, v in case["remaining"].items()}
    if "passes" in case:
        assert result.passed is case["passes"], result.remaining
    for fate, count in (case.get("fates") or {}).items():
        assert result.records[fate] == count, (fate, result.records)
    if "source_encoding" in case:
        assert result.source_encoding == case["source_encoding"]
    if "mapping" in case:
        mapping = {int(m["line"]): m for m in read_mapping(result.mapping_path)}
        for line, expected in case["mapping"].items():
            got = mapping[int(line)]
            assert [got["new_C_ID"], got["new_T_ID"], got["fate"]] == [str(x) if x is not None else "" for x in
                                                                         expected[:2]] + [expected[2]], line
    if "rejected_lines" in case:
        with open(result.rejects_path, encoding="utf-8") as handle:
            assert [json.loads(l)["line"] for l in handle] == case["rejected_lines"]
    _assert_accounted(result, source_bytes(case), output)


def _assert_accounted(result, data: bytes, output) -> None:
    """The mapping names every source record once; the fixed file holds exactly the kept ones."""
    mapping = read_mapping(result.mapping_path)
    lines = [int(m["line"]) for m in mapping]
    assert len(lines) == len(set(lines)) == result.records["source"]
    written = sorted(int(m["new_line"]) for m in mapping if m["new_line"])
    assert len(written) == len(set(written))
    assert all(m["fate"] in ("kept", "kept-unfixable") for m in mapping if m["new_line"])
    assert not [m for m in mapping if not m["new_line"] and m["fate"] in ("kept", "kept-unfixable")]


def test_every_fix_and_every_unfixable_fault_has_a_case():
    logged = {c[1] for case in CASES for c in case.get("changes") or []}
    left = {code for case in CASES for code in case.get("remaining") or {}}
    assert FIXED_CODES - logged == set()
    assert UNFIXABLE_CODES - left == set()
    assert any(case.get("passes") is True for case in CASES) and any(case.get("passes") is False for case in CASES)

