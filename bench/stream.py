"""Streaming mode on a large file: time, MB/s and peak RSS, against the in-memory path and plain reads.

    .venv/bin/python bench/stream.py                               # 1M rows (~1.3 GB), every step
    .venv/bin/python bench/stream.py --rows 5000000 --cap 2GiB --only stream   # 5M rows (~6.5 GB)

Every step runs in a fresh process under GNU time (wall, CPU, peak RSS); ``--cap`` runs the
streaming step under ``prlimit --as`` (an address-space limit the in-memory path could not live
with). The generated file carries the benchmark's faults (``generate.py --faults``), and the run
checks that the streamed report has them, on their lines, and that it equals the in-memory
report where both ran (timings aside). Load average and machine go into the results JSON, since
this 2-core machine is shared and wall times move with the load.

Steps: ``stream`` (``gx-clova validate --stream``), ``memory`` (``gx-clova validate``, in memory),
``pyarrow`` (``pyarrow.csv.read_csv``, newlines in values, 16 MiB blocks, every column text),
``polars`` (``polars.read_csv``, every column text; skipped when polars is not installed: it is a
bench-only requirement, ``.venv/bin/pip install polars``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
STEPS = ("stream", "memory", "pyarrow", "polars")

PYARROW_READ = """
import sys, pyarrow as pa, pyarrow.csv as c
names = open(sys.argv[1], encoding="utf-8").readline().rstrip("\\n").split(",")
t = c.read_csv(sys.argv[1], read_options=c.ReadOptions(block_size=16 << 20),
               parse_options=c.ParseOptions(newlines_in_values=True),
               convert_options=c.ConvertOptions(column_types={n: pa.string() for n in names}))
print(t.num_rows)
"""
POLARS_READ = """
import sys, polars as pl
print(pl.read_csv(sys.argv[1], infer_schema=False).height)
"""


def _size(text: str) -> int:
    match = re.fullmatch(r"(\d+)([KMG]i?B?)?", text.strip(), re.IGNORECASE)
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r}: give bytes, or a size like 2GiB")
    unit = (match.group(2) or "").upper()[:1]
    return int(match.group(1)) << {"": 0, "K": 10, "M": 20, "G": 30}[unit]


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def machine() -> dict:
    model = ""
    with open("/proc/cpuinfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as handle:
        total = int(handle.readline().split()[1]) << 10
    return {"cpus": os.cpu_count(), "cpu": model, "memory_gb": round(total / (1 << 30), 1),
            "python": platform.python_version()}


def timed(command: list[str], cap: int | None = None) -> dict:
    """Run ``command`` under GNU time (and ``prlimit --as=cap``): exit, wall, CPU, peak RSS."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        prefix = [shutil.which("prlimit"), f"--as={cap}"] if cap else []
        full = ["/usr/bin/time", "-f", "%e %U %S %M", "-o", report.name, *prefix, *command]
        load = _load()
        started = time.perf_counter()
        done = subprocess.run(full, capture_output=True, text=True, check=False,
                              env=dict(os.environ, PYTHONPATH=ROOT))
        wall = time.perf_counter() - started
        fields = report.read().split()[-4:]
    out = {"exit": done.returncode, "wall_s": round(wall, 2), "load_before": load, "load_after": _load()}
    if len(fields) == 4:
        out.update(cpu_s=round(float(fields[1]) + float(fields[2]), 2), peak_rss_mb=round(int(fields[3]) / 1024))
    if done.returncode not in (0, 1):
        out["stderr"] = done.stderr[-600:]
    return out


def _report(path: str) -> dict:
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    for key in ("validation_seconds", "read_seconds", "streaming"):
        data.pop(key, None)
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--file", help="an existing faulted file (default: bench/data/faulty-<rows>.csv, generated)")
    parser.add_argument("--cap", type=_size, help="address-space cap for the streaming step, e.g. 2GiB")
    parser.add_argument("--only", nargs="+", choices=STEPS, default=list(STEPS))
    parser.add_argument("--results", help="default bench/results/stream-<rows>.json")
    args = parser.parse_args(argv)
    sys.path.insert(0, HERE)
    import generate

    path = args.file or os.path.join(HERE, "data", f"faulty-{args.rows}.csv")
    faults_file = path + ".faults.json"
    if not os.path.exists(path) or not os.path.exists(faults_file):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        generate.generate(args.rows, path, faults=True)
    with open(faults_file, encoding="utf-8") as handle:
        faults = json.load(handle)["faults"]
    size = os.path.getsize(path)
    with open(path, "rb") as handle:  # into the page cache, as bench/run.py does
        while handle.read(64 << 20):
            pass
    python = sys.executable
    results: dict = {"file": os.path.relpath(path, ROOT), "bytes": size, "machine": machine(), "steps": {}}
    outputs = {}
    for step in args.only:
        if step == "polars":
            try:
                import polars  # noqa: F401
            except ImportError:
                results["steps"]["polars"] = {"skipped": "polars is not installed (pip install polars)"}
                continue
        if step in ("stream", "memory"):
            outputs[step] = os.path.join(HERE, "data", f"{os.path.basename(path)}.{step}.json")
            command = [python, "-m", "gx_clova", "validate", path, "--format", "json", "--output", outputs[step],
                       "--progress", "never"] + (["--stream"] if step == "stream" else [])
            measured = timed(command, args.cap if step == "stream" else None)
            if step == "stream" and args.cap:
                measured["cap_bytes"] = args.cap
        else:
            measured = timed([python, "-c", PYARROW_READ if step == "pyarrow" else POLARS_READ, path])
        if measured.get("wall_s"):
            measured["mb_per_s"] = round(size / 1e6 / measured["wall_s"], 1)
        results["steps"][step] = measured
        print(step, json.dumps(measured), flush=True)
    if "stream" in outputs and os.path.exists(outputs["stream"]):
        streamed = _report(outputs["stream"])
        lines = {f["code"]: f["lines"] for f in streamed["failures"]}
        results["faults_found"] = all(f["line"] in lines.get(code, []) for code, f in faults.items())
        results["rows"] = streamed["rows"]
        if "memory" in outputs and os.path.exists(outputs["memory"]):
            results["same_report_as_in_memory"] = streamed == _report(outputs["memory"])
    out = args.results or os.path.join(HERE, "results", f"stream-{args.rows}.json")
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(results, handle, indent=2)
        handle.write("\n")
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
