"""Not enough memory for an in-memory validation: exit 3 with a message naming memory, before
pyarrow starts (under ``prlimit --as`` pyarrow used to abort the process: exit 134, a signal)."""

from __future__ import annotations

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
def test_a_cap_too_small_exits_3_naming_memory(tmp_path, cap_mb):
    path = _dataset(tmp_path / "train.csv", 40_000)  # ~40 MB: needs far more than 700 MB of address space
    done = _validate_capped(path, cap_mb)
    assert done.returncode == 3, (done.returncode, done.stderr[-800:])
    assert "memory" in done.stderr and "--engine spark" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


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
