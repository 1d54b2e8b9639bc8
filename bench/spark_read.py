"""Read phase only: the Spark engine's staging of a file into Parquet parts, parallel byte ranges
against the driver's single stream, on a given master.

A benchmark script, not a test. Each run is a fresh process that starts Spark (not timed), then
times :func:`gx_clova.spark.ranges.stage` (``--reader ranges``) or
:func:`gx_clova.reading.stream.stage_dataset` (``--reader single``) on the file; the parent samples
the process tree's memory every 0.2 s by part (driver Python, JVM, executor Python workers), as
``spark_scale.py`` does. The rules that run after the read are the same code either way, and
``spark_scale.py`` measures whole runs.

    GX_CLOVA_SPARK_DRIVER_MEMORY=1g .venv/bin/python bench/spark_read.py bench/data/bench-5000000.csv \\
        --master 'local[2]' --reader ranges --reader single
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spark_scale import append_results, tree_rss_by_part  # noqa: E402

CHILD = """
import json, os, sys, tempfile, time
from gx_clova.spark import get_session
from gx_clova.spark import ranges
from gx_clova.reading.stream import stage_dataset
from gx_clova.sources import LocalSource
path, master, reader = sys.argv[1:4]
spark = get_session(master)
spark.range(1).count()
print("ready", flush=True)
sys.stdin.readline()
with tempfile.TemporaryDirectory(prefix="gx-clova-read-") as directory:
    started = time.perf_counter()
    cpu = os.times()
    task_cpu = []
    def mapper(function, items):
        results = ranges.spark_mapper(spark)(function, items)
        task_cpu.extend(r.cpu_s for r in results)
        return results
    if reader == "ranges":
        staged = ranges.stage(LocalSource(path), directory, spark, mapper=mapper)
    else:
        staged = stage_dataset(LocalSource(path), directory)
        staged.facts.reader = "single stream, " + staged.facts.reader
    wall = time.perf_counter() - started
    print(json.dumps({"read_s": round(wall, 2), "rows": staged.rows, "parts": len(staged.parts),
                      "reader": staged.facts.reader, "lines": staged.facts.lines,
                      "driver_cpu_s": round(os.times().user - cpu.user + os.times().system - cpu.system, 1),
                      "executor_task_cpu_s": round(sum(task_cpu), 1), "tasks": len(task_cpu)}),
          flush=True)
spark.stop()
"""


def run_once(path: str, master: str, reader: str) -> dict:
    process = subprocess.Popen([sys.executable, "-c", CHILD, path, master, reader], cwd=ROOT, text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert process.stdout.readline().strip() == "ready"
    parts: dict[str, int] = {}
    peak = {"bytes": 0}
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            now = tree_rss_by_part(process.pid)
            peak["bytes"] = max(peak["bytes"], sum(now.values()))
            for part, value in now.items():
                parts[part] = max(parts.get(part, 0), value)
            time.sleep(0.2)

    load = os.getloadavg()[0]
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    process.stdin.write("go\n")
    process.stdin.flush()
    line = process.stdout.readline()
    done.set()
    sampler.join()
    process.communicate(timeout=120)
    result = json.loads(line)
    size = os.path.getsize(path)
    if result.get("executor_task_cpu_s"):
        result["per_core_mb_per_cpu_s"] = round(os.path.getsize(path) / result["executor_task_cpu_s"] / 1e6, 1)
    result.update({"file": path, "bytes": size, "master": master, "mb_per_s": round(size / result["read_s"] / 1e6, 1),
                   "load_before": round(load, 2), "load_after": round(os.getloadavg()[0], 2),
                   "tree_peak_rss_bytes": peak["bytes"], "peak_rss_by_part_bytes": dict(sorted(parts.items())),
                   "driver_memory": os.environ.get("GX_CLOVA_SPARK_DRIVER_MEMORY", "2g"), "cpus": os.cpu_count()})
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--reader", action="append", choices=("ranges", "single"))
    parser.add_argument("--results", default=os.path.join(ROOT, "bench", "results", "spark-read.json"))
    args = parser.parse_args(argv)
    runs = []
    for reader in args.reader or ["ranges"]:
        result = run_once(os.path.abspath(args.file), args.master, reader)
        print(json.dumps(result, ensure_ascii=False), flush=True)
        runs.append(result)
    append_results(args.results, runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
