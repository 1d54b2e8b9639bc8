"""``gx-clova evaluate`` against the emulator: scores row for row, the gate, faults, resume, secrets."""

from __future__ import annotations

import json
import re
import time
from collections import Counter

from evalhelpers import SECRETS, add_task, configure, expected_answers, inquiries, read_rows, run_evaluate

from gx_clova.evaluate.scoring import normalise

TUNED, BASE = "task:t9001", "model:HCX-DASH-001"
#: The emulator's own limits are what the fault tests exercise; gx-clova's pacing is tested apart.
FAST = ("--rpm", "600000", "--tpm", "100000000")


def accuracy_of(answers: list[str], rows: list[dict[str, str]]) -> float:
    return sum(normalise(a) == normalise(r["Completion"]) for a, r in zip(answers, rows, strict=False)) / len(rows)


def evaluate(cli, test_file, *extra):
    return run_evaluate(cli, test_file, "--baseline", "HCX-DASH-001", *FAST, *extra)


def test_scores_equal_what_the_emulator_answered_row_for_row(cli, studio, model, test_file):
    add_task(studio)
    configure(model, test_file, {TUNED: 0.97, BASE: 0.73})
    run = evaluate(cli, test_file)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    rows = read_rows(test_file)
    for target in (TUNED, BASE):
        want = expected_answers(model, test_file, target)
        scores = report["targets"][target]
        assert scores["accuracy"] == round(accuracy_of(want, rows), 4)
        assert scores["answered"] == scores["rows"] == 100
        wrong = [
            (r["Completion"], a) for a, r in zip(want, rows, strict=False) if normalise(a) != normalise(r["Completion"])
        ]
        assert scores["misclassified_total"] == len(wrong)
        assert sorted((m["expected"], m["answer"]) for m in scores["misclassified"]) == sorted(wrong)
        assert scores["outside_label_set"] == sum(1 for _, a in wrong if a not in inquiries.LABELS)
    # every row asked once per target, nothing more
    assert model.requests == Counter({TUNED: 100, BASE: 100})
    assert set(model.answered.values()) == {1}
    [comparison] = report["comparisons"]
    assert comparison["delta"] == round(report["targets"][TUNED]["accuracy"] - report["targets"][BASE]["accuracy"], 4)
    assert report["parameters"] == {"maxTokens": 256}
    assert report["complete"] and report["success"]


def test_the_gate(cli, studio, model, test_file):
    add_task(studio)
    configure(model, test_file, {TUNED: 0.97, BASE: 0.73})
    tuned = accuracy_of(expected_answers(model, test_file, TUNED), read_rows(test_file))
    assert 0.9 <= tuned < 0.99
    assert evaluate(cli, test_file, "--min-accuracy", "0.9").returncode == 0
    failed = evaluate(cli, test_file, "--min-accuracy", "0.99")
    assert failed.returncode == 1
    report = json.loads(failed.stdout)
    [accuracy] = [
        e
        for e in report["expectations"]
        if e["type"] == "expect_clova_accuracy_to_be_at_least" and e["kwargs"]["target"] == TUNED
    ]
    assert not accuracy["success"]
    assert model.requests == Counter({TUNED: 100, BASE: 100})  # the second and third run came from the cache


def test_a_tuned_task_worse_than_its_baseline_fails(cli, studio, model, test_file):
    add_task(studio)
    configure(model, test_file, {TUNED: 0.6, BASE: 0.9})
    run = evaluate(cli, test_file, "--format", "text")
    assert run.returncode == 1
    assert "✗ expect_clova_tuned_to_beat_baseline" in run.stdout and "McNemar exact p" in run.stdout


def test_class_recall_floor_names_the_classes_below(cli, studio, model, test_file):
    add_task(studio)
    configure(model, test_file, {TUNED: 0.8, BASE: 0.5})
    run = evaluate(cli, test_file, "--min-recall", "0.75")
    report = json.loads(run.stdout)
    classes = report["targets"][TUNED]["classes"]
    below = sorted(c["label"] for c in classes if c["recall"] is not None and c["recall"] < 0.75)
    [recall] = [e for e in report["expectations"] if e["type"] == "expect_clova_class_recall_to_be_at_least"]
    assert below and run.returncode == 1 and not recall["success"]
    assert all(label in recall["observed"] for label in below)


def test_429_storm_with_retry_after_is_ridden_out(cli, studio, model, test_file, monkeypatch):
    from gx_clova.submitter import backoff

    monkeypatch.setattr(backoff, "DEFAULT", backoff.RetryPolicy(attempts=30, base=0.01, cap=0.5))
    add_task(studio)
    configure(model, test_file, {TUNED: 0.97})
    model.limits["HCX-DASH-001"] = (10, 1_000_000)  # 10 requests per 0.5 s
    model.window, model.retry_after = 0.5, "0.2"
    started = time.monotonic()
    run = run_evaluate(cli, test_file, "--concurrency", "8", *FAST)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert model.throttled[TUNED] > 0 and report["run"]["retries"] >= model.throttled[TUNED]
    assert report["targets"][TUNED]["answered"] == 100
    assert set(model.answered.values()) == {1} and len(model.answered) == 100
    assert time.monotonic() - started >= 0.5 * (100 / 10 - 1)  # the emulator's limit was honoured


def test_500s_and_dropped_connections_are_retried(cli, studio, model, test_file):
    add_task(studio)
    configure(model, test_file, {TUNED: 1.0})
    studio.fail_next(500, "50000", method="POST", times=3)
    studio.fail_next(503, "50300", method="POST", times=2)
    model.drop_next = 3
    run = run_evaluate(cli, test_file, *FAST)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["targets"][TUNED]["accuracy"] == 1.0 and report["run"]["retries"] >= 8
    assert len(model.answered) == 100 and set(model.answered.values()) == {1}


def test_a_row_that_keeps_failing_leaves_the_run_incomplete_then_resumes(cli, studio, model, test_file, tmp_path):
    add_task(studio)
    configure(model, test_file, {TUNED: 0.97, BASE: 0.73})
    rows = read_rows(test_file)
    model.fail_texts.add(rows[41]["Text"])
    run = evaluate(cli, test_file, "--min-accuracy", "0.5")
    assert run.returncode == 3
    report = json.loads(run.stdout)
    assert not report["complete"] and not report["success"]
    for target in (TUNED, BASE):
        [error] = report["targets"][target]["errors"]
        assert error["line"] == 43 and "HTTP 500" in error["error"], error
        assert report["targets"][target]["answered"] == 99
    assert "incomplete" in run.stderr and "run the same command again" in run.stderr
    complete = [e for e in report["expectations"] if e["type"] == "expect_clova_evaluation_to_be_complete"]
    assert complete and not any(e["success"] for e in complete)
    # the fault clears: only the missing row is asked, once per target
    model.fail_texts.clear()
    before = Counter(model.requests)
    run = evaluate(cli, test_file, "--min-accuracy", "0.5")
    assert run.returncode == 0, run.stderr
    assert model.requests - before == Counter({TUNED: 1, BASE: 1})
    assert set(model.answered.values()) == {1} and len(model.answered) == 200


def test_usage_errors(cli, studio, model, test_file, monkeypatch):
    assert cli("evaluate", test_file).returncode == 2
    assert cli("evaluate", test_file, "--baseline", "HCX-003", "--min-accuracy", "2").returncode == 2
    assert cli("evaluate", test_file, "--baseline", "HCX-003", "--min-recall", "0.5").returncode == 2  # generation
    assert cli("evaluate", test_file, "--task-id", "nope").returncode == 2  # 40400: no such task
    assert cli("evaluate", test_file.with_name("missing.csv"), "--baseline", "HCX-003").returncode == 3
    add_task(studio, "t9002", status="RUNNING")
    run = cli("evaluate", test_file, "--task-id", "t9002")
    assert run.returncode == 3 and "RUNNING" in run.stderr
    monkeypatch.delenv("CLOVASTUDIO_API_KEY")
    run = cli("evaluate", test_file, "--baseline", "HCX-003")
    assert run.returncode == 2 and "CLOVASTUDIO_API_KEY" in run.stderr
    monkeypatch.setenv("CLOVASTUDIO_API_KEY", "wrong-key")
    run = cli("evaluate", test_file, "--baseline", "HCX-003")
    assert run.returncode == 3 and "credentials" in run.stderr and "Traceback" not in run.stderr


def test_service_unreachable_is_exit_3(cli, test_file, monkeypatch):
    monkeypatch.setenv("CLOVASTUDIO_API_URL", "http://127.0.0.1:9")
    # Every row fails to connect; the model's own rate limit would pace the 100 rows x 4 attempts
    # for half a minute (throttling has its own test), so the limit is lifted here.
    run = cli("evaluate", test_file, "--baseline", "HCX-003", "--format", "json",
              "--rpm", "1000000", "--tpm", "1000000000")
    assert run.returncode == 3 and "Traceback" not in run.stderr


def test_no_secret_in_any_output_cache_or_docs(cli, studio, model, test_file, tmp_path):
    add_task(studio)
    configure(model, test_file, {TUNED: 0.9, BASE: 0.7})
    docs = tmp_path / "docs"
    outputs = []
    for fmt in ("text", "json", "junit"):
        run = evaluate(cli, test_file, "--format", fmt, "--docs", docs, "--progress", "always")
        assert run.returncode == 0, run.stderr
        outputs += [run.stdout, run.stderr]
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name == "test.answers.jsonl" for p in files) and any(p.suffix == ".html" for p in files)
    blobs = outputs + [p.read_bytes().decode("utf-8", "replace") for p in files]
    for secret in SECRETS:
        assert not any(secret in blob for blob in blobs), secret


def test_generation_scores_chrf_beside_every_answer(cli, studio, model, tmp_path):
    test_file = tmp_path / "gen.csv"
    test_file.write_text(
        "C_ID,T_ID,Text,Completion\n" + "".join(f"{i},0,질문 {i},답변은 {i}번입니다\n" for i in range(100)),
        encoding="utf-8",
    )
    # the emulator knows no truth here: it answers "" except where taught
    for i in range(100):
        model.truth[f"질문 {i}"] = f"답변은 {i}번입니다" if i % 4 else f"답변 {i}"
    run = cli("evaluate", test_file, "--baseline", "HCX-003", "--format", "json", *FAST)
    assert run.returncode == 0, run.stderr
    scores = json.loads(run.stdout)["targets"]["model:HCX-003"]
    assert scores["accuracy"] == 0.75 and 0 < scores["chrf"] < 100
    assert len(scores["answers"]) == 100
    assert scores["answers"][1]["chrf"] == 100.0 and scores["answers"][0]["chrf"] < 100


def test_a_refused_row_is_recorded_and_the_run_goes_on(cli, studio, model, test_file):
    add_task(studio)
    configure(model, test_file, {TUNED: 1.0})
    studio.fail_next(400, "40001", method="POST", times=1)  # not retryable: one row gets no answer
    run = run_evaluate(cli, test_file, *FAST)
    assert run.returncode == 3
    scores = json.loads(run.stdout)["targets"][TUNED]
    [error] = scores["errors"]
    assert "40001" in error["error"] and scores["answered"] == 99 and scores["accuracy"] == 1.0


def test_progress_and_the_label_set_from_the_task(cli, studio, model, test_file):
    from evalhelpers import fake_studio

    class ClassificationTask(fake_studio.Task):
        def result(self):
            return {**super().result(), "statusInfo": {"label": list(inquiries.LABELS)}}

    studio.tasks["t9001"] = ClassificationTask("t9001", {"model": "HCX-003"}, None, ["SUCCEEDED"])
    configure(model, test_file, {TUNED: 0.9})
    run = run_evaluate(cli, test_file, "--progress", "always", *FAST)
    assert run.returncode == 0, run.stderr
    assert re.search(r"evaluate: 100/100 answers, [\d.,]+/s, ETA 0 s", run.stderr)
    report = json.loads(run.stdout)
    assert report["labels"] == list(inquiries.LABELS)
    assert report["rate_limits"] == {"HCX-003": {"requests_per_minute": 600000, "tokens_per_minute": 100000000}}


def test_reports_and_the_cache_never_overwrite_an_input(cli, test_file):
    before = test_file.read_bytes()
    for option in ("--output", "--cache"):
        run = cli("evaluate", test_file, "--baseline", "HCX-003", option, test_file)
        assert run.returncode == 2 and "is the test file: gx-clova never overwrites its input" in run.stderr
    assert test_file.read_bytes() == before


def test_junit_report_parses_and_names_the_failed_gate(cli, studio, model, test_file, tmp_path):
    import xml.etree.ElementTree as ET

    add_task(studio)
    configure(model, test_file, {TUNED: 0.97, BASE: 0.73})
    out = tmp_path / "junit.xml"
    run = evaluate(cli, test_file, "--min-accuracy", "0.99", "--format", "junit", "--output", out)
    assert run.returncode == 1 and "report written to" in run.stderr
    suite = ET.parse(out).getroot().find("testsuite")
    assert suite.get("failures") == "1" and suite.get("errors") == "0"
    [failed] = [case for case in suite.iter("testcase") if case.find("failure") is not None]
    assert "expect_clova_accuracy_to_be_at_least" in failed.get("name") and TUNED in failed.get("name")
