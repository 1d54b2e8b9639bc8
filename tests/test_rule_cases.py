"""Every rule case in tests/cases/rules.yml and quality.yml, through the real GX suite: on both
reader paths of the pandas engine, and on the Spark engine (streamed into Parquet), whose report
must equal the pandas engine's finding for finding (codes, lines, counts, messages, details)."""

from __future__ import annotations

import json
import os
import re

import pytest
import yaml

from gx_clova.codes import CATALOGUE
from gx_clova.reading import read_dataset
from gx_clova.rules.leakage import EvalSet
from gx_clova.sources import LocalSource
from gx_clova.validation import escalation, validate_dataset

CASES_DIR = os.path.join(os.path.dirname(__file__), "cases")
CASES = []
for _name in ("rules.yml", "quality.yml"):
    with open(os.path.join(CASES_DIR, _name), encoding="utf-8") as handle:
        CASES += yaml.safe_load(handle)


def _characters(text: str) -> str:
    """``{U+1112}`` → the character (keeps invisible and decomposed characters readable in YAML)."""
    return re.sub(r"\{U\+([0-9A-Fa-f]{4,6})\}", lambda m: chr(int(m.group(1), 16)), text)

HEADER = "C_ID,T_ID,Text,Completion"


def _generated(case: dict) -> tuple[str, dict[str, list[int]]]:
    """Content for generated cases, and the lines of each label's rows."""
    rows: list[str] = [HEADER]
    label_lines: dict[str, list[int]] = {}
    if "rows" in case:
        rows += [f"{i},0,질문 {i},답변 {i}" for i in range(case["rows"])]
    if "labels" in case:
        i = 0
        for label, count in case["labels"].items():
            for _ in range(count):
                rows.append(f'{i},0,문의 {i},"{label}"')
                label_lines.setdefault(label, []).append(len(rows))
                i += 1
    if "long_rows" in case:
        line = 2
        for i, (text_len, completion_len) in enumerate(case["long_rows"]):
            text = ("가 " * text_len)[:text_len]
            if i == 0:
                text = text[:5] + "\n" + text[6:]
            rows.append(f'{i},0,"{text}",{("나" * completion_len)}')
            line += 1 + text.count("\n")
    return "\n".join(rows) + "\n", label_lines


def _write(case: dict, tmp_path) -> tuple[str, dict[str, list[int]]]:
    content, label_lines = (_characters(case["content"]), {}) if "content" in case else _generated(case)
    if case.get("newline") == "crlf":
        content = content.replace("\n", "\r\n")
    data = content.encode(case.get("encoding", "utf-8"))
    if case.get("bom"):
        data = b"\xef\xbb\xbf" + data
    path = tmp_path / case.get("name_as", "train.csv")
    path.write_bytes(data)
    return str(path), label_lines


def _expected_lines(spec_value, label_lines: dict[str, list[int]]) -> list[int]:
    if isinstance(spec_value, str):  # "rows of A, B"
        labels = [s.strip() for s in spec_value.removeprefix("rows of ").split(",")]
        return sorted(line for label in labels for line in label_lines[label])
    return list(spec_value)


def _eval_set(case: dict, engine: str, tmp_path) -> EvalSet | None:
    if "eval" not in case:
        return None
    eval_path = tmp_path / case.get("eval_name_as", "eval.csv")
    eval_path.write_text(_characters(case["eval"]), encoding="utf-8")
    eval_dataset = read_dataset(LocalSource(str(eval_path)), exact=engine == "exact")
    return EvalSet.from_table(eval_dataset.table, str(eval_path), case.get("task", "generation"))


def _report(case: dict, path: str, engine: str, request, tmp_path):
    task = case.get("task", "generation")
    eval_set = _eval_set(case, engine, tmp_path)
    if engine == "spark":
        from gx_clova.reading.stream import stage_dataset
        from gx_clova.spark import validate_staged

        parts = tmp_path / "parts"
        parts.mkdir()
        staged = stage_dataset(LocalSource(path), str(parts))
        if "reported_bytes" in case:
            staged.facts.bytes = case["reported_bytes"]
        return validate_staged(staged, request.getfixturevalue("spark"), task=task, escalate=_escalate(case),
                               eval_set=eval_set)
    dataset = read_dataset(LocalSource(path), exact=engine == "exact")
    if "reported_bytes" in case:
        dataset.facts.bytes = case["reported_bytes"]
    return validate_dataset(dataset, task=task, eval_set=eval_set, escalate=_escalate(case))


def _escalate(case: dict) -> frozenset[str]:
    return escalation(case.get("strict", False), case.get("errors", ()))


PARAMS = [
    pytest.param(case, engine, id=f"{case['name']}-{engine}", marks=[pytest.mark.spark] if engine == "spark" else [])
    for case in CASES
    for engine in ("fast", "exact", "spark")
]


@pytest.mark.parametrize("case, engine", PARAMS)
def test_rule_case(case, engine, tmp_path, request, report_schema):
    path, label_lines = _write(case, tmp_path)
    report = _report(case, path, engine, request, tmp_path)
    if engine == "spark":
        assert report.extra["engine"] == "spark"
        arrow = _report(case, path, "fast", request, tmp_path)
        assert [f.to_dict() for f in report.failures] == [f.to_dict() for f in arrow.failures]
        assert (report.success, report.rows, report.extra.get("eval")) == \
            (arrow.success, arrow.rows, arrow.extra.get("eval"))
    found = {f.code: f.lines for f in report.failures}
    for code, lines in (case.get("expect") or {}).items():
        assert code in found, f"{code} not reported; got {sorted(found)}"
        assert found[code] == _expected_lines(lines, label_lines), code
    for code in case.get("absent") or []:
        assert code not in found, f"{code} reported on lines {found.get(code)}"
    if "success" in case:
        assert report.success is case["success"]
    if "detected" in case:
        assert report.source["encoding"] == case["detected"]
    severities = {f.code: f.severity for f in report.failures}
    for code, severity in (case.get("severity") or {}).items():
        assert severities[code] == severity, code
    rendered = json.dumps(report.to_dict(), ensure_ascii=False)
    report_schema.validate(json.loads(rendered))  # docs/report.schema.json, the report's contract
    for secret in case.get("hidden") or []:
        assert secret not in rendered, f"{secret!r} appears in the report unmasked"


def test_every_code_has_a_failing_and_a_passing_case():
    failing = {code for case in CASES for code in (case.get("expect") or {})}
    passing = {code for case in CASES for code in (case.get("absent") or [])}
    assert set(CATALOGUE) - failing == set()
    assert set(CATALOGUE) - passing == set()


def test_fast_and_exact_paths_agree_on_the_examples():
    root = os.path.join(os.path.dirname(__file__), "..", "examples")
    for name in ("generation.csv", "classification.csv", "broken.csv"):
        fast = read_dataset(LocalSource(os.path.join(root, name)))
        exact = read_dataset(LocalSource(os.path.join(root, name)), exact=True)
        assert fast.table.equals(exact.table), name
        assert [f.to_dict() for f in fast.findings] == [f.to_dict() for f in exact.findings]
