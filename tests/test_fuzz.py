"""Random bytes and mutated CSV/JSONL never crash validate: always a report, always status 0-3."""

from __future__ import annotations

import contextlib
import io
import os
import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gx_clova.cli import main
from gx_clova.formats import render
from gx_clova.report import Report
from gx_clova.validation import validate

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")
with open(os.path.join(EXAMPLES, "broken.csv"), "rb") as handle:
    SEED_CSV = handle.read()[:4000]
SEED_JSONL = (
    b'{"C_ID": 0, "T_ID": 0, "Text": "\xec\x95\x88\xeb\x85\x95", "Completion": "b"}\n'
    b'{"C_ID": 1, "T_ID": 0, "Text": "a\\nb", "Completion": "c"}\n'
)
INTERESTING = [b",", b'"', b"\n", b"\r\n", b"\r", b"\x00", b"\xff", b"\xef\xbb\xbf", b"{", b"}", b"[", b" ",
               b"\xed\xa0\x80", b"-1", b"99999999999999999999", b'""', b"\t"]


@st.composite
def mutated(draw, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 8))):
        action = draw(st.sampled_from(["insert", "delete", "replace", "truncate"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if action == "insert":
            data[at:at] = draw(st.sampled_from(INTERESTING))
        elif action == "delete":
            del data[at: at + draw(st.integers(1, 20))]
        elif action == "replace":
            data[at: at + 1] = draw(st.binary(min_size=1, max_size=3))
        else:
            del data[at:]
    return bytes(data)


def _check(data: bytes, suffix: str, task: str, with_cli: bool = False) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "train" + suffix)
        with open(path, "wb") as handle:
            handle.write(data)
        report = validate(path, task=task)
        assert isinstance(report, Report)
        assert report.source["bytes"] == len(data)
        for failure in report.failures:
            assert failure.lines == sorted(set(failure.lines))
            assert all(1 <= line <= max(1, data.count(b"\n") + data.count(b"\r") + 1) for line in failure.lines)
        for fmt in ("text", "json", "junit"):
            assert render(report, fmt)
        if with_cli:
            stdout, stderr = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                status = main(["validate", path, "--task", task, "--format", "json"])
            assert status in (0, 1), stderr.getvalue()
            assert "Traceback" not in stderr.getvalue()


FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".jsonl", ".txt"]))
def test_random_bytes(data, suffix):
    _check(data, suffix, "generation", with_cli=True)


@FUZZ
@given(data=mutated(SEED_CSV), task=st.sampled_from(["generation", "classification"]))
def test_mutated_csv(data, task):
    _check(data, ".csv", task)


@FUZZ
@given(data=mutated(SEED_JSONL))
def test_mutated_jsonl(data):
    _check(data, ".jsonl", "generation")


CELL = st.lists(st.sampled_from(list('ab가나 ,"') + ["\n", "\r\n", "\r"]), max_size=12).map("".join)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.lists(CELL, min_size=4, max_size=4), min_size=1, max_size=12),
       terminator=st.sampled_from(["\n", "\r\n"]))
def test_fast_and_exact_readers_agree_on_any_well_formed_csv(rows, terminator):
    """The fast path's line numbers come from arithmetic; the exact path's from reading lines."""
    import csv

    from gx_clova.reading import read_dataset
    from gx_clova.sources import LocalSource

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "train.csv")
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator=terminator)
            writer.writerow(["C_ID", "T_ID", "Text", "Completion"])
            writer.writerows(rows)
        fast = read_dataset(LocalSource(path))
        exact = read_dataset(LocalSource(path), exact=True)
        assert fast.table.equals(exact.table)
        assert [f.to_dict() for f in fast.findings] == [f.to_dict() for f in exact.findings]
