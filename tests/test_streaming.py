"""Streaming mode gives the very report the in-memory paths give, in bounded memory.

Every rule case (tests/cases/rules.yml, quality.yml), every fix case's source file, the example
files and the benchmark's faulted file are validated in memory (the direct path) and streamed
with batches of a few rows, so every rule crosses batch edges (C_ID runs, T_ID turns,
conversations for duplicates, System_Prompt per conversation, first-N problem lists); the JSON
reports must be identical apart from the timings and the ``streaming`` flag. The faulted
benchmark file is also compared with the Great Expectations path.
"""

from __future__ import annotations

import json
import os
import sys

import numpy as np
import pyarrow as pa
import pytest
from test_direct_path import TIMINGS
from test_fix_cases import CASES as FIX_CASES
from test_fix_cases import source_bytes
from test_rule_cases import CASES, _escalate, _eval_set, _report, _write

from gx_clova import direct, memory
from gx_clova.reading import stream as staging
from gx_clova.sources import LocalSource
from gx_clova.streaming import BATCH_ROWS_VARIABLE, validate_stream
from gx_clova.streaming.digest import cell_digests, combine, prefixes
from gx_clova.validation import validate

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
#: Rows per batch in the parity tests: small enough that every rule case crosses batch edges.
TINY = 3


def comparable(report) -> dict:
    data = report.to_dict()
    for key in (*TIMINGS, "streaming"):
        data.pop(key, None)
    return json.loads(json.dumps(data, ensure_ascii=False))


def _streamed(case: dict, path: str, tmp_path, monkeypatch, batch_rows: int | None):
    if "reported_bytes" in case:  # as _report does for the in-memory reader
        real = staging.stage_dataset

        def reported(*args, **kwargs):
            staged = real(*args, **kwargs)
            staged.facts.bytes = case["reported_bytes"]
            return staged

        monkeypatch.setattr(staging, "stage_dataset", reported)
    report = validate_stream(LocalSource(path), task=case.get("task", "generation"),
                             eval_set=_eval_set(case, "fast", tmp_path), escalate=_escalate(case),
                             batch_rows=batch_rows, work_dir=str(tmp_path))
    assert report.extra["streaming"] is True
    return report


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_rule_case_same_report_streamed(case, tmp_path, request, monkeypatch):
    path, _ = _write(case, tmp_path)
    monkeypatch.setenv(direct.PATH_VARIABLE, "direct")
    in_memory = comparable(_report(case, path, "fast", request, tmp_path))
    for batch_rows in (TINY, None):
        streamed = comparable(_streamed(case, path, tmp_path, monkeypatch, batch_rows))
        assert streamed == in_memory, batch_rows
    assert sorted(os.listdir(tmp_path)) == sorted(n for n in os.listdir(tmp_path) if not n.startswith("gx-clova-"))


@pytest.mark.parametrize("case", FIX_CASES, ids=[c["name"] for c in FIX_CASES])
def test_fix_case_source_same_report_streamed(case, tmp_path, monkeypatch):
    source = tmp_path / case.get("name_as", "train.csv")
    source.write_bytes(source_bytes(case))
    task = case.get("task", "generation")
    monkeypatch.setenv(direct.PATH_VARIABLE, "direct")
    in_memory = comparable(validate(str(source), task=task))
    monkeypatch.setenv(BATCH_ROWS_VARIABLE, "2")
    assert comparable(validate(str(source), task=task, stream=True)) == in_memory


def test_the_example_files_same_report_streamed(monkeypatch, report_schema):
    monkeypatch.setenv(BATCH_ROWS_VARIABLE, str(TINY))
    for name, task in (("generation.csv", "generation"), ("classification.csv", "classification"),
                       ("broken.csv", "generation")):
        path = os.path.join(ROOT, "examples", name)
        in_memory = comparable(validate(path, task=task, strict=True))
        streamed = validate(path, task=task, strict=True, stream=True)
        report_schema.validate(json.loads(streamed.to_json()))  # docs/report.schema.json
        assert comparable(streamed) == in_memory, name


def test_the_bench_faulted_file_same_report_on_all_three_paths(tmp_path, monkeypatch):
    """The benchmark's generator with --faults (multi-turn conversations, quoted newlines, an
    empty Text, a row over the limit, a C_ID jump): GX, direct and streaming agree, and the
    injected faults are found on their lines."""
    sys.path.insert(0, os.path.join(ROOT, "bench"))
    try:
        import generate
    finally:
        sys.path.remove(os.path.join(ROOT, "bench"))
    path = str(tmp_path / "faulty.csv")
    info = generate.generate(3_000, path, faults=True, quiet=True)
    reports = {}
    for way in ("gx", "direct"):
        monkeypatch.setenv(direct.PATH_VARIABLE, way)
        reports[way] = comparable(validate(path))
    monkeypatch.setenv(BATCH_ROWS_VARIABLE, "7")
    reports["stream"] = comparable(validate(path, stream=True))
    assert reports["stream"] == reports["direct"] == reports["gx"]
    lines = {f["code"]: f["lines"] for f in reports["stream"]["failures"]}
    for code, fault in info["faults"].items():
        assert fault["line"] in lines[code], code
    assert reports["stream"]["success"] is False


def test_prefix_digests_do_not_depend_on_the_batch_edges():
    rows = 50
    rng = np.random.default_rng(7)
    row = cell_digests(pa.array([str(x) for x in rng.integers(0, 6, rows)]))
    starts = rng.random(rows) < 0.3
    starts[0] = True
    whole = prefixes(row, starts, None)
    for cut in (1, 2, 13, 49):
        head = prefixes(row[:cut], starts[:cut], None)
        tail = prefixes(row[cut:], starts[cut:], head[-1])
        assert (np.concatenate([head, tail]) == whole).all(), cut
    # equal conversations give equal prefixes; a different earlier turn changes every later one
    same = prefixes(np.concatenate([row[:3], row[:3]]), np.array([True, False, False] * 2), None)
    assert (same[:3] == same[3:]).all()
    other = prefixes(np.concatenate([row[:3], row[[9, 1, 2]]]), np.array([True, False, False] * 2), None)
    assert not (other[3:] == same[3:]).all(axis=1).any() or (row[9] == row[0]).all()
    assert not (combine(row[:1], row[1:2]) == combine(row[1:2], row[:1])).all() or (row[0] == row[1]).all()


def test_duplicates_across_far_batch_edges_are_exact(tmp_path):
    """A conversation repeated 2,000 lines later, cut by a batch edge in a different place each
    time: reported on every turn, naming the first occurrence, streamed as in memory."""
    lines = ["C_ID,T_ID,Text,Completion"]
    for i in range(1200):
        lines.append(f"{i},0,질문 {i},답변 {i}")
    convo = [("안녕", "반가워요"), ("고마워요", "천만에요"), ("또 봐요", "네")]
    for c in (1200, 1201):
        lines += [f"{c},{t},{q},{a}" for t, (q, a) in enumerate(convo)]
    lines.append("1202,0,고마워요,천만에요")  # same follow-up, different conversation: not a duplicate
    lines.append("1203,0,질문 5,다른 답")  # same input as line 7, another answer: a conflict
    path = tmp_path / "train.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    in_memory = comparable(validate(str(path)))
    found = {f["code"]: f["lines"] for f in in_memory["failures"]}
    assert found["duplicate.row"] == [1205, 1206, 1207]
    assert found["label.conflict"] == [7, 1209]
    for batch_rows in (1, 2, 5, 64):
        streamed = validate_stream(LocalSource(str(path)), batch_rows=batch_rows, work_dir=str(tmp_path))
        assert comparable(streamed) == in_memory, batch_rows


def test_the_work_directory_is_removed_also_on_interrupt(tmp_path, monkeypatch):
    from gx_clova.streaming import checks

    work = tmp_path / "work"
    work.mkdir()
    path = os.path.join(ROOT, "examples", "broken.csv")
    validate_stream(LocalSource(path), batch_rows=5, work_dir=str(work))
    assert os.listdir(work) == []

    def interrupted(self, table):
        raise KeyboardInterrupt

    monkeypatch.setattr(checks.Checks, "feed", interrupted)
    with pytest.raises(KeyboardInterrupt):
        validate_stream(LocalSource(path), work_dir=str(work))
    assert os.listdir(work) == []


def test_cli_stream_names_the_mode_and_refuses_docs(tmp_path, capsys):
    from gx_clova.cli import main

    path = os.path.join(ROOT, "examples", "broken.csv")
    assert main(["validate", path, "--stream", "--progress", "never"]) == 1
    out = capsys.readouterr().out
    assert "streaming mode" in out and "c_id.sequence" in out
    assert main(["validate", path, "--stream", "--docs", str(tmp_path / "docs")]) == 2
    assert "--stream" in capsys.readouterr().err


def test_the_mode_follows_the_memory_there_is(tmp_path):
    path = tmp_path / "train.csv"
    with open(path, "wb") as handle:
        handle.truncate(1 << 30)  # sparse: 1 GiB needs about 2.9 GB in memory
    gb, enough = memory.GB, 16 * memory.GB
    assert memory.mode_for(str(path), limit=enough, available=enough) == memory.IN_MEMORY
    assert memory.mode_for(str(path), stream=True, limit=enough, available=enough) == memory.STREAM
    assert memory.mode_for(str(path), limit=memory.STREAM_BYTES, available=enough) == memory.STREAM
    assert memory.mode_for(str(path), limit=enough, available=2 * gb) == memory.STREAM
    with pytest.raises(memory.NotEnoughMemory, match="address-space limit"):
        memory.mode_for(str(path), stream=False, limit=memory.STREAM_BYTES, available=enough)
    with pytest.raises(memory.NotEnoughMemory, match="the address-space limit"):
        memory.mode_for(str(path), streaming_possible=False, limit=memory.STREAM_BYTES, available=enough)
    with pytest.raises(memory.NotEnoughMemory, match="even in streaming mode"):
        memory.mode_for(str(path), limit=200 << 20, available=enough)
    with pytest.raises(memory.NotEnoughMemory, match="even in streaming mode.*available"):
        memory.mode_for(str(path), limit=enough, available=100 << 20)


def test_streaming_shows_its_progress(tmp_path):
    """A bar for the streaming read (bytes, rate, ETA) and one for the whole-file rules."""
    import io

    from gx_clova.progress import Phases

    shown = io.StringIO()
    report = validate(os.path.join(ROOT, "examples", "broken.csv"), stream=True,
                      phases=Phases("always", stream=shown, delay=0))
    assert report.extra["streaming"] is True
    text = shown.getvalue()
    assert "streaming broken.csv" in text and "checking whole-file rules" in text


def test_gate_stream_gives_the_same_reports(tmp_path):
    from gx_clova.cli import main

    sources = [os.path.join(ROOT, "examples", n) for n in ("broken.csv", "generation.csv")]
    outputs = {}
    for flag in ([], ["--stream"]):
        out = tmp_path / f"gate{len(flag)}.json"
        assert main(["gate", *sources, "--format", "json", "--output", str(out), *flag]) == 1
        data = json.loads(out.read_text(encoding="utf-8"))
        assert [r.get("streaming", False) for r in data["reports"]] == [bool(flag)] * 2
        for report in data["reports"]:
            for key in (*TIMINGS, "streaming"):
                report.pop(key, None)
        outputs[bool(flag)] = data
    assert outputs[True] == outputs[False]
    assert main(["gate", *sources, "--stream", "--docs", str(tmp_path / "docs")]) == 2


def _jsonl(rows: list[dict]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def _turn(text: str, answer: str, c_id=None, t_id=None, prompt=None) -> dict:
    row = {} if prompt is None else {"System_Prompt": prompt}
    if c_id is not None:
        row["C_ID"] = c_id
    if t_id is not None:
        row["T_ID"] = t_id
    return {**row, "Text": text, "Completion": answer}


#: JSONL files whose keys come and go: a key missing from the first lines (so from the reader's
#: first chunks), present early and missing later, only on the last line, never there; mixed with
#: repeated conversations, conflicting answers and prompts that change, so that the whole-file
#: rules group the key-less lines exactly as the in-memory table does (a null cell).
KEYS_COME_AND_GO = {
    # lines 1-2 have no C_ID: in memory one conversation (null C_ID), repeated by lines 4-5 (C_ID 1)
    "c_id-late": [_turn("안녕", "반가워요"), _turn("고마워요", "천만에요"),
                  _turn("질문", "답", 0, 0), _turn("안녕", "반가워요", 1, 0), _turn("고마워요", "천만에요", 1, 1)],
    # C_ID-less lines before and after C_ID appears: one null conversation each, the second repeats the first
    "c_id-gaps": [_turn("a", "x"), _turn("b", "y"), _turn("c", "z", 0, 0), _turn("a", "x"), _turn("b", "y"),
                  _turn("d", "w", 1, 0), _turn("b", "v")],
    # System_Prompt changes among the C_ID-less lines (one conversation in memory)
    "c_id-late-prompts": [_turn("a", "x", prompt="P"), _turn("b", "y", prompt="Q"), _turn("c", "z", prompt="P"),
                          _turn("d", "w", 0, 0, "P"), _turn("e", "v", 0, 1, "R"), _turn("f", "u", prompt="S")],
    # the same input gets different answers before and after C_ID appears
    "c_id-late-conflicts": [_turn("a", "x"), _turn("a", "y"), _turn("b", "x"), _turn("b", "x", 0, 0),
                            _turn("a", "z", 1, 0), _turn("a", "x", 2, 0)],
    "c_id-on-the-last-line": [_turn("a", "x"), _turn("b", "y"), _turn("a", "x"), _turn("b", "y"),
                              _turn("a", "z", prompt="P"), _turn("c", "w", 7, 0)],
    "c_id-early-only": [_turn("a", "x", 0, 0), _turn("b", "y", 0, 1), _turn("a", "x"), _turn("b", "y"),
                        _turn("a", "x"), _turn("c", "w", prompt="P")],
    "c_id-never": [_turn("a", "x", t_id=0), _turn("b", "y", t_id=1), _turn("a", "x", t_id=0),
                   _turn("b", "y", t_id=1), _turn("a", "z", t_id=0, prompt="P")],
    "t_id-late": [_turn("a", "x", 0), _turn("b", "y", 0), _turn("c", "z", 0, 2), _turn("d", "w", 1, 0),
                  _turn("e", "v", 1)],
    # no Text on the first lines: in memory a null Text, so lines 1-2 repeat each other and conflict with line 3
    "text-late": [{"C_ID": 0, "T_ID": 0, "Completion": "x"}, {"C_ID": 1, "T_ID": 0, "Completion": "x"},
                  {"C_ID": 2, "T_ID": 0, "Completion": "y"}, _turn("a", "x", 3, 0), _turn("a", "x", 4, 0),
                  {"C_ID": 5, "T_ID": 0, "Completion": "x"}],
    "text-and-c_id-late": [{"Completion": "x"}, {"Completion": "x"}, {"Completion": "y"},
                           _turn("a", "x", 0, 0), {"C_ID": 1, "T_ID": 0, "Completion": "x"}],
    "text-never": [{"C_ID": 0, "T_ID": 0, "Completion": "x"}, {"C_ID": 0, "T_ID": 1, "Completion": "x"},
                   {"C_ID": 1, "T_ID": 0, "Completion": "x"}],
    "completion-late": [{"C_ID": 0, "T_ID": 0, "Text": "a"}, {"C_ID": 1, "T_ID": 0, "Text": "a"},
                        _turn("a", "x", 2, 0), _turn("b", "", 3, 0), {"C_ID": 4, "T_ID": 0, "Text": "a"}],
    "system_prompt-late": [_turn("a", "x", 0, 0), _turn("b", "y", 0, 1), _turn("c", "z", 0, 2, "P"),
                           _turn("a", "x", 1, 0, ""), _turn("b", "y", 1, 1)],
    "keys-scattered": [{"Text": "a"}, {"Completion": "x"}, {"C_ID": 0}, {"T_ID": 0, "System_Prompt": "P"},
                       {"Text": "a"}, {"C_ID": "0", "Text": "a", "System_Prompt": "Q"}, {"Completion": "x"}],
}


@pytest.mark.parametrize("name", list(KEYS_COME_AND_GO))
def test_jsonl_keys_that_come_and_go_same_report_streamed(name, tmp_path, monkeypatch):
    """The exact JSONL reader hands the checks chunks of FLUSH_ROWS lines, each with the keys seen
    so far; with chunks of 1-3 lines a key first met on line 4 is absent from the earlier chunks,
    while the in-memory table has the column with null cells there. The reports must not differ."""
    from gx_clova.reading import jsonl_reader

    rows = KEYS_COME_AND_GO[name]
    path = tmp_path / "train.jsonl"
    path.write_text(_jsonl(rows), encoding="utf-8")
    eval_path = tmp_path / "eval.jsonl"
    eval_path.write_text(_jsonl([{"Text": "", "Completion": "x"}, {"Text": "a", "Completion": "x"}]), encoding="utf-8")
    monkeypatch.setenv(direct.PATH_VARIABLE, "direct")
    for task in ("generation", "classification"):
        for eval_file in (None, str(eval_path)):
            in_memory = comparable(validate(str(path), task=task, eval_file=eval_file, stream=False))
            for flush_rows in (1, 2, 3, 64):
                monkeypatch.setattr(jsonl_reader, "FLUSH_ROWS", flush_rows)
                for batch_rows in (1, 3):
                    monkeypatch.setenv(BATCH_ROWS_VARIABLE, str(batch_rows))
                    streamed = comparable(validate(str(path), task=task, eval_file=eval_file, stream=True))
                    assert streamed == in_memory, (task, eval_file, flush_rows, batch_rows)
            monkeypatch.delenv(BATCH_ROWS_VARIABLE)


def test_jsonl_random_keys_that_come_and_go_same_report_streamed(tmp_path, monkeypatch):
    """Random small files over a few values (so rows repeat, answers conflict and prompts change),
    each key first met on a random line (or never) and then missing from some lines."""
    from gx_clova.reading import jsonl_reader

    rng = np.random.default_rng(14)
    values = {"System_Prompt": ["P", "Q", ""], "C_ID": [0, 1, "1", 2], "T_ID": [0, 1], "Text": ["a", "b", ""],
              "Completion": ["x", "y"]}
    monkeypatch.setenv(direct.PATH_VARIABLE, "direct")
    path = tmp_path / "train.jsonl"
    for example in range(24):
        count = int(rng.integers(4, 12))
        first = {key: int(rng.integers(0, count + 1)) for key in values}  # count: never
        rows = [{key: choices[int(rng.integers(len(choices)))] for key, choices in values.items()
                 if index >= first[key] and rng.random() < 0.8} for index in range(count)]
        path.write_text(_jsonl(rows), encoding="utf-8")
        task = ("generation", "classification")[example % 2]
        monkeypatch.setattr(jsonl_reader, "FLUSH_ROWS", 1 << 16)
        in_memory = comparable(validate(str(path), task=task, stream=False))
        flush_rows, batch_rows = int(rng.integers(1, 4)), int(rng.integers(1, 3))
        monkeypatch.setattr(jsonl_reader, "FLUSH_ROWS", flush_rows)
        monkeypatch.setenv(BATCH_ROWS_VARIABLE, str(batch_rows))
        streamed = comparable(validate(str(path), task=task, stream=True))
        monkeypatch.delenv(BATCH_ROWS_VARIABLE)
        assert streamed == in_memory, (rows, task, flush_rows, batch_rows)
