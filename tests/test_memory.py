"""Not enough memory for an in-memory validation: exit 3 with a message naming memory, before
pyarrow starts (under ``prlimit --as`` pyarrow used to abort the process: exit 134, a signal)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PRLIMIT = shutil.which("prlimit")
MB = 1 << 20

pytestmark = pytest.mark.skipif(PRLIMIT is None, reason="util-linux prlimit is part of the test set-up")


def _dataset(path, rows: int) -> str:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("C_ID,T_ID,Text,Completion\n")
        for i in range(rows):
            handle.write(f"{i},0,질문 {i} " + "가나다라마바사 " * 40 + f",답변 {i}\n")
    return str(path)


def _validate_capped(path: str, cap_mb: int) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=ROOT)
    return subprocess.run([PRLIMIT, f"--as={cap_mb * MB}", sys.executable, "-m", "gx_clova", "validate", path,
                           "--format", "json"], capture_output=True, text=True, env=env, timeout=300, check=False)


@pytest.mark.parametrize("cap_mb", [250, 700])
def test_a_cap_too_small_even_for_streaming_exits_3_naming_memory(tmp_path, cap_mb):
    path = _dataset(tmp_path / "train.csv", 40_000)  # ~40 MB: too much for 700 MB in memory, streaming needs 800
    done = _validate_capped(path, cap_mb)
    assert done.returncode == 3, (done.returncode, done.stderr[-800:])
    assert "out of memory" in done.stderr and "even in streaming mode" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


def _faulted(path, rows: int) -> tuple[str, dict[str, list[int]]]:
    """A file with an empty Text, a C_ID jump and a repeated conversation, and their lines."""
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("C_ID,T_ID,Text,Completion\n")
        c_id = 0
        for i in range(rows):
            text = "" if i == 5_000 else f"질문 {i} " + "가나다라마바사 " * 40
            if i == rows - 10:
                c_id += 1  # a jump: conversation rows - 10 + 1 is missing
            handle.write(f"{c_id},0,{text},답변 {i}\n")
            c_id += 1
        handle.write(f"{c_id + 1},0,질문 7 {'가나다라마바사 ' * 40},답변 7\n")  # line 9 again, after its own jump
    last = rows + 2
    return str(path), {"text.empty": [5_002], "c_id.sequence": [rows - 10 + 2, last], "duplicate.row": [last]}


@pytest.mark.slow
def test_a_file_too_large_for_the_cap_in_memory_is_streamed_to_the_right_verdict(tmp_path):
    """80,000 rows (~75 MB) need about 1.1 GB of address space in memory; under a 1,000 MiB cap the
    CLI streams instead, finds every fault on its line and reports what the uncapped in-memory
    run reports."""
    path, faults = _faulted(tmp_path / "train.csv", 80_000)
    done = _validate_capped(path, 1000)
    assert done.returncode == 1, (done.returncode, done.stderr[-800:])
    streamed = json.loads(done.stdout)
    assert streamed["streaming"] is True and streamed["success"] is False and streamed["rows"] == 80_001
    found = {f["code"]: f["lines"] for f in streamed["failures"]}
    for code, lines in faults.items():
        assert found[code] == lines, code
    env = dict(os.environ, PYTHONPATH=ROOT)
    in_memory = subprocess.run([sys.executable, "-m", "gx_clova", "validate", path, "--format", "json"],
                               capture_output=True, text=True, env=env, timeout=300, check=False)
    assert in_memory.returncode == 1
    expected = json.loads(in_memory.stdout)
    for report in (streamed, expected):
        for key in ("validation_seconds", "read_seconds", "streaming"):
            report.pop(key, None)
    assert streamed == expected


def test_a_cap_that_fits_gets_the_verdict(tmp_path):
    path = _dataset(tmp_path / "train.csv", 1_000)
    done = _validate_capped(path, 3000)
    assert done.returncode == 0, done.stderr[-800:]
    assert '"success": true' in done.stdout


def test_the_decision_compares_the_file_with_both_limits(tmp_path):
    from gx_clova.memory import GB, NotEnoughMemory, check

    path = tmp_path / "train.csv"
    path.write_bytes(b"x" * (10 * MB))
    check(str(path), limit=None, available=None)  # nothing known: no refusal
    check(str(path), limit=2 * GB, available=2 * GB)
    with pytest.raises(NotEnoughMemory, match="address-space limit"):
        check(str(path), limit=800 * MB, available=8 * GB)
    with pytest.raises(NotEnoughMemory, match="the system has available"):
        check(str(path), limit=None, available=200 * MB)
    check("s3://bucket/key.csv", limit=1, available=1)  # remote: left to the reader


POOL = ("import sys; from gx_clova.cli import main; main(['validate', sys.argv[1], '--output', sys.argv[2]]); "
        "import pyarrow; print(pyarrow.default_memory_pool().backend_name)")


@pytest.mark.parametrize("cap, pool", [(None, "jemalloc"), (3000 * MB, "system")])
def test_the_cli_uses_jemalloc_unless_address_space_is_capped(tmp_path, cap, pool):
    """jemalloc holds less resident memory; under a cap the system allocator, whose failures come
    back as errors (mimalloc, pyarrow's default, aborts the process)."""
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    env["PYTHONPATH"] = ROOT
    prefix = [PRLIMIT, f"--as={cap}"] if cap else []
    done = subprocess.run(prefix + [sys.executable, "-c", POOL,
                                    os.path.join(ROOT, "examples", "generation.csv"), str(tmp_path / "r.txt")],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.stdout.strip().splitlines()[-1] == pool, done.stderr[-500:]
