"""The Spark engine beyond the rule cases: the CLI, a user's DataFrame and session, the kernels'
edges (code points, line buckets), all on a real local Spark (tests/conftest.py)."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys

import pyarrow as pa
import pytest
from cli_inprocess import Ran, run_cli

from gx_clova.reading.dataset import LINE
from gx_clova.rules import RECORDS, content, ids
from gx_clova.spark.rules import content as spark_content
from gx_clova.spark.rules import ids as spark_ids
from gx_clova.validation import validate

pytestmark = pytest.mark.spark

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BROKEN = os.path.join(ROOT, "examples", "broken.csv")


def run(*args: str) -> Ran:
    """The CLI in this process; with the ``spark`` fixture it finds the session active and uses it
    (as a user's process would), instead of starting a JVM of its own."""
    return run_cli(*args)


def _failures(report) -> list[tuple]:
    return [(f.code, f.lines, f.message, f.count) for f in report.failures]


def test_cli_engine_spark_gives_the_pandas_verdict(spark, tmp_path):
    out = tmp_path / "spark.json"
    result = run("validate", BROKEN, "--engine", "spark", "--spark-master", "local[2]", "--format", "json",
                 "--output", str(out))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    spark_report = json.loads(out.read_text(encoding="utf-8"))
    pandas_report = validate(BROKEN).to_dict()
    assert spark_report["engine"] == "spark" and spark_report["spark_master"] == "local[2]"
    for key in ("success", "rows", "source"):
        assert spark_report[key] == pandas_report[key], key
    assert [(f["code"], f["lines"], f["message"]) for f in spark_report["failures"]] == \
        [(f["code"], f["lines"], f["message"]) for f in pandas_report["failures"]]


def test_cli_spark_master_needs_the_spark_engine():
    result = run("validate", BROKEN, "--spark-master", "local[2]")
    assert result.returncode == 2
    assert "--spark-master needs --engine spark" in result.stderr


def test_cli_spark_engine_on_a_missing_file_exits_3(spark):
    result = run("validate", "/nonexistent/train.csv", "--engine", "spark")
    assert result.returncode == 3, result.stderr
    assert "cannot read the source" in result.stderr and "Traceback" not in result.stderr


def test_validate_a_path_inside_the_users_session(spark, tmp_path):
    from gx_clova.spark import frames

    path = tmp_path / "train.jsonl"
    rows = [{"C_ID": i // 2, "T_ID": i % 2, "Text": f"질문 {i}", "Completion": "답"} for i in range(120)]
    rows[7]["T_ID"] = 5
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    report = validate(str(path), engine="spark", spark=spark)
    assert report.extra["engine"] == "spark"
    assert report.lines("t_id.sequence") == [8]
    assert _failures(report) == _failures(validate(str(path)))
    assert spark.range(3).count() == 3, "the user's session is left running"
    assert frames._REGISTRY == {}, "the batch's facts are forgotten after the run"


def test_validate_a_users_dataframe_with_a_line_column(spark):
    from gx_clova.spark import validate_dataframe

    data = [(10 + i, i, 0, f"질문 {i}", "답변") for i in range(150)]
    data[40] = (50, 41, 0, "", "답변")  # C_ID jumps (40 -> 41 is missing) and Text is empty
    frame = spark.createDataFrame(data, "line long, C_ID int, T_ID int, Text string, Completion string")
    report = validate_dataframe(frame, line_column="line", name="tuning.train")
    assert report.source["uri"] == "tuning.train"
    assert report.rows == 150
    assert report.lines("text.empty") == [50]
    assert report.lines("c_id.sequence") == [50]
    assert report.lines("t_id.sequence") == [51]
    assert "header.unexpected-column" not in report.codes(), "the line column is not a data column"
    assert report.success is False


def test_validate_a_users_dataframe_by_order_or_as_read(spark):
    from gx_clova.spark import validate_dataframe

    data = [(i, 0, f"질문 {i}", "" if i == 7 else "답변") for i in range(120)]
    shuffled = spark.createDataFrame(list(reversed(data)), "C_ID int, T_ID int, Text string, Completion string")
    ordered = validate_dataframe(shuffled.repartition(3), order_by=["C_ID"])
    assert ordered.lines("completion.empty") == [8], "record 8 after ordering by C_ID"
    assert "c_id.sequence" not in ordered.codes()
    as_read = validate_dataframe(spark.createDataFrame(data, shuffled.schema).coalesce(1))
    assert as_read.lines("completion.empty") == [8]
    # No file lines: the positions are records and say so, as on a pandas DataFrame.
    finding = next(f for f in as_read.failures if f.code == "completion.empty")
    assert "line" not in finding.message.lower()
    assert finding.details["positions"] == RECORDS


def test_row_positions_span_partitions(spark):
    from gx_clova.spark.frames import with_lines

    frame = spark.range(0, 1000, numPartitions=7).withColumnRenamed("id", "value")
    lines = {r["value"]: r[LINE] for r in with_lines(frame).collect()}
    assert lines == {value: value + 2 for value in range(1000)}


def _frame(spark, table: pa.Table):
    return spark.createDataFrame(table.to_pylist(), "__line__ long, " + ", ".join(
        f"{name} string" for name in table.column_names if name != LINE))


def test_lengths_are_code_points_on_both_engines(spark):
    table = pa.table({LINE: [2, 3, 4], "Text": ["😀😀😀", "😀😀😀", "가나"], "Completion": ["ab", "abc", None]})
    arrow = content.check_length(table, max_chars=5)
    spark_found = spark_content.check_length_spark(_frame(spark, table), max_chars=5)
    assert [f.to_dict() for f in spark_found] == [f.to_dict() for f in arrow]
    assert spark_found[0].lines == [3]


def test_id_rules_agree_across_line_buckets(spark, monkeypatch):
    """Breaks that fall on bucket edges, empty buckets and non-integer rows between them."""
    from gx_clova.spark.rules import _common

    monkeypatch.setattr(_common, "BUCKET_BITS", 2)  # buckets of 4 lines
    rng = random.Random(7)
    lines, c_ids, t_ids = [], [], []
    line, conversation, turn = 2, 0, 0
    for _ in range(400):
        line += rng.choice([1, 1, 1, 2, 9])  # multi-line records and gaps of whole buckets
        if rng.random() < 0.4:
            conversation, turn = conversation + 1, 0
        else:
            turn += 1
        c, t = conversation, turn
        roll = rng.random()
        if roll < 0.03:
            c = rng.randrange(0, conversation + 3)
        elif roll < 0.06:
            t = rng.randrange(0, 4)
        lines.append(line)
        c_ids.append("x" if roll > 0.985 else str(c))
        t_ids.append(str(t))
    table = pa.table({LINE: lines, "C_ID": c_ids, "T_ID": t_ids})
    frame = _frame(spark, table).repartition(5)
    arrow = ids.check_c_id(table) + ids.check_t_id(table)
    assert {f.code for f in arrow} == {"c_id.sequence", "t_id.sequence"}, "the data has breaks to find"
    found = spark_ids.check_c_id_spark(frame) + spark_ids.check_t_id_spark(frame)
    assert [f.to_dict() for f in found] == [f.to_dict() for f in arrow]


def test_spark_results_render_data_docs(spark, tmp_path):
    report = validate(BROKEN, engine="spark", spark=spark, docs_dir=str(tmp_path / "docs"))
    assert report.success is False
    html = "\n".join(p.read_text(encoding="utf-8") for p in (tmp_path / "docs").rglob("*.html"))
    pages = re.sub(r"<[^>]+>", "", html)
    assert "len(Text) + len(Completion) is at most 8,000 characters" in pages
    assert "row.too-long: 1 at line 39" in pages


def test_cli_without_a_working_java_exits_3_and_names_java_17():
    env = {**os.environ, "JAVA_HOME": "/nonexistent-java"}
    result = subprocess.run([sys.executable, "-m", "gx_clova", "validate", BROKEN, "--engine", "spark"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 3
    assert "Java 17" in result.stderr and "Traceback" not in result.stderr


def test_every_gx_clova_metric_has_a_spark_twin():
    """No built-in metric falls back to collecting the batch on the driver (``metrics.on_driver``)."""
    import inspect

    from gx_clova.gx import metrics
    from gx_clova.gx.metrics import profile

    found = {cls.metric_name: cls for module in (metrics, profile)
             for _, cls in inspect.getmembers(module, inspect.isclass)
             if cls.__module__ == module.__name__ and getattr(cls, "metric_name", None)}
    assert {"clova.duplicate_findings", "clova.text_quality_findings", "clova.leakage_findings",
            "clova.label_quality_findings", "clova.profile.lengths"} <= set(found)
    missing = [name for name, cls in found.items() if name != "clova.table"
               and getattr(cls, "spark_kernel", None) is None and getattr(cls, "spark_summarize", None) is None]
    assert missing == []


def _conversations(rng: random.Random, count: int) -> pa.Table:
    """Conversations built from a few repeated turns, so that prefixes, duplicates and conflicts
    recur; lines skip (multi-line records) and some cells are null, decomposed or personal."""
    turns = [("안녕", "안녕하세요"), ("안녕", "반가워요"), ("고마워요", "천만에요"), ("요금?", "월 만 원"),
             ("e-mail?", "a@b.co"), ("\u1100\u1161 분해", "답"), ("전화", "010-1234-5678")]
    rows: dict[str, list] = {LINE: [], "System_Prompt": [], "C_ID": [], "T_ID": [], "Text": [], "Completion": []}
    line = 1
    for conversation in range(count):
        prompt = rng.choice(["S", "T", None])
        c_id = str(conversation if rng.random() > 0.05 else max(conversation - 1, 0))  # some runs merge
        for turn in range(rng.choice([1, 1, 2, 3, 5])):
            text, completion = rng.choice(turns)
            line += rng.choice([1, 1, 1, 2, 6])
            for name, value in ((LINE, line), ("System_Prompt", prompt), ("C_ID", c_id), ("T_ID", str(turn)),
                                ("Text", text if rng.random() > 0.03 else None), ("Completion", completion)):
                rows[name].append(value)
    return pa.table(rows)


def test_quality_and_profile_twins_agree_across_line_buckets(spark, monkeypatch):
    """Duplicates, conflicts, text quality, label quality and the Data Docs profile: the Spark
    twins give the Arrow kernels' findings and summaries when runs cross line buckets."""
    from gx_clova import profile
    from gx_clova.rules import label_quality, quality
    from gx_clova.spark.rules import _common
    from gx_clova.spark.rules import label_quality as spark_label_quality
    from gx_clova.spark.rules import profile as spark_profile
    from gx_clova.spark.rules import quality as spark_quality

    monkeypatch.setattr(_common, "BUCKET_BITS", 2)  # buckets of 4 lines
    table = _conversations(random.Random(11), 300)
    frame = _frame(spark, table).repartition(5)
    arrow = quality.check_duplicates(table) + quality.check_text(table) + label_quality.check(table, max_ratio=1)
    assert {f.code for f in arrow} >= {"duplicate.row", "label.conflict", "pii.email", "pii.phone-number",
                                       "class.imbalance"}, "the data has findings to compare"
    found = (spark_quality.check_duplicates_spark(frame) + spark_quality.check_text_spark(frame)
             + spark_label_quality.check_spark(frame, max_ratio=1))
    assert [f.to_dict() for f in found] == [f.to_dict() for f in arrow]
    assert spark_profile.conversations_spark(frame) == profile.conversations(table)
    assert spark_profile.lengths_spark(frame, max_chars=7) == profile.lengths(table, max_chars=7)
    assert spark_profile.labels_spark(frame) == profile.labels(table)


def test_cli_eval_file_with_the_spark_engine_gives_the_pandas_report(spark, tmp_path):
    train, evaluation = tmp_path / "train.csv", tmp_path / "eval.jsonl"
    rows = [f"{i},0,질문 {i},답 {i}" for i in range(120)]  # 100 rows at least: a warning-only file
    train.write_text("C_ID,T_ID,Text,Completion\n" + "\n".join(rows) + "\n", encoding="utf-8")
    evaluation.write_text("\n".join(json.dumps({"C_ID": i, "T_ID": 0, "Text": text, "Completion": answer},
                                               ensure_ascii=False)
                                    for i, (text, answer) in enumerate([("질문 7", "답 7"), ("질문  12 ", "답 12"),
                                                                        ("질문 30", "다른 답")])) + "\n",
                          encoding="utf-8")
    reports = {}
    for engine in ("pandas", "spark"):
        out = tmp_path / f"{engine}.json"
        result = run("validate", str(train), "--eval-file", str(evaluation), "--engine", engine, "--format", "json",
                     "--output", str(out))
        assert result.returncode == 0, result.stderr  # a warning alone does not fail the file
        assert "Traceback" not in result.stderr
        reports[engine] = json.loads(out.read_text(encoding="utf-8"))
    spark_found = [f for f in reports["spark"]["failures"] if f["code"] == "leakage.eval-overlap"]
    assert [f["lines"] for f in spark_found] == [[9, 14]]
    assert reports["spark"]["failures"] == reports["pandas"]["failures"]
    assert reports["spark"]["eval"] == reports["pandas"]["eval"]


def test_a_metric_that_raised_is_never_read_as_no_findings():
    """GX keeps a failed metric's exception under the metric's id; a failed Spark job (a Python
    worker without pyarrow, an executor out of memory) once passed as an empty, passing result."""
    from types import SimpleNamespace

    from gx_clova.gx.validation import findings_of

    nested = {"('clova.leakage_findings', 'batch', ())": {"exception_traceback": "…", "raised_exception": True,
                                                            "exception_message": "PythonException: no pyarrow"}}
    evr = SimpleNamespace(expectation_config=SimpleNamespace(type="expect_no_eval_leakage"), result={},
                          exception_info=nested, success=True)
    with pytest.raises(RuntimeError, match="expect_no_eval_leakage raised: PythonException: no pyarrow"):
        findings_of(SimpleNamespace(results=[evr]))
    evr.exception_info = {"raised_exception": False, "exception_message": None}
    assert findings_of(SimpleNamespace(results=[evr]))[0] == []
