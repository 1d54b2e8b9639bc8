"""Benchmark gx-clova against plain reads and a built-in GX suite, in one run.

    .venv/bin/python bench/run.py                       # 1,000,000 rows (generated if missing)
    .venv/bin/python bench/run.py --rows 100000
    .venv/bin/python bench/run.py --file my.csv --repeat 3 --skip-gx-builtin

Every step runs in a fresh process under ``/usr/bin/time -v`` (peak RSS) or, where that is
missing, under ``steps.py wrap`` (``getrusage(RUSAGE_CHILDREN)`` after ``wait``). Wall time is
measured here around the whole process, start-up included; each child also reports the time of
its measured call alone ("in-process").

Steps: (a) pyarrow CSV read, (b) pandas C-engine read, (c) ``gx-clova validate FILE --format json``
via the installed console script, (d) GX built-in expectations on a pandas DataFrame.

Prints a Markdown table and the issue's two targets, and writes ``bench/results/latest.json``.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import generate  # noqa: E402

VENV_PY = os.path.join(ROOT, ".venv", "bin", "python")
GX_CLOVA = os.path.join(ROOT, ".venv", "bin", "gx-clova")
STEPS = os.path.join(HERE, "steps.py")
GNU_TIME = "/usr/bin/time"
RESULTS = os.path.join(HERE, "results", "latest.json")

#: The issue's targets for gx-clova on the 1M-row file.
TARGET_WALL_X_PYARROW = 2.0
TARGET_RSS_X_FILE = 2.5

LABELS = {
    "pyarrow": "a. pyarrow.csv.read_csv",
    "pandas": "b. pandas.read_csv (C engine)",
    "gx-clova": "c. gx-clova validate (CLI, end to end)",
    "gx-builtin": "d. GX built-in suite on pandas",
}


def python() -> str:
    return VENV_PY if os.path.exists(VENV_PY) else sys.executable


def have_gnu_time() -> bool:
    if not os.access(GNU_TIME, os.X_OK):
        return False
    probe = subprocess.run([GNU_TIME, "-v", "true"], capture_output=True, text=True)
    return probe.returncode == 0 and "Maximum resident set size" in probe.stderr


def measure(cmd: list[str], use_gnu_time: bool) -> dict:
    """Run ``cmd`` once in a fresh process: wall seconds, peak RSS, exit code, child's JSON line."""
    with tempfile.NamedTemporaryFile("r", suffix=".time", delete=False) as tf:
        time_file = tf.name
    try:
        if use_gnu_time:
            full = [GNU_TIME, "-v", "-o", time_file, *cmd]
        else:
            full = [python(), STEPS, "wrap", *cmd]
        started = time.perf_counter()
        proc = subprocess.run(full, capture_output=True, text=True, cwd=ROOT)
        wall = time.perf_counter() - started
        if use_gnu_time:
            with open(time_file, encoding="utf-8") as handle:
                timing = handle.read()
            match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", timing)
            maxrss_kb = int(match.group(1)) if match else None
            cpu = sum(float(m) for m in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", timing)) or None
            status = re.search(r"Exit status: (\d+)", timing)
            code = int(status.group(1)) if status else proc.returncode
        else:
            found = re.search(r"BENCH-WRAP (\{.*\})", proc.stderr)
            info = json.loads(found.group(1)) if found else {}
            maxrss_kb, code, cpu = info.get("maxrss_kb"), info.get("exit", proc.returncode), info.get("cpu")
    finally:
        os.unlink(time_file)
    child = {}
    found = re.search(r"^BENCH-RESULT (\{.*\})$", proc.stdout, re.M)
    if found:
        child = json.loads(found.group(1))
    return {
        "cmd": cmd, "wall_seconds": round(wall, 3), "cpu_seconds": round(cpu, 2) if cpu else None, "peak_rss_bytes": maxrss_kb * 1024 if maxrss_kb else None,
        "exit_code": code, "child": child, "stderr_tail": proc.stderr[-2000:] if code not in (0, 1) else "",
    }


def gx_clova_has_cli() -> bool:
    """Is the console script's module there? (Checked in a child: it imports the package.)"""
    if not os.path.exists(GX_CLOVA):
        return False
    probe = subprocess.run(
        [python(), "-c", "import importlib.util as u, sys; sys.exit(0 if u.find_spec('gx_clova.cli') else 1)"],
        capture_output=True, cwd=ROOT,
    )
    return probe.returncode == 0


def step_command(step: str, path: str, report_path: str, devnull: bool, cli: bool) -> list[str]:
    if step == "gx-clova":
        if cli:
            return [GX_CLOVA, "validate", path, "--format", "json", "--output", os.devnull if devnull else report_path]
        return [python(), STEPS, "gx-clova-api", path, report_path]
    return [python(), STEPS, step, path]


def read_report(step_result: dict, report_path: str) -> None:
    """success / rows / phase timings from gx-clova's JSON report, when it was written."""
    try:
        with open(report_path, encoding="utf-8") as handle:
            report = json.load(handle)
    except (OSError, ValueError):
        return
    child = step_result["child"]
    child.update({
        "success": report.get("success"), "rows": report.get("rows"),
        "read_seconds": report.get("read_seconds"), "validation_seconds": report.get("validation_seconds"),
        "reader": report.get("reader"),
        "failures": [{"code": f.get("code"), "severity": f.get("severity"), "count": f.get("count"),
                      "first_lines": (f.get("lines") or [])[:5]} for f in report.get("failures", [])],
    })
    if report.get("read_seconds") is not None and report.get("validation_seconds") is not None:
        child.setdefault("inner_seconds", report["read_seconds"] + report["validation_seconds"])


def warm_cache(path: str) -> float:
    """Read the file once so every step starts from the page cache, not from disk."""
    started = time.perf_counter()
    with open(path, "rb", buffering=0) as handle:
        while handle.read(64 << 20):
            pass
    return time.perf_counter() - started


def loadavg() -> list[float] | None:
    """1/5/15-minute load: another process on a 2-core machine skews every number."""
    try:
        with open("/proc/loadavg", encoding="ascii") as handle:
            return [float(x) for x in handle.read().split()[:3]]
    except OSError:
        return None


def machine() -> dict:
    info = {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()}
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            info["mem_total_gb"] = round(int(handle.readline().split()[1]) / 1e6, 1)
    except OSError:
        pass
    probe = subprocess.run(
        [python(), "-c", "import importlib.metadata as m, json; print(json.dumps({p: m.version(p) for p in "
         "('great_expectations', 'pandas', 'pyarrow', 'numpy', 'gx-clova')}))"],
        capture_output=True, text=True, cwd=ROOT,
    )
    if probe.returncode == 0:
        info["versions"] = json.loads(probe.stdout)
    git = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--", "gx_clova"], capture_output=True, text=True)
    info["git"] = git.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")
    return info


def fmt(value, pattern: str = "{:.2f}") -> str:
    return "n/a" if value is None else pattern.format(value)


def table(results: dict, size: int) -> tuple[str, dict]:
    base = results.get("pyarrow", {})
    base_wall = base.get("wall_seconds")
    base_inner = base.get("child", {}).get("inner_seconds")
    rows = [
        "| step | wall s (process) | in-process s | CPU s (user+sys) | peak RSS GB | RSS / file "
        "| wall / pyarrow wall | wall / pyarrow read |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for step, result in results.items():
        if result.get("child", {}).get("skipped"):
            rows.append(f"| {LABELS[step]} | skipped: {result['child']['skipped']} | | | | | | |")
            continue
        wall, rss = result["wall_seconds"], result["peak_rss_bytes"]
        inner = result.get("child", {}).get("inner_seconds")
        rows.append(
            f"| {LABELS[step]} | {wall:.2f} | {fmt(inner)} | {fmt(result.get('cpu_seconds'))} | "
            f"{fmt(rss / 1e9 if rss else None)} | "
            f"{fmt(rss / size if rss else None)}x | {fmt(wall / base_wall if base_wall else None)}x | "
            f"{fmt(wall / base_inner if base_inner else None)}x |"
        )
    targets = {}
    g = results.get("gx-clova")
    if g and base_inner and g.get("peak_rss_bytes"):
        strict = g["wall_seconds"] / base_inner
        lenient = g["wall_seconds"] / base_wall
        rss_x = g["peak_rss_bytes"] / size
        targets = {
            "wall": {"target": f"gx-clova validate wall <= {TARGET_WALL_X_PYARROW:g}x pyarrow read",
                     "ratio": round(strict, 2), "ratio_process_to_process": round(lenient, 2),
                     "pass": strict <= TARGET_WALL_X_PYARROW},
            "rss": {"target": f"gx-clova peak RSS <= {TARGET_RSS_X_FILE:g}x file size",
                    "ratio": round(rss_x, 2), "pass": rss_x <= TARGET_RSS_X_FILE},
        }
        rows += [
            "",
            "| target | measured | verdict |",
            "|---|---:|---|",
            f"| {targets['wall']['target']} (gx-clova process wall / pyarrow read call) | {strict:.2f}x "
            f"({g['wall_seconds']:.2f} s vs {base_inner:.2f} s; process/process {lenient:.2f}x) | "
            f"{'PASS' if targets['wall']['pass'] else 'FAIL'} |",
            f"| {targets['rss']['target']} | {rss_x:.2f}x ({g['peak_rss_bytes'] / 1e9:.2f} GB vs "
            f"{size / 1e9:.2f} GB) | {'PASS' if targets['rss']['pass'] else 'FAIL'} |",
        ]
    return "\n".join(rows), targets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the generated file (default 1,000,000)")
    parser.add_argument("--file", help="benchmark this existing file instead of a generated one")
    parser.add_argument("--format", choices=["csv", "jsonl"], default="csv", help="format of a generated file")
    parser.add_argument("--skip-gx-builtin", action="store_true", help="skip step d (slow)")
    parser.add_argument("--repeat", type=int, default=1, help="best of K runs for each step (default 1)")
    parser.add_argument("--devnull", action="store_true",
                        help="send gx-clova's report to /dev/null (then success/rows are not recorded)")
    parser.add_argument("--results", default=RESULTS, help="where to write the JSON (default bench/results/latest.json)")
    args = parser.parse_args(argv)

    path = args.file or generate.default_path(args.rows, args.format)
    generated = None
    if not os.path.exists(path):
        if args.file:
            parser.error(f"{path} does not exist")
        print(f"generating {path} ...", file=sys.stderr)
        generated = generate.generate(args.rows, path, args.format)
    path = os.path.abspath(path)
    size = os.path.getsize(path)
    print(f"file: {path} ({size / 1e9:.3f} GB)", file=sys.stderr)
    warm = warm_cache(path)
    load_before = loadavg()

    use_gnu_time = have_gnu_time()
    cli = gx_clova_has_cli()
    report_path = os.path.join(HERE, "data", os.path.basename(path) + ".report.json")
    steps = ["pyarrow", "pandas", "gx-clova"] + ([] if args.skip_gx_builtin else ["gx-builtin"])
    results: dict[str, dict] = {}
    for step in steps:
        best, runs = None, []
        for attempt in range(max(1, args.repeat)):
            if os.path.exists(report_path):
                os.unlink(report_path)
            cmd = step_command(step, path, report_path, args.devnull, cli)
            print(f"[{step} {attempt + 1}/{args.repeat}] {' '.join(cmd)}", file=sys.stderr)
            result = measure(cmd, use_gnu_time)
            if step == "gx-clova":
                read_report(result, report_path)
            ok = result["exit_code"] in ((0, 1) if step == "gx-clova" else (0,))
            if not ok:
                print(f"  exit {result['exit_code']}: {result['stderr_tail'][-800:]}", file=sys.stderr)
            print(f"  {result['wall_seconds']:.2f} s, peak RSS "
                  f"{fmt(result['peak_rss_bytes'] / 1e9 if result['peak_rss_bytes'] else None)} GB", file=sys.stderr)
            runs.append({"wall_seconds": result["wall_seconds"], "peak_rss_bytes": result["peak_rss_bytes"]})
            if best is None or result["wall_seconds"] < best["wall_seconds"]:
                best = result
        best["runs"] = runs
        results[step] = best

    rows = next((r["child"].get("rows") for r in results.values() if r["child"].get("rows") is not None), None)
    markdown, targets = table(results, size)
    header = (f"File: `{os.path.relpath(path, ROOT)}`, {size / 1e9:.3f} GB, {fmt(rows, '{:,}')} rows; "
              f"{os.cpu_count()} CPUs; best of {args.repeat}; peak RSS via "
              f"{'/usr/bin/time -v' if use_gnu_time else 'getrusage(RUSAGE_CHILDREN)'}; "
              f"gx-clova via {'the console script' if cli else 'validate() (no CLI yet)'}.")
    g = results.get("gx-clova", {})
    gc = g.get("child", {})
    notes = (f"gx-clova: exit {g.get('exit_code')}, success={gc.get('success')}, rows={fmt(gc.get('rows'), '{:,}')}, "
             f"reader={gc.get('reader')}, read_seconds={gc.get('read_seconds')}, "
             f"validation_seconds={gc.get('validation_seconds')}")
    print()
    print(header)
    print()
    print(markdown)
    print()
    print(notes)

    os.makedirs(os.path.dirname(os.path.abspath(args.results)), exist_ok=True)
    out = {
        "date": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "file": {"path": os.path.relpath(path, ROOT), "bytes": size, "rows": rows, "generated": generated,
                 "cache_warm_seconds": round(warm, 2)},
        "loadavg_before_after": [load_before, loadavg()],
        "repeat": args.repeat,
        "rss_method": "/usr/bin/time -v" if use_gnu_time else "getrusage(RUSAGE_CHILDREN)",
        "gx_clova_via": "cli" if cli else "validate()",
        "steps": results,
        "targets": targets,
        "markdown": markdown,
    }
    with open(args.results, "w", encoding="utf-8") as handle:
        json.dump(out, handle, indent=2, ensure_ascii=False)
    print(f"\nresults: {os.path.relpath(args.results, ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
