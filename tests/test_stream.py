"""The Spark engine's reader (Parquet parts, bounded memory) agrees with read_dataset: the same
records, lines and findings on every rule case and example, on both paths, across part files."""

from __future__ import annotations

import os
import tempfile

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gx_clova.reading import read_dataset, stream
from gx_clova.reading.dataset import LINE
from gx_clova.sources import LocalSource
from test_fuzz import SEED_CSV, SEED_JSONL, mutated
from test_rule_cases import CASES, _write

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _table(staged: stream.Staged) -> pa.Table | None:
    if not staged.parts:
        return None
    parts = pa.concat_tables([pq.read_table(p) for p in staged.parts], promote_options="default")
    columns = {LINE: parts.column(LINE)}
    for i, name in enumerate(staged.names):
        columns[name] = parts.column(f"c{i}") if f"c{i}" in parts.column_names else pa.nulls(parts.num_rows, pa.string())
    return pa.table(columns)


def _assert_same(path: str, exact: bool, directory) -> stream.Staged:
    expected = read_dataset(LocalSource(path))
    staged = stream.stage_dataset(LocalSource(path), str(directory), exact=exact)
    assert staged.facts.to_dict() == expected.facts.to_dict()
    assert staged.facts.header_line == expected.facts.header_line
    assert [f.to_dict() for f in staged.findings] == [f.to_dict() for f in expected.findings]
    assert staged.rows == expected.rows
    table = _table(staged)
    assert (table is None and expected.rows == 0) or table.equals(expected.table)
    return staged


@pytest.mark.parametrize("exact", [False, True], ids=["fast", "exact"])
@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_staged_case_matches_read_dataset(case, exact, tmp_path):
    path, _ = _write(case, tmp_path)
    (tmp_path / "parts").mkdir()
    _assert_same(path, exact, tmp_path / "parts")


@pytest.mark.parametrize("exact", [False, True], ids=["fast", "exact"])
def test_many_parts_keep_file_order(exact, tmp_path, monkeypatch):
    monkeypatch.setattr(stream, "ROW_GROUP_BYTES", 4 << 10)
    monkeypatch.setattr(stream, "PART_BYTES", 16 << 10)
    monkeypatch.setattr(stream, "BLOCK_SIZE", 8 << 10)
    monkeypatch.setattr(stream.csv_reader, "FLUSH_ROWS", 64)
    monkeypatch.setattr(stream.jsonl_reader, "FLUSH_ROWS", 64)
    for name in ("generation.csv", "classification.csv", "broken.csv"):
        directory = tmp_path / (name + str(exact))
        directory.mkdir()
        staged = _assert_same(os.path.join(ROOT, "examples", name), exact, directory)
        assert len(staged.parts) >= 2, "the file was split into parts"


def test_jsonl_keys_that_appear_later_become_columns(tmp_path):
    path = tmp_path / "train.jsonl"
    lines = ['{"C_ID": %d, "T_ID": 0, "Text": "a", "Completion": "b"}' % i for i in range(130)]
    lines[100] = '{"C_ID": 100, "T_ID": 0, "Text": "a", "Completion": "b", "Note": "x"}'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "parts").mkdir()
    staged = _assert_same(str(path), False, tmp_path / "parts")
    assert staged.names[-1] == "Note" and staged.facts.reader == "exact"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(mutated(SEED_CSV), mutated(SEED_JSONL), st.binary(max_size=600)),
       suffix=st.sampled_from([".csv", ".jsonl"]))
def test_staged_reader_matches_read_dataset_on_mutated_files(data, suffix):
    """Structural findings must be identical on both engines, whatever the bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "train" + suffix)
        with open(path, "wb") as handle:
            handle.write(data)
        parts = os.path.join(tmp, "parts")
        os.mkdir(parts)
        _assert_same(path, False, parts)
