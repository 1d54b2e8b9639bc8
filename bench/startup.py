"""Start-up benchmark: an everyday file, as a pre-commit hook or a CI gate runs gx-clova.

    .venv/bin/python bench/startup.py                  # 10,000 rows; validate x1, gate over 20 files
    .venv/bin/python bench/startup.py --rounds 5 --rows 10000 --files 20
    .venv/bin/python bench/startup.py --rows 1000000 --files 1 --rounds 3 --steps pyarrow,validate \
        --results bench/results/million.json    # the 1M run: gx-clova against the pyarrow read

Each round runs every step once, in a fresh process, in the same order (so on a shared machine
each step sees the same load, process against process):

    python      ``python -c pass`` (the interpreter alone)
    pyarrow     ``pyarrow.csv.read_csv`` of the file (imports included)
    validate    ``gx-clova validate FILE --format json`` (direct path: no Great Expectations)
    validate-gx the same with ``GX_CLOVA_ENGINE_PATH=gx`` (the suite run inside GX, as before)
    gate        ``gx-clova gate F1 … F20 --format json``
    gate-gx     the same with ``GX_CLOVA_ENGINE_PATH=gx``

Reported per step: median and best wall seconds, median CPU seconds (user + system of the
child, steadier than wall on a busy machine). The 20 gate files are copies of the one generated
file under different names (each is read, hashed and checked on its own). Results go to
``bench/results/startup.json``.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RESULTS = os.path.join(HERE, "results", "startup.json")
GNU_TIME = "/usr/bin/time"
#: The issue's targets (wall seconds).
TARGETS = {"validate": 1.0, "gate": 3.0}
READ = ("import sys, pyarrow as pa, pyarrow.csv as c; t = c.read_csv(sys.argv[1], "
        "parse_options=c.ParseOptions(newlines_in_values=True)); print(t.num_rows)")


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, float, int, int]:
    """Wall s, CPU s, exit status and peak RSS (bytes, from GNU time; 0 without it) of one process."""
    timed = [GNU_TIME, "-f", "%M"] if os.access(GNU_TIME, os.X_OK) else []
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(timed + argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{argv[:4]} exited {done.returncode}: {done.stderr.decode(errors='replace')[-400:]}")
    tail = done.stderr.decode(errors="replace").strip().splitlines()
    rss = int(tail[-1]) * 1024 if timed and tail and tail[-1].isdigit() else 0
    return wall, cpu, done.returncode, rss


def _files(rows: int, count: int) -> list[str]:
    data = os.path.join(HERE, "data")
    os.makedirs(data, exist_ok=True)
    first = os.path.join(data, f"bench-{rows}.csv")
    if not os.path.exists(first):
        subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), "--rows", str(rows), "--out", first],
                       check=True, stdout=subprocess.DEVNULL)
    if count == 1:
        return [first]
    folder = os.path.join(data, f"startup-{rows}")
    os.makedirs(folder, exist_ok=True)
    out = []
    for i in range(count):
        path = os.path.join(folder, f"train-{i:02d}.csv")
        if not os.path.exists(path) or os.path.getsize(path) != os.path.getsize(first):
            shutil.copyfile(first, path)
        out.append(path)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--files", type=int, default=20, help="files for the gate step (default 20)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--steps", default="python,pyarrow,validate,validate-gx,gate,gate-gx",
                        help="comma-separated steps to run (default: all)")
    parser.add_argument("--results", default=RESULTS)
    args = parser.parse_args(argv)

    files = _files(args.rows, args.files)
    py = sys.executable
    cli = [py, "-m", "gx_clova"]
    env = dict(os.environ, PYTHONPATH=ROOT)
    env.pop("GX_CLOVA_ENGINE_PATH", None)
    gx_env = dict(env, GX_CLOVA_ENGINE_PATH="gx")
    steps = {
        "python": ([py, "-c", "pass"], env),
        "pyarrow": ([py, "-c", READ, files[0]], env),
        "validate": (cli + ["validate", files[0], "--format", "json"], env),
        "validate-gx": (cli + ["validate", files[0], "--format", "json"], gx_env),
        "gate": (cli + ["gate", *files, "--format", "json"], env),
        "gate-gx": (cli + ["gate", *files, "--format", "json"], gx_env),
    }
    chosen = args.steps.split(",")
    unknown = sorted(set(chosen) - set(steps))
    if unknown:
        parser.error(f"unknown steps {unknown}; choose from {', '.join(steps)}")
    steps = {name: steps[name] for name in chosen}
    runs: dict[str, list[tuple[float, float, int, int]]] = {name: [] for name in steps}
    for _ in range(args.rounds):
        for name, (command, step_env) in steps.items():
            runs[name].append(_run(command, step_env))
    load = os.getloadavg()
    table = {}
    for name, measured in runs.items():
        walls = [w for w, _, _, _ in measured]
        table[name] = {"wall_median": round(statistics.median(walls), 3), "wall_best": round(min(walls), 3),
                       "cpu_median": round(statistics.median(c for _, c, _, _ in measured), 3),
                       "peak_rss_gb": round(max(r for _, _, _, r in measured) / 1e9, 3),
                       "exit": sorted({code for _, _, code, _ in measured})}
    result = {
        "when": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "loadavg_after": load},
        "file": {"rows": args.rows, "bytes": os.path.getsize(files[0]), "gate_files": len(files)},
        "rounds": args.rounds,
        "steps": table,
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.results)), exist_ok=True)
    with open(args.results, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=2)
        handle.write("\n")
    print(f"{args.rows:,} rows, {os.path.getsize(files[0]) / 1e6:,.1f} MB per file; {args.rounds} rounds; "
          f"{os.cpu_count()} CPUs, load average after {load[0]:.1f}")
    print("| step | wall s median | wall s best | CPU s median | peak RSS GB |")
    print("|---|---:|---:|---:|---:|")
    for name, row in table.items():
        print(f"| {name} | {row['wall_median']:.2f} | {row['wall_best']:.2f} | {row['cpu_median']:.2f} "
              f"| {row['peak_rss_gb']:.2f} |")
    if "pyarrow" in table and "validate" in table:
        print(f"validate / pyarrow read, process against process: "
              f"{table['validate']['wall_median'] / table['pyarrow']['wall_median']:.2f}x wall (median), "
              f"{table['validate']['cpu_median'] / table['pyarrow']['cpu_median']:.2f}x CPU; peak RSS "
              f"{table['validate']['peak_rss_gb'] * 1e9 / os.path.getsize(files[0]):.2f}x the file")
    for name, target in TARGETS.items():
        if name not in table or args.rows != 10_000:  # the targets are for the everyday 10k-row file
            continue
        print(f"target {name} <= {target} s wall: median {table[name]['wall_median']:.2f} s, "
              f"CPU {table[name]['cpu_median']:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
