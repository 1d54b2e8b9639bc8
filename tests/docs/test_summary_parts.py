"""The parts of the dataset summary and failing-rows table, without GX or a browser."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pyarrow as pa

from gx_clova import profile
from gx_clova.excerpts import SAMPLE_ROWS, attach, excerpt
from gx_clova.findings import Finding
from gx_clova.gx.docs import charts


def _table(c_ids, texts=None, completions=None):
    n = len(c_ids)
    return pa.table({
        "__line__": pa.array(range(2, n + 2), pa.int64()),
        "C_ID": pa.array(c_ids, pa.string()),
        "T_ID": pa.array([str(i) for i in range(n)], pa.string()),
        "Text": pa.array(texts or ["질문"] * n, pa.string()),
        "Completion": pa.array(completions or ["답"] * n, pa.string()),
    })


def test_conversations_are_runs_of_c_id_in_file_order():
    summary = profile.conversations(_table(["0", "0", "0", "1", "2", "2"] + ["3"] * 12))
    assert summary["conversations"] == 4
    assert summary["turns"]["min"] == 1 and summary["turns"]["max"] == 12 and summary["turns"]["median"] == 2.5
    histogram = dict(summary["turns"]["histogram"])
    assert histogram["1"] == 1 and histogram["2"] == 1 and histogram["3"] == 1 and histogram["10+"] == 1
    assert sum(histogram.values()) == 4


def test_lengths_against_the_limit_in_code_points():
    texts = ["가" * 500, "가" * 501, "", "가" * 7999, "가" * 8001]
    summary = profile.lengths(_table(["0"] * 5, texts, ["", "", "a", "a", ""]))
    bins = {b["end"]: b["count"] for b in summary["bins"]}
    assert bins[500] == 2 and bins[1000] == 1 and bins[8000] == 1
    assert summary["over"] == 1 and summary["max"] == 8001
    assert sum(bins.values()) + summary["over"] == 5


def test_labels_most_frequent_first_with_the_tail_summed():
    labels = [f"라벨{i}" for i in range(25) for _ in range(i + 1)]
    summary = profile.labels(_table(["0"] * len(labels), completions=labels))
    assert summary["distinct"] == 25
    assert summary["labels"][0] == ["라벨24", 25]
    assert len(summary["labels"]) == profile.TOP_LABELS
    assert summary["other_labels"] == 5 and summary["other_rows"] == 1 + 2 + 3 + 4 + 5


def test_failing_rows_carry_line_ids_excerpts_and_why():
    table = _table(["0", "1", "<b>2</b>"], ["안녕\n하세요", "가" * 100, "x"], ["a", "b", "c"])
    finding = Finding("c_id.sequence", "m", [3, 4, 999], details={"problems": ["line 4: C_ID '<b>2</b>' is not an integer"]})
    [done] = attach([finding], table)
    rows = done.details["rows"]
    assert rows[0] == {"line": 3, "c_id": "1", "t_id": "1", "text": excerpt("가" * 100), "completion": "b"}
    assert rows[1]["c_id"] == "<b>2</b>" and rows[1]["problem"] == "C_ID '<b>2</b>' is not an integer"
    assert rows[2] == {"line": 999}, "a line outside the table (a row that did not parse) keeps its number"
    assert excerpt("안녕\n하세요") == "안녕⏎하세요" and len(excerpt("가" * 100)) == 60


def test_failing_rows_are_capped_per_finding():
    table = _table([str(i) for i in range(50)])
    [done] = attach([Finding("text.empty", "m", list(range(2, 52)))], table)
    assert len(done.details["rows"]) == SAMPLE_ROWS and done.count == 50


def test_charts_are_svg_with_every_text_escaped():
    hostile = '<script>alert(1)</script>"&'
    for svg in (
        charts.columns([(hostile, 3), ("b", 0)], caption=hostile, over_from=1, limit_label=hostile),
        charts.bars([(hostile, 5), ("결제오류", 300)], caption=hostile, limit=200, limit_label=hostile),
    ):
        root = ET.fromstring(svg)  # well-formed XML: nothing unescaped broke out of a text or attribute
        assert root.tag.endswith("svg")
        assert "<script" not in svg
        texts = [el.text for el in root.iter() if el.text]
        assert hostile in texts


def test_bars_mark_labels_under_the_minimum():
    svg = charts.bars([("많음", 300), ("적음", 10)], caption="labels", limit=200, limit_label="200 rows minimum")
    bars = [el for el in ET.fromstring(svg).iter() if el.tag.endswith("rect")]
    assert [b.get("class") for b in bars] == ["bar", "bar over"]
    assert "200 rows minimum" in svg
