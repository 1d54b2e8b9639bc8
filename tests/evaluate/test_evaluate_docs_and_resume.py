"""The evaluation's Data Docs page (heat map, bars, misses; escaped, offline, opened in Chromium)
and a run killed with ``kill -9`` then resumed."""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from evalhelpers import TESTS, add_task, configure, inquiries, read_rows

ROOT = TESTS.parent
TUNED, BASE = "task:t9001", "model:HCX-DASH-001"
FAST = ("--rpm", "600000", "--tpm", "100000000")
EVIL_LABEL = '<img src=x onerror="document.title=1">밴드'
EVIL_TEXT = "<script>document.title='pwned'</script> 밴드 앱 알림"


def _browser():
    name = "gx_clova_testhelper_docs_browser"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, TESTS / "docs" / "browser.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def test_the_page_draws_the_matrix_and_escapes_every_value(cli, studio, model, tmp_path):
    test_file = inquiries.write(tmp_path / "test.csv", 7, total=100)
    rows = read_rows(test_file)
    rows[5]["Completion"], rows[6]["Text"] = EVIL_LABEL, EVIL_TEXT
    with open(test_file, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    add_task(studio)
    configure(model, test_file, {TUNED: 0.9, BASE: 0.5})
    model.labels.append(EVIL_LABEL)
    docs = tmp_path / "docs"
    run = cli("evaluate", test_file, "--task-id", "t9001", "--baseline", "HCX-DASH-001", "--task", "classification",
              "--docs", docs, *FAST)
    assert run.returncode == 0, run.stderr
    pages = [p for p in (docs / "validations").rglob("*.html")]
    [page] = pages
    html = page.read_text(encoding="utf-8")
    assert html.count("gx-clova-heatmap") == 2  # tuned and baseline
    assert "Evaluation: task:t9001" in html and "Misclassified rows" in html
    assert "밴드오류해결" in html and "마이박스데이터관리" in html  # labels as written
    assert "(outside the label set)" in html
    for raw in ("<script>document.title", '<img src=x onerror="document.title'):
        assert raw not in html
    assert "&lt;script&gt;" in html or "&amp;lt;script" in html
    browser = _browser()
    proxy = browser.RecordingProxy()
    try:
        dom = browser.dump_dom(page.as_uri(), proxy)
    finally:
        proxy.close()
    assert "<title>pwned" not in dom and "<title>1</title>" not in dom
    assert "gx-clova-heatmap" in dom
    assert proxy.page_requests == []


def _cache_lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def test_a_run_killed_with_sigkill_resumes_and_every_row_is_answered_once_per_target(studio, model, test_file,
                                                                                     tmp_path):
    add_task(studio)
    configure(model, test_file, {TUNED: 0.95, BASE: 0.7})
    model.hold_after = 60  # answer 60 requests, then hold the rest: the kill finds no answer in flight
    cache = tmp_path / "test.answers.jsonl"
    command = [sys.executable, "-m", "gx_clova", "evaluate", str(test_file), "--task-id", "t9001", "--baseline",
               "HCX-DASH-001", "--task", "classification", "--format", "json", "--concurrency", "3", *FAST]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while _cache_lines(cache) < 60 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    time.sleep(0.2)
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL
    model.hold_after = None
    model.release()
    kept = [json.loads(line)["key"] for line in cache.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(kept) == len(set(kept)) == 60

    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["run"]["cached"] == 60 and report["run"]["requests"] == 140
    assert all(report["targets"][t]["answered"] == 100 for t in (TUNED, BASE))
    assert len(model.answered) == 200 and set(model.answered.values()) == {1}  # once per row and target
