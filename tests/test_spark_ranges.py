"""`--engine spark` reads a file in parallel byte ranges on the executors (a real local Spark):
ranges of a few bytes put quotes, commas, CRLFs, a BOM and multi-byte characters on range edges,
and the report equals the pandas engine's; what the ranges cannot vouch for is read by the single
stream, and the report names it."""

from __future__ import annotations

import os

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
    monkeypatch.setenv(spark_ranges.RANGE_ENV, "50")
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
