"""Validation time against the length of one cell: it must grow linearly, not quadratically.

    .venv/bin/python bench/huge_cells.py                    # 1 MiB, 16 MiB and 50 MB cells
    .venv/bin/python bench/huge_cells.py --sizes 1048576 4194304

Each file holds 120 valid rows and one failing row (line 2) whose Text is one ASCII cell of the
given length with a phone number near its start, so the row is reported (row.too-long), its
excerpt masked and its cell inspected by the quality rules. Each size runs in a fresh process
(``gx_clova.validation.validate`` in-process time, and the whole process's wall time) and the
results go to ``bench/results/huge-cells.json``. A quadratic step (issue 9: the excerpt masked
the whole cell before cutting it; the e-mail pattern re-scanned a run from every position)
shows as the time per MB growing with the size.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SIZES = (1 << 20, 16 << 20, 50_000_000)

_CHILD = """
import sys, time
from gx_clova.validation import validate
started = time.perf_counter()
report = validate(sys.argv[1])
print(time.perf_counter() - started, report.success, sorted({f.code for f in report.failures}))
"""


def write_file(path: str, size: int) -> None:
    with open(path, "w", encoding="ascii") as handle:
        handle.write("C_ID,T_ID,Text,Completion\n")
        cell = "call 010-1234-5678 " + "a" * (size - 19)
        handle.write(f"0,0,{cell},answer\n")
        for i in range(1, 121):
            handle.write(f"{i},0,question {i},answer {i}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="cell lengths in characters")
    parser.add_argument("--results", default=os.path.join(HERE, "results", "huge-cells.json"))
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="gx-clova-bench-") as folder:
        for size in args.sizes:
            path = os.path.join(folder, f"cell-{size}.csv")
            write_file(path, size)
            started = time.perf_counter()
            done = subprocess.run([sys.executable, "-c", _CHILD, path], capture_output=True, text=True,
                                  env=dict(os.environ, PYTHONPATH=ROOT), check=True)
            wall = time.perf_counter() - started
            seconds, success, codes = done.stdout.split(" ", 2)
            rows.append({"cell_chars": size, "file_bytes": os.path.getsize(path),
                         "validate_s": round(float(seconds), 2), "process_s": round(wall, 2),
                         "success": success == "True", "codes": codes.strip()})
            os.remove(path)
    print("| cell | validate s | process s | s per MB of cell | codes |")
    print("|---:|---:|---:|---:|---|")
    for r in rows:
        per_mb = r["validate_s"] / (r["cell_chars"] / 1e6)
        print(f"| {r['cell_chars']:,} | {r['validate_s']:.2f} | {r['process_s']:.2f} | {per_mb:.3f} | {r['codes']} |")
    os.makedirs(os.path.dirname(args.results), exist_ok=True)
    with open(args.results, "w", encoding="utf-8") as handle:
        json.dump({"python": sys.version.split()[0], "rows": rows}, handle, indent=2)
        handle.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
