"""Scale run: `gx-clova validate --engine spark` on a file larger than the pandas path can hold.

A benchmark script, not a test. Each run is one `gx-clova validate` process (the console script,
start-up included) with its report written to a file; the script measures

- wall time, around the process;
- peak memory of the whole process tree: every 0.2 s it sums VmRSS of the CLI process and all
  its descendants (for Spark: the Python driver, the spark-submit launcher and the JVM), and
  keeps the highest sum; `/usr/bin/time -v` adds the largest single process's peak, which alone
  would miss the JVM or the Python side;
- throughput: file bytes and rows per wall second.

    .venv/bin/python bench/spark_scale.py bench/data/bench-5000000.csv --engine spark
    .venv/bin/python bench/spark_scale.py bench/data/bench-1000000.csv --engine pandas --engine spark
    .venv/bin/python bench/spark_scale.py bench/data/bench-5000000.csv --engine pandas --cap 4G
    GX_CLOVA_SPARK_DRIVER_MEMORY=1g .venv/bin/python bench/spark_scale.py bench/data/bench-5000000.csv \
        --master 'local[2]' --reader ranges --reader single

``--master`` is the Spark master (``--spark-master``); ``--reader ranges|single`` (repeatable) runs
the parallel byte-range reader (the default) or forces the driver's single stream
(``GX_CLOVA_SPARK_READER=single``), to compare the two. Besides the tree's peak, the sampler keeps
the peak of each part of it: the driver (the CLI's Python process), the JVM (Spark's driver and, on
a local master, its executors) and the executors' Python workers (``pyspark.daemon`` and its forks,
where the byte ranges are parsed).

``--cap SIZE`` runs the process under ``prlimit --as=SIZE`` (address space), the way to give the
pandas path a memory budget; the JVM reserves address space far beyond what it touches, so the
Spark runs are bounded by ``spark.driver.memory`` (``GX_CLOVA_SPARK_DRIVER_MEMORY``, default 2g)
instead, and their measured tree peak is the proof.
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
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as handle:
                stat = handle.read()
        except OSError:
            continue
        parent = int(stat[stat.rfind(")") + 2:].split()[1])
        tree.setdefault(parent, []).append(int(name))
    return tree


def tree_cpu_by_pid(root: int) -> dict[int, float]:
    """CPU seconds (user + system) each process in ``root``'s tree has used so far, by pid."""
    tree, todo, out = _children(), [root], {}
    tick = os.sysconf("SC_CLK_TCK")
    while todo:
        pid = todo.pop()
        todo.extend(tree.get(pid, []))
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[pid] = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return out


def tree_rss(root: int) -> int:
    """Bytes resident in ``root`` and all its descendants, now."""
    return sum(tree_rss_by_part(root).values())


def _part(pid: int, root: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            command = handle.read().replace(b"\0", b" ")
    except OSError:
        return "other"
    if b"pyspark.daemon" in command or b"pyspark/worker" in command or b"pyspark.worker" in command:
        return "python_workers"
    first = command.split(b" ")[0]
    if first.endswith((b"time", b"prlimit")):
        return "other"
    if b"java" in first:
        return "jvm"
    return "driver_python" if b"gx-clova" in command or b"gx_clova" in command else "other"


def tree_rss_by_part(root: int) -> dict[str, int]:
    """Bytes resident now in ``root`` and its descendants, by part: driver_python, jvm,
    python_workers (the executors' Python side), other (``time``, ``prlimit``, launchers)."""
    tree, todo = _children(), [root]
    totals: dict[str, int] = {}
    while todo:
        pid = todo.pop()
        todo.extend(tree.get(pid, []))
        try:
            with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        part = _part(pid, root)
                        totals[part] = totals.get(part, 0) + int(line.split()[1]) * 1024
                        break
        except OSError:
            continue
    return totals


def run_once(path: str, engine: str, cap: str | None, out_dir: str, master: str | None = None,
             reader: str | None = None) -> dict:
    report_path = os.path.join(out_dir, f"{os.path.basename(path)}.{engine}.report.json")
    command = [os.path.join(ROOT, ".venv", "bin", "gx-clova"), "validate", path, "--engine", engine,
               "--format", "json", "--output", report_path, "--progress", "never"]
    env = dict(os.environ)
    if engine == "spark" and master:
        command += ["--spark-master", master]
    if engine == "spark" and reader:
        env["GX_CLOVA_SPARK_READER"] = reader
    if cap:
        command = ["prlimit", f"--as={_bytes(cap)}", "--", *command]
    time_file = os.path.join(out_dir, f"{engine}.time.txt")
    if shutil.which("time") or os.path.exists("/usr/bin/time"):
        command = ["/usr/bin/time", "-v", "-o", time_file, *command]
    peak = {"bytes": 0}
    parts: dict[str, int] = {}
    cpu: dict[int, float] = {}
    load = os.getloadavg()[0]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=env)

    def sample() -> None:
        while process.poll() is None:
            now = tree_rss_by_part(process.pid)
            peak["bytes"] = max(peak["bytes"], sum(now.values()))
            for part, value in now.items():
                parts[part] = max(parts.get(part, 0), value)
            for pid, seconds in tree_cpu_by_pid(process.pid).items():
                cpu[pid] = max(cpu.get(pid, 0.0), seconds)
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - started
    sampler.join()
    size = os.path.getsize(path)
    result = {"engine": engine, "file": path, "load_before": load, "load_after": os.getloadavg()[0], "bytes": size,
              "cap": cap, "master": master if engine == "spark" else None, "exit": process.returncode,
              "wall_s": round(wall, 2), "tree_peak_rss_bytes": peak["bytes"],
              "tree_peak_rss_vs_file": round(peak["bytes"] / size, 3),
              "peak_rss_by_part_bytes": dict(sorted(parts.items())),
              # Sampled every 0.2 s from /proc (the JVM and the executors' Python workers are not
              # children the CLI waits for, so GNU time cannot see them); a worker that lived
              # less than 0.2 s is missed.
              "tree_cpu_s": round(sum(cpu.values()), 1)}
    if os.path.exists(time_file):
        with open(time_file, encoding="utf-8") as handle:
            timing = handle.read()
        found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", timing)
        if found:
            result["largest_process_peak_rss_bytes"] = int(found.group(1)) * 1024
        cpu_times = [float(v) for v in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", timing)]
        if cpu_times:  # the CLI's own process and the children it waited for
            result["cli_cpu_s"] = round(sum(cpu_times), 1)
    if os.path.exists(report_path) and process.returncode in (0, 1):
        with open(report_path, encoding="utf-8") as handle:
            report = json.load(handle)
        result.update({
            "success": report["success"], "rows": report["rows"], "reader": report.get("reader"),
            "read_s": report.get("read_seconds"), "validation_s": report.get("validation_seconds"),
            "codes": [f["code"] for f in report["failures"]],
            "rows_per_s": round(report["rows"] / wall), "mb_per_s": round(size / wall / 1e6, 1),
        })
        os.unlink(report_path)
    else:
        result["stderr_tail"] = stderr.strip().splitlines()[-3:]
    return result


def _bytes(size: str) -> int:
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    return int(float(size[:-1]) * units[size[-1].upper()]) if size[-1].upper() in units else int(size)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--engine", action="append", choices=("pandas", "spark"), help="repeatable; default spark")
    parser.add_argument("--cap", help="address-space cap (prlimit --as), e.g. 4G")
    parser.add_argument("--master", help="Spark master for the spark engine, e.g. local[1] (default local[2])")
    parser.add_argument("--reader", action="append", choices=("ranges", "single"),
                        help="spark reader, repeatable: parallel byte ranges (default) or the single stream")
    parser.add_argument("--results", default=os.path.join(ROOT, "bench", "results", "spark-scale.json"),
                        help="JSON file the runs are appended to")
    args = parser.parse_args(argv)
    out_dir = os.path.join(ROOT, "bench", "data")
    os.makedirs(out_dir, exist_ok=True)
    runs = []
    plans = [(engine, reader) for engine in args.engine or ["spark"]
             for reader in ((args.reader or ["ranges"]) if engine == "spark" else [None])]
    for engine, reader in plans:
        result = run_once(args.file, engine, args.cap, out_dir, master=args.master, reader=reader)
        result.update({"cpus": os.cpu_count(), "python": platform.python_version(),
                       "driver_memory": os.environ.get("GX_CLOVA_SPARK_DRIVER_MEMORY", "2g")})
        print(json.dumps(result, ensure_ascii=False), flush=True)
        runs.append(result)
    append_results(args.results, runs)
    return 0


def append_results(path: str, runs: list[dict]) -> None:
    """Add ``runs`` to the JSON list in ``path`` (earlier runs are kept: the README cites them)."""
    previous = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            previous = json.load(handle)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(previous + runs, handle, indent=2, ensure_ascii=False)
        handle.write("\n")


if __name__ == "__main__":
    sys.exit(main())
