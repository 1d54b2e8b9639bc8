"""The Spark engine's driver stays small with every warning on: a dataset several times the
driver's memory budget validates to the right verdict. The Python driver runs in a child process
whose resident memory during validation is capped (a watchdog ends it past the cap, and the
kernel's high-water mark, reset after the read, is checked at the end); before the warnings had
Spark twins, they collected the whole table into that process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.spark

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
#: Resident memory the Python driver may add to what it holds once Spark and GX are loaded.
CAP_MB = 40
ROWS = 400_000
FILLER = "데이터 품질을 확인하는 문장입니다 " * 6

DRIVER = r"""
import json, os, sys, tempfile, threading, time

def status(key):
    with open("/proc/self/status") as handle:
        return next(int(line.split()[1]) // 1024 for line in handle if line.startswith(key))

from gx_clova.reading.stream import stage_dataset
from gx_clova.sources import LocalSource
from gx_clova.spark import get_session, validate_staged
import gx_clova.gx.expectations  # noqa: F401 - loaded before the baseline, as in any run

cap = int(sys.argv[2])
spark = get_session("local[2]", {"spark.sql.shuffle.partitions": "4", "spark.driver.memory": "1g",
                                 "spark.default.parallelism": "2"})
parts = tempfile.TemporaryDirectory()
# The read streams the file into Parquet parts in bounded memory of its own (README: Spark); the
# cap is on what validating the parts adds, the part that used to collect the table.
staged = stage_dataset(LocalSource(sys.argv[1]), parts.name)
import gc; gc.collect()
with open("/proc/self/clear_refs", "w") as handle:
    handle.write("5")  # resets the kernel's peak (VmHWM) to the current resident size
baseline = status("VmRSS:")

def watchdog():
    while True:
        if status("VmRSS:") > baseline + cap:
            print(f"over the cap: {status('VmRSS:') - baseline} MB above the baseline", file=sys.stderr, flush=True)
            os._exit(75)
        time.sleep(0.02)

threading.Thread(target=watchdog, daemon=True).start()
report = validate_staged(staged, spark)
print(json.dumps({"success": report.success, "rows": report.rows,
                  "found": {f.code: [f.count, f.lines[:3]] for f in report.failures},
                  "peak_mb": status("VmHWM:") - baseline}))
"""


def _write(path) -> int:
    """ROWS single-turn rows: every 1,000th repeats the row before it, every 5,000th holds a phone
    number, row 123,456 has an empty Text (the one error). Returns the file size."""
    with open(path, "w", encoding="utf-8") as out:
        out.write("C_ID,T_ID,Text,Completion\n")
        for i in range(ROWS):
            n = i - 1 if i % 1000 == 999 else i
            text = "" if i == 123_456 else f"질문 {n} {FILLER}"
            if i % 5000 == 1:
                text += " 연락처 010-1234-5678"
            out.write(f"{i},0,{text},답변 {n}\n")
    return os.path.getsize(path)


def test_warnings_on_a_dataset_several_times_the_drivers_cap(tmp_path):
    path = tmp_path / "train.csv"
    size_mb = _write(path) / 2**20
    assert size_mb > 3 * CAP_MB
    result = subprocess.run([sys.executable, "-c", DRIVER, str(path), str(CAP_MB)], cwd=ROOT, capture_output=True,
                            text=True, timeout=1800)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["success"] is False and report["rows"] == ROWS
    assert report["found"]["text.empty"] == [1, [123_458]]
    assert report["found"]["duplicate.row"][0] == ROWS // 1000
    assert report["found"]["duplicate.row"][1] == [1001, 2001, 3001]
    assert report["found"]["pii.phone-number"][0] == ROWS // 5000
    assert report["peak_mb"] <= CAP_MB
