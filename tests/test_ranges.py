"""The byte-range reader (the Spark engine's parallel reader) against the single-stream reader:
the same records, physical lines and findings, whatever the range size — down to one byte, so
that every quote, comma, ``\\r\\n`` and multi-byte character lands on a range edge somewhere.
When the range reader cannot vouch for a file it says why, and the single-stream reader reads it."""

from __future__ import annotations

import csv
import json
import os
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fuzz import SEED_CSV, SEED_JSONL, mutated
from test_rule_cases import CASES, _write
from test_stream import _table

from gx_clova.reading import ranges, read_dataset, stream
from gx_clova.reading.prepare import sniff_format
from gx_clova.sources import LocalSource

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEADER = ["C_ID", "T_ID", "Text", "Completion"]


def _ranged(path: str, range_bytes: int, directory: str) -> ranges.RangeRead:
    with open(path, "rb") as handle:
        head = handle.read(65536)
    fmt = sniff_format(os.path.basename(path), head)
    return ranges.stage_ranges(ranges.LocalRanges(path), os.path.getsize(path), os.path.basename(path), path,
                               directory, fmt, range_bytes=range_bytes)


def _check(path: str, range_bytes: int, must_vouch: bool = True) -> ranges.RangeRead | None:
    """The range reader's parts, facts and findings equal the single-stream reader's; returns None
    (and fails if ``must_vouch``) when the range reader hands the file back."""
    with tempfile.TemporaryDirectory() as tmp:
        single, parallel = os.path.join(tmp, "single"), os.path.join(tmp, "parallel")
        os.mkdir(single)
        os.mkdir(parallel)
        try:
            got = _ranged(path, range_bytes, parallel)
        except ranges.CannotVouch as exc:
            assert not must_vouch, f"the range reader gave up: {exc}"
            assert not os.path.exists(os.path.join(parallel, "part-99999.parquet"))
            return None
        staged = stream.stage_dataset(LocalSource(path), single)
        expected = read_dataset(LocalSource(path))
        facts, want = got.facts.to_dict(), staged.facts.to_dict()
        want.pop("sha256"), facts.pop("sha256")  # the engine hashes beside the range tasks
        assert facts == want
        assert [f.to_dict() for f in got.findings] == [f.to_dict() for f in staged.findings]
        assert got.rows == staged.rows == expected.rows
        assert got.names == staged.names
        table = _table(got)
        assert (table is None and expected.rows == 0) or table.equals(expected.table)
        return got


def _csv_bytes(rows: list[list[str]], terminator: str, bom: bool = False, trailing: bool = True) -> bytes:
    def cell(value: str) -> str:  # quoted when it holds a delimiter, a quote or any line break
        return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\r\n') else value

    text = "".join(",".join(cell(v) for v in row) + terminator for row in [HEADER, *rows])
    if not trailing:
        text = text[: -len(terminator)]
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def _file(tmp_path, data: bytes, name: str = "train.csv") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


TRICKY_ROWS = [
    ["0", "0", 'line one\nline two, with a comma and "quotes"', "ok"],
    ["0", "1", "한국어 텍스트 😀 é", 'a "quoted" word'],
    ["1", "0", "\r\nCRLF inside\r\n", '""'],
    ["1", "1", ",,,", "\n"],
    ["2", "0", "lone\rCR", "end"],
]


@pytest.mark.parametrize("range_bytes", [1, 2, 3, 5, 7, 13, 64, 1 << 20])
@pytest.mark.parametrize("terminator", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("bom", [False, True], ids=["plain", "bom"])
def test_quoted_newlines_commas_quotes_crlf_bom_multibyte_at_every_edge(tmp_path, range_bytes, terminator, bom):
    """Range sizes of a few bytes put every byte of these records on an edge: quoted line breaks,
    commas and doubled quotes, a CRLF split between two ranges, a BOM in range 0, and 3- and 4-byte
    UTF-8 characters cut in the middle."""
    path = _file(tmp_path, _csv_bytes(TRICKY_ROWS * 3, terminator, bom=bom))
    got = _check(path, range_bytes)
    assert got.rows == 15 and got.facts.reader == "parallel ranges"
    assert got.facts.encoding == ("utf-8 (BOM)" if bom else "utf-8")
    assert got.ranges == -(-os.path.getsize(path) // range_bytes)


def test_line_numbers_are_physical_lines(tmp_path):
    path = _file(tmp_path, _csv_bytes(TRICKY_ROWS, "\r\n"))
    with tempfile.TemporaryDirectory() as tmp:
        got = _ranged(path, 3, tmp)
        lines = _table(got).column("__line__").to_pylist()
    # header 1; row 1 holds one break; row 2 none; row 3 two CRLFs; row 4 one LF; row 5 one lone CR
    assert lines == [2, 4, 5, 8, 10]


def test_blank_rows_are_found_with_their_lines(tmp_path):
    data = _csv_bytes(TRICKY_ROWS, "\n").replace(b'ok\n', b'ok\n\n,,,\n')
    got = _check(_file(tmp_path, data), 4)
    assert [f.to_dict()["lines"] for f in got.findings] == [[4, 5]]


def test_no_trailing_newline(tmp_path):
    got = _check(_file(tmp_path, _csv_bytes(TRICKY_ROWS, "\n", trailing=False)), 6)
    assert got.facts.lines == 11  # header 1 + 2 + 1 + 3 + 2 + 2, no empty last line


@pytest.mark.parametrize("range_bytes", [1, 4, 1000])
@pytest.mark.parametrize("data, why", [
    (b'C_ID,T_ID,Text,Completion\n0,0,"never closed,x\n1,0,a,b\n', "quote is not closed"),
    (b'C_ID,T_ID,Text,Completion\n0,0,a"b"c,d\n1,0,a,b\n', "quote stands where"),
    (b'C_ID,T_ID,Text,Completion\n0,0,"a"b,c\n1,0,a,b\n', "quote stands where"),
    (b'C_ID,T_ID,Text,Completion\n0,0,a\n1,0,a,b\n', "Expected 4 columns"),
    (b'C_ID,T_ID,Text,Completion\n0,0,\xb0\xa1,b\n1,0,a,b\n', "UTF8"),
    (b'C_ID,T_ID,Text,Completion\n0,0,\xed\x95,b\n1,0,a,b\n', "UTF8"),
    (b'\xff\xfeC\x00_\x00', "utf-16"),
    (b'\x1f\x8b\x08\x00', "gzip"),
    (b'"C_ID\n",T_ID,Text,Completion\n0,0,a,b\n', "header spans"),
    (b'C_ID,T_ID,Text,Completion\n', "no record"),
], ids=["unterminated", "stray-quote", "text-after-quote", "ragged", "cp949", "split-char", "utf16", "gzip",
        "two-line-header", "header-only"])
def test_what_it_cannot_vouch_for_goes_to_the_single_stream_reader(tmp_path, data, why, range_bytes):
    path = _file(tmp_path, data)
    with pytest.raises(ranges.CannotVouch, match=why):
        _ranged(path, range_bytes, str(tmp_path))
    # … which reports the fault: the unterminated quote is file.format on its line
    if why == "quote is not closed":
        codes = {f.code: f.lines for f in read_dataset(LocalSource(path)).findings}
        assert codes["file.format"] == [2]  # the record that opens the quote starts on line 2


@pytest.mark.parametrize("range_bytes", [1, 7, 100])
def test_jsonl(tmp_path, range_bytes):
    lines = ['{"C_ID": ' + str(i) + ', "T_ID": 0, "Text": "한 줄 ' + str(i) + ', \\"q\\"", "Completion": "b"}'
             for i in range(12)]
    lines[5] = '{"T_ID": 0, "C_ID": 5, "Text": "keys in another order", "Completion": "b"}'
    got = _check(_file(tmp_path, ("\r\n".join(lines) + "\r\n").encode(), "train.jsonl"), range_bytes)
    assert got.rows == 12


def test_jsonl_with_a_blank_line_goes_to_the_single_stream_reader(tmp_path):
    line = b'{"C_ID": 0, "T_ID": 0, "Text": "a", "Completion": "b"}\n'
    data = line + b"\n" + line.replace(b"0,", b"1,", 1)
    with pytest.raises(ranges.CannotVouch):
        _ranged(_file(tmp_path, data, "train.jsonl"), 5, str(tmp_path))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_rule_cases(case, tmp_path):
    path, _ = _write(case, tmp_path)
    _check(path, 97, must_vouch=False)


@pytest.mark.parametrize("name", ["generation.csv", "classification.csv", "broken.csv"])
def test_examples(name):
    got = _check(os.path.join(ROOT, "examples", name), 4096, must_vouch=name != "broken.csv")
    assert got is None or got.chunks > 3


def test_example_as_jsonl(tmp_path):
    with open(os.path.join(ROOT, "examples", "generation.csv"), encoding="utf-8", newline="") as handle:
        records = list(csv.DictReader(handle))
    text = "".join(json.dumps({**r, "C_ID": int(r["C_ID"]), "T_ID": int(r["T_ID"])}, ensure_ascii=False) + "\n"
                   for r in records)
    got = _check(_file(tmp_path, text.encode(), "train.jsonl"), 4096)
    assert got.rows == len(records) and got.chunks > 3


_CELL = st.text(alphabet=st.sampled_from(list('ab ,"\n\r한😀é')), max_size=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(_CELL, min_size=4, max_size=4), min_size=1, max_size=12),
       terminator=st.sampled_from(["\n", "\r\n", "\r"]), bom=st.booleans(), trailing=st.booleans(),
       range_bytes=st.one_of(st.integers(1, 7), st.integers(8, 400)))
def test_any_well_formed_csv_any_range_size(rows, terminator, bom, trailing, range_bytes):
    """Property: for any well-formed CSV (quoted line breaks, commas, doubled quotes, CR/LF/CRLF
    records, BOM, multi-byte characters) and any range size, the range reader vouches for the file
    and equals the single stream."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "train.csv")
        with open(path, "wb") as handle:
            handle.write(_csv_bytes(rows, terminator, bom=bom, trailing=trailing))
        _check(path, range_bytes)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(mutated(SEED_CSV), mutated(SEED_JSONL), st.binary(max_size=300)),
       suffix=st.sampled_from([".csv", ".jsonl"]), range_bytes=st.integers(1, 64))
def test_any_bytes_any_range_size(data, suffix, range_bytes):
    """Property: whatever the bytes, the range reader either hands the file back or equals the single stream."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "train" + suffix)
        with open(path, "wb") as handle:
            handle.write(data)
        _check(path, range_bytes, must_vouch=False)
