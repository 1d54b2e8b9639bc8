"""Where gx-clova's time and memory go: ``gx-clova validate`` with every phase timed.

    .venv/bin/python bench/profile_phases.py bench/data/bench-1000000.csv
    .venv/bin/python bench/profile_phases.py bench/data/bench-200000.csv --cprofile /tmp/gx.prof

Profiles the direct path (no Great Expectations) unless ``--gx`` forces the GX path.

Runs ``gx_clova.cli.main(["validate", FILE, "--format", "json", ...])`` in this process with
timers wrapped around the reader's and the suite's functions (nothing in the package is edited;
the wrappers are installed at run time). For each phase: wall seconds, and the process's peak RSS
while the phase ran (``VmHWM``, reset through ``/proc/self/clear_refs`` at every phase boundary
and folded into every enclosing phase), the RSS when it ended, and Arrow's allocated bytes.

The byte scan (SHA-256 + line count) runs in a thread beside the parser: its row shows its own
wall and CPU time, which overlap the parser's.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import importlib
import json
import os
import sys
import tempfile
import threading
import time

T0 = time.perf_counter()
_stack: list[dict] = []
_rows: list[dict] = []
_lock = threading.Lock()
_main_thread = threading.main_thread()
#: Highest VmHWM seen (getrusage's ru_maxrss is reset along with VmHWM, so it cannot be used).
_peak_ever = 0


def _status() -> dict[str, int]:
    out = {}
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, value = line.split(":")
                out[key] = int(value.split()[0]) * 1024
    return out


def _reset_hwm() -> None:
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
            handle.write("5")
    except OSError:
        pass


def _fold() -> dict[str, int]:
    global _peak_ever
    status = _status()
    _peak_ever = max(_peak_ever, status["VmHWM"])
    for frame in _stack:
        frame["peak"] = max(frame["peak"], status["VmHWM"])
    _reset_hwm()
    return status


def _arrow_bytes() -> int | None:
    pa = sys.modules.get("pyarrow")
    return pa.total_allocated_bytes() if pa else None


def phase(name: str):
    """Decorator factory: time (and track memory of) every call of the wrapped function."""

    def wrap(fn):
        @functools.wraps(fn)
        def timed(*args, **kwargs):
            if threading.current_thread() is not _main_thread:
                started, cpu = time.perf_counter(), time.thread_time()
                try:
                    return fn(*args, **kwargs)
                finally:
                    with _lock:
                        _rows.append({"phase": name, "depth": len(_stack), "start": started - T0,
                                      "seconds": time.perf_counter() - started,
                                      "thread_cpu": time.thread_time() - cpu, "thread": True})
            with _lock:
                status = _fold()
                frame = {"phase": name, "depth": len(_stack), "start": time.perf_counter() - T0,
                         "peak": status["VmHWM"], "rss_before": status["VmRSS"]}
                _stack.append(frame)
                _rows.append(frame)
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                seconds = time.perf_counter() - started
                with _lock:
                    status = _fold()
                    _stack.pop()
                    frame.update(seconds=seconds, rss_after=status["VmRSS"], arrow_after=_arrow_bytes())

        return timed

    return wrap


def patch(module_name: str, attribute: str, name: str | None = None) -> None:
    """Replace ``module.attribute`` by a timed wrapper (by attribute path, e.g. ``Class.method``)."""
    module = importlib.import_module(module_name)
    owner, _, leaf = attribute.rpartition(".")
    target = functools.reduce(getattr, owner.split("."), module) if owner else module
    original = getattr(target, leaf)
    if isinstance(target, type) and isinstance(target.__dict__.get(leaf), (classmethod, staticmethod)):
        kind = type(target.__dict__[leaf])
        setattr(target, leaf, kind(phase(name or attribute)(target.__dict__[leaf].__func__)))
    else:
        setattr(target, leaf, phase(name or attribute)(original))


class _TimedPyarrowCsv:
    """Stands in for ``pyarrow.csv`` inside the CSV reader, to time ``read_csv`` alone."""

    def __init__(self, module) -> None:
        self._module = module
        self.read_csv = phase("pyarrow.csv.read_csv")(module.read_csv)

    def __getattr__(self, item):
        return getattr(self._module, item)


#: Phases timed only on the GX path (``--gx``): patching them imports Great Expectations.
GX_ONLY = {"run_suite", "get_context", "build_suite", "to_pandas", "Checkpoint.run",
           "PandasExecutionEngine.load_batch_data", "Validator.graph_validate", "arrow_of", "findings_of"}


def install(gx: bool = False) -> None:
    if gx:
        os.environ["GX_CLOVA_ENGINE_PATH"] = "gx"
        t = time.perf_counter()
        import great_expectations  # noqa: F401  (imported first so its cost is its own row)
        _rows.append({"phase": "import great_expectations", "depth": 0, "start": t - T0,
                      "seconds": time.perf_counter() - t, "rss_after": _status()["VmRSS"]})
    t = time.perf_counter()
    if gx:
        pass  # imported for its cost
    _rows.append({"phase": "import gx_clova (cli, validation" + (", suites, metrics)" if gx else ")"), "depth": 0,
                  "start": t - T0, "seconds": time.perf_counter() - t, "rss_after": _status()["VmRSS"]})

    from gx_clova.reading import csv_reader

    csv_reader.pacsv = _TimedPyarrowCsv(csv_reader.pacsv)
    for entry in [
        ("gx_clova.validation", "validate"),
        ("gx_clova.validation", "read_dataset"),
        ("gx_clova.reading", "scan"),
        ("gx_clova.reading.csv_reader", "read_header"),
        ("gx_clova.reading.csv_reader", "read_fast"),
        ("gx_clova.reading.csv_reader", "line_breaks"),
        ("gx_clova.reading.csv_reader", "blank_mask"),
        ("gx_clova.reading.csv_reader", "build_table"),
        ("gx_clova.reading.csv_reader", "read_exact"),
        ("gx_clova.reading.jsonl_reader", "read_fast"),
        ("gx_clova.validation", "validate_dataset"),
        ("gx_clova.direct", "run", "direct.run (the suite without GX)"),
        ("gx_clova.direct", "attach", "excerpts.attach"),
        ("gx_clova.validation", "run_suite"),
        ("great_expectations", "get_context"),
        ("gx_clova.gx.suites", "build_suite"),
        ("gx_clova.batch", "to_pandas"),
        ("great_expectations.checkpoint.checkpoint", "Checkpoint.run"),
        ("great_expectations.execution_engine.pandas_execution_engine", "PandasExecutionEngine.load_batch_data"),
        ("great_expectations.validator.validator", "Validator.graph_validate"),
        ("gx_clova.gx.metrics", "arrow_of"),
        ("gx_clova.rules.file", "check", "rules.file.check"),
        ("gx_clova.rules.header", "check_header", "rules.header.check_header"),
        ("gx_clova.rules.ids", "check_c_id", "rules.ids.check_c_id"),
        ("gx_clova.rules.ids", "check_t_id", "rules.ids.check_t_id"),
        ("gx_clova.rules.content", "check_empty", "rules.content.check_empty"),
        ("gx_clova.rules.content", "check_length", "rules.content.check_length"),
        ("gx_clova.rules.system_prompt", "check", "rules.system_prompt.check"),
        ("gx_clova.rules.labels", "check", "rules.labels.check"),
        ("gx_clova.rules.quality", "check_duplicates", "rules.quality.check_duplicates"),
        ("gx_clova.rules.quality", "check_text", "rules.quality.check_text"),
        ("gx_clova.rules.leakage", "check", "rules.leakage.check"),
        ("gx_clova.rules.label_quality", "check", "rules.label_quality.check"),
        ("gx_clova.validation", "findings_of"),
        ("gx_clova.formats", "render"),
    ]:
        if not gx and (entry[1] in GX_ONLY or entry[0].startswith("great_expectations")):
            continue
        try:
            patch(*entry)
        except (ImportError, AttributeError) as exc:
            print(f"(not timed: {entry[0]}.{entry[1]}: {exc})", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file")
    parser.add_argument("--task", default="generation")
    parser.add_argument("--cprofile", metavar="OUT", help="also write a cProfile of the validate call")
    parser.add_argument("--json", metavar="OUT", help="write the phase rows as JSON")
    parser.add_argument("--gx", action="store_true",
                        help="profile the GX path (GX_CLOVA_ENGINE_PATH=gx) instead of the direct path")
    args = parser.parse_args(argv)

    _reset_hwm()
    install(gx=args.gx)
    import gx_clova.cli as cli

    report = os.path.join(tempfile.mkdtemp(prefix="gx-clova-prof-"), "report.json")
    cli_args = ["validate", args.file, "--task", args.task, "--format", "json", "--output", report,
                "--progress", "never"]
    profiler = cProfile.Profile() if args.cprofile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    code = phase("cli.main validate")(cli.main)(cli_args)
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.cprofile)
    total = time.perf_counter() - started
    with open(report, encoding="utf-8") as handle:
        data = json.load(handle)

    size = os.path.getsize(args.file)
    print(f"file {args.file}: {size / 1e9:.3f} GB, {data['rows']:,} rows; exit {code}, success {data['success']}; "
          f"read_seconds {data.get('read_seconds')}, validation_seconds {data.get('validation_seconds')}; "
          f"cli.main {total:.2f} s; process peak RSS {max(_peak_ever, _fold()['VmHWM']) / 1e9:.2f} GB")
    print()
    print("| phase | calls | start s | seconds | peak RSS GB (during) | RSS GB after | Arrow GB after |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    merged: dict[tuple, dict] = {}
    for row in _rows:
        key = (row["phase"], row["depth"], row.get("thread", False))
        if key in merged:
            m = merged[key]
            m["calls"] += 1
            m["seconds"] += row.get("seconds", 0)
            m["peak"] = max(m.get("peak") or 0, row.get("peak") or 0)
            m["rss_after"], m["arrow_after"] = row.get("rss_after"), row.get("arrow_after")
            m["thread_cpu"] = m.get("thread_cpu", 0) + row.get("thread_cpu", 0)
        else:
            merged[key] = dict(row, calls=1)
    gb = lambda v: "" if v is None else f"{v / 1e9:.2f}"  # noqa: E731
    for m in merged.values():
        label = ("  " * m["depth"]) + m["phase"]
        if m.get("thread"):
            label += f" [thread; cpu {m['thread_cpu']:.2f} s]"
        print(f"| {label} | {m['calls']} | {m['start']:.2f} | {m.get('seconds', 0):.3f} | {gb(m.get('peak'))} | "
              f"{gb(m.get('rss_after'))} | {gb(m.get('arrow_after'))} |")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump({"file": args.file, "bytes": size, "rows": data["rows"], "phases": list(merged.values())},
                      handle, indent=2, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
