"""`--engine spark` reads a file in parallel byte ranges on the executors (a real local Spark):
ranges of a few bytes put quotes, commas, CRLFs, a BOM and multi-byte characters on range edges,
and the report equals the pandas engine's; what the ranges cannot vouch for is read by the single
stream, and the report names it."""

from __future__ import annotations

import json
import os
import re

import pytest
from test_ranges import TRICKY_ROWS, _csv_bytes
from test_stream import _table

from gx_clova.reading import stream
from gx_clova.sources import LocalSource
from gx_clova.spark import ranges as spark_ranges
from gx_clova.validation import validate

pytestmark = pytest.mark.spark


def _dataset(terminator: str = "\n", bom: bool = False) -> bytes:
    """110 rows in 55 conversations, every fifth cell holding a tricky value."""
    rows = []
    for i in range(110):
        tricky = TRICKY_ROWS[i % len(TRICKY_ROWS)]
        rows.append([str(i // 2), str(i % 2), tricky[2] + f" {i}", "답변" if i % 5 else tricky[3] + " 끝"])
    return _csv_bytes(rows, terminator, bom=bom)


def _failures(report) -> list[tuple]:
    return [(f.code, f.lines, f.message, f.count) for f in report.failures]


@pytest.mark.parametrize("terminator, bom, range_bytes", [("\n", False, 256), ("\r\n", True, 700)],
                         ids=["lf-256-bytes", "crlf-bom-700-bytes"])
def test_few_byte_ranges_give_the_pandas_report(spark, tmp_path, monkeypatch, terminator, bom, range_bytes):
    path = tmp_path / "train.csv"
    path.write_bytes(_dataset(terminator, bom))
    monkeypatch.setenv(spark_ranges.RANGE_ENV, str(range_bytes))
    report = validate(str(path), engine="spark", spark=spark)
    expected = validate(str(path))
    ranges_used = -(-os.path.getsize(path) // range_bytes)
    assert report.extra["reader"].startswith(f"parallel ranges ({ranges_used} ranges")
    assert report.to_dict()["source"] == expected.to_dict()["source"]  # sha256 and encoding too
    assert report.rows == expected.rows == 110
    assert _failures(report) == _failures(expected)


def test_stage_on_spark_equals_the_single_stream(spark, tmp_path):
    """Spark's tasks produce exactly the parts the single-stream reader would (records, lines)."""
    path = tmp_path / "train.csv"
    path.write_bytes(_csv_bytes(TRICKY_ROWS * 2, "\r\n", bom=True))
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    staged = spark_ranges.stage(LocalSource(str(path)), str(tmp_path / "a"), spark, size_of_range=5)
    single = stream.stage_dataset(LocalSource(str(path)), str(tmp_path / "b"))
    assert staged.facts.reader.startswith("parallel ranges")
    assert staged.facts.to_dict() == single.facts.to_dict()
    assert _table(staged).equals(_table(single))
    assert _table(staged).column("__line__").to_pylist() == [2, 4, 5, 8, 10, 12, 14, 15, 18, 20]


def test_an_unterminated_quote_goes_to_the_single_stream_which_names_the_line(spark, tmp_path, monkeypatch):
    data = bytearray(_dataset())
    cut = data.index(b"\n50,0,") + 1  # the 101st record
    data[cut:] = data[cut:].replace(b"\n", b"\r\n").replace(b"50,0,", b'50,0,"never closed ', 1)
    path = tmp_path / "train.csv"
    path.write_bytes(bytes(data))
    monkeypatch.setenv(spark_ranges.RANGE_ENV, "256")  # about thirty ranges
    report = validate(str(path), engine="spark", spark=spark)
    assert report.extra["reader"] == "single stream, exact (a quote is not closed)"
    expected = validate(str(path))
    assert _failures(report) == _failures(expected)
    assert "file.format" in {f.code for f in report.failures}


def test_cp949_goes_to_the_single_stream_which_names_the_encoding(spark, tmp_path, monkeypatch):
    path = tmp_path / "train.csv"
    path.write_bytes(_dataset().decode("utf-8").replace("😀", "").replace("é", "e").encode("cp949"))
    monkeypatch.setenv(spark_ranges.RANGE_ENV, "4096")
    report = validate(str(path), engine="spark", spark=spark)
    assert report.extra["reader"].startswith("single stream, exact (")
    assert report.to_dict()["source"]["encoding"] == "cp949"
    assert _failures(report) == _failures(validate(str(path)))


def test_the_single_stream_can_be_forced(spark, tmp_path, monkeypatch):
    path = tmp_path / "train.csv"
    path.write_bytes(_dataset())
    monkeypatch.setenv(spark_ranges.READER_ENV, "single")
    report = validate(str(path), engine="spark", spark=spark)
    assert report.extra["reader"] == "single stream, fast (GX_CLOVA_SPARK_READER=single)"


#: The range size of the JSONL tests: a 110-line file splits into about thirty ranges.
JSONL_RANGE_BYTES = 256


def _jsonl(fault: dict, at: int = 62, terminator: str = "\n") -> tuple[bytes, int]:
    """110 JSONL lines in 55 conversations (escaped quotes and line breaks, multi-byte characters,
    an empty Text on line 29), with line ``at`` replaced by ``fault`` and padded (spaces inside the
    Text before it) to start exactly on a range edge. Returns the bytes and that line's offset."""
    rows = []
    for i in range(110):
        tricky = TRICKY_ROWS[i % len(TRICKY_ROWS)]
        rows.append({"C_ID": i // 2, "T_ID": i % 2, "Text": "" if i == 28 else f"{tricky[2]} {i}",
                     "Completion": tricky[3] or "답"})
    lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    lines[at - 1] = json.dumps(fault, ensure_ascii=False)
    before = sum(len((line + terminator).encode("utf-8")) for line in lines[:at - 1])
    pad = -before % JSONL_RANGE_BYTES
    rows[at - 2]["Text"] += " " * pad
    lines[at - 2] = json.dumps(rows[at - 2], ensure_ascii=False)
    data = "".join(line + terminator for line in lines).encode("utf-8")
    offset = before + pad
    assert offset % JSONL_RANGE_BYTES == 0 and data[offset - 1:offset] == terminator[-1].encode()
    return data, offset


def test_jsonl_ranges_give_the_single_stream_and_pandas_report(spark, tmp_path, monkeypatch):
    """Line 62 starts on a range edge, lists its keys in another order and breaks its conversation's
    T_ID: the parallel ranges read it (keys are matched by name) and report what the single stream
    and the pandas engine report, on the same lines with the same messages."""
    # the second turn of conversation 30
    fault = {"Completion": "순서가 다른 키", "Text": "키 순서 \"q\"", "T_ID": 7, "C_ID": 30}
    data, offset = _jsonl(fault, terminator="\r\n")
    path = tmp_path / "train.jsonl"
    path.write_bytes(data)
    monkeypatch.setenv(spark_ranges.RANGE_ENV, str(JSONL_RANGE_BYTES))
    ranged = validate(str(path), engine="spark", spark=spark)
    monkeypatch.setenv(spark_ranges.READER_ENV, "single")
    single = validate(str(path), engine="spark", spark=spark)
    expected = validate(str(path))
    ranges_used = -(-len(data) // JSONL_RANGE_BYTES)
    assert ranges_used > 20 and offset // JSONL_RANGE_BYTES > 1
    assert ranged.extra["reader"].startswith(f"parallel ranges ({ranges_used} ranges")
    assert single.extra["reader"].startswith("single stream")
    assert ranged.lines("t_id.sequence") == [62]
    assert ranged.lines("text.empty") == [29]
    for report in (ranged, single):
        assert report.rows == expected.rows == 110
        assert report.to_dict()["source"] == expected.to_dict()["source"]
        assert _failures(report) == _failures(expected)


def test_a_jsonl_key_missing_right_after_a_range_edge_is_named_by_the_single_stream(spark, tmp_path, monkeypatch):
    """A line without ``Completion`` right after a range edge: the range holding it cannot vouch
    (the key is null there), the single stream reads the file, and the report names the line."""
    data, offset = _jsonl({"C_ID": 30, "T_ID": 1, "Text": "키가 빠진 줄"})
    path = tmp_path / "train.jsonl"
    path.write_bytes(data)
    monkeypatch.setenv(spark_ranges.RANGE_ENV, str(JSONL_RANGE_BYTES))
    report = validate(str(path), engine="spark", spark=spark)
    assert report.extra["reader"].startswith("single stream, ")
    span = re.search(r"\(bytes (\d+)–(\d+): Completion is missing or null on some lines\)$", report.extra["reader"])
    assert span and int(span[1]) < offset < int(span[2]), report.extra["reader"]  # the chunk holding line 62
    assert report.lines("header.missing-column") == [62]
    assert _failures(report) == _failures(validate(str(path)))
