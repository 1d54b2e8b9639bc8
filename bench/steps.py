"""The benchmark's child processes: one step per process, one JSON line on stdout.

    .venv/bin/python bench/steps.py pyarrow FILE
    .venv/bin/python bench/steps.py pandas FILE
    .venv/bin/python bench/steps.py gx-builtin FILE
    .venv/bin/python bench/steps.py gx-clova-api FILE REPORT.json   # validate() when there is no CLI
    .venv/bin/python bench/steps.py wrap CMD...                        # peak RSS without /usr/bin/time

Each step prints ``{"inner_seconds": ..., ...}``: the time of the measured call itself, without
interpreter start-up and imports (``run.py`` measures the whole process around it). Imports are
timed separately as ``import_seconds``.
"""

from __future__ import annotations

import csv
import json
import os
import resource
import subprocess
import sys
import time

COLUMNS = ["System_Prompt", "C_ID", "T_ID", "Text", "Completion"]


def _header(path: str) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle))


def _is_jsonl(path: str) -> bool:
    return path.lower().endswith((".jsonl", ".json"))


def step_pyarrow(path: str) -> dict:
    t0 = time.perf_counter()
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.json as pajson

    imported = time.perf_counter()
    if _is_jsonl(path):
        table = pajson.read_json(path, read_options=pajson.ReadOptions(block_size=16 << 20))
        how = "pyarrow.json.read_json (16 MiB blocks)"
    else:
        names = _header(path)
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(block_size=16 << 20),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names}),
        )
        how = "pyarrow.csv.read_csv(newlines_in_values=True, block_size=16 MiB, all string)"
    done = time.perf_counter()
    return {"inner_seconds": done - imported, "import_seconds": imported - t0, "rows": table.num_rows,
            "arrow_bytes": table.nbytes, "how": how}


def step_pandas(path: str) -> dict:
    t0 = time.perf_counter()
    import pandas as pd

    imported = time.perf_counter()
    if _is_jsonl(path):
        return {"skipped": "pandas.read_json(lines=True) is excluded (measured: 44 s, 7x the file in memory)"}
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    done = time.perf_counter()
    return {"inner_seconds": done - imported, "import_seconds": imported - t0, "rows": len(frame),
            "how": "pandas.read_csv(dtype=str, keep_default_na=False), C engine",
            "pandas": pd.__version__, "dtype": str(frame["Text"].dtype)}


def builtin_expectations(columns: list[str]) -> list:
    """Built-in GX expectations approximating the spec rules (what a user without gx-clova would write)."""
    import great_expectations.expectations as gxe

    found = [
        # H1-H5: exact columns in order.
        gxe.ExpectTableColumnsToMatchOrderedList(column_list=COLUMNS if "System_Prompt" in columns else COLUMNS[1:]),
        # N1 / N2.
        gxe.ExpectTableRowCountToBeBetween(min_value=100),
        gxe.ExpectTableRowCountToBeBetween(min_value=1_000, max_value=100_000, severity="warning"),
    ]
    for name in columns:
        found.append(gxe.ExpectColumnValuesToNotBeNull(column=name))
    found += [
        # I1/I2 approximated: integers, unique (C_ID, T_ID) pairs, C_ID starts at 0.
        gxe.ExpectColumnValuesToMatchRegex(column="C_ID", regex=r"^(0|[1-9][0-9]*)$"),
        gxe.ExpectColumnValuesToMatchRegex(column="T_ID", regex=r"^(0|[1-9][0-9]*)$"),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["C_ID", "T_ID"]),
        # T1-T3 approximated per column (GX has no built-in for len(a) + len(b)).
        gxe.ExpectColumnValueLengthsToBeBetween(column="Text", min_value=1, max_value=8000),
        gxe.ExpectColumnValueLengthsToBeBetween(column="Completion", min_value=1, max_value=8000),
        # Warnings gx-clova also raises: U+FFFD / control characters.
        gxe.ExpectColumnValuesToNotMatchRegex(column="Text", regex="[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\ufffd]"),
        gxe.ExpectColumnValuesToNotMatchRegex(column="Completion", regex="[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\ufffd]"),
        # S1 has no built-in; the number of distinct prompts is the closest table-level proxy.
        gxe.ExpectColumnUniqueValueCountToBeBetween(column="C_ID", min_value=1),
    ]
    if "System_Prompt" in columns:
        found.append(gxe.ExpectColumnUniqueValueCountToBeBetween(column="System_Prompt", min_value=1))
    return found


def step_gx_builtin(path: str) -> dict:
    t0 = time.perf_counter()
    import great_expectations as gx
    import pandas as pd
    from great_expectations.core.result_format import ResultFormat
    from great_expectations.data_context.types.base import ProgressBarsConfig

    imported = time.perf_counter()
    if _is_jsonl(path):
        import pyarrow.json as pajson

        frame = pajson.read_json(path).to_pandas()
        frame = frame.astype({"C_ID": str, "T_ID": str})
    else:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    read = time.perf_counter()

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    suite = gx.ExpectationSuite(name="builtin_approximation")
    for expectation in builtin_expectations([str(c) for c in frame.columns]):
        suite.add_expectation(expectation)
    suite = context.suites.add(suite)
    asset = context.data_sources.add_pandas("bench").add_dataframe_asset("dataset")
    batch_definition = asset.add_batch_definition_whole_dataframe("whole")
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name="bench", data=batch_definition, suite=suite)
    )
    result = definition.run(batch_parameters={"dataframe": frame}, result_format=ResultFormat.BASIC)
    done = time.perf_counter()
    failed = [r.expectation_config.type for r in result.results if not r.success]
    return {
        "inner_seconds": done - imported, "import_seconds": imported - t0, "read_seconds": read - imported,
        "validation_seconds": done - read, "rows": len(frame), "success": bool(result.success),
        "expectations": len(result.results), "failed_expectations": failed,
        "how": "GX 1.x built-in expectations on pandas.read_csv(dtype=str), ephemeral context, BASIC",
    }


def step_gx_clova_api(path: str, report_path: str) -> dict:
    t0 = time.perf_counter()
    from gx_clova.validation import validate

    imported = time.perf_counter()
    report = validate(path)
    done = time.perf_counter()
    with open(report_path, "w", encoding="utf-8") as handle:
        handle.write(report.to_json())
    return {"inner_seconds": done - imported, "import_seconds": imported - t0, "rows": report.rows,
            "success": report.success, "how": "gx_clova.validation.validate(FILE) (no CLI yet)"}


def wrap(cmd: list[str]) -> int:
    """Run ``cmd``; print its peak RSS (kB) and wall seconds to stderr as one JSON line."""
    t0 = time.perf_counter()
    code = subprocess.call(cmd)
    wall = time.perf_counter() - t0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print("BENCH-WRAP " + json.dumps({"maxrss_kb": usage.ru_maxrss,  # kB on Linux
                                      "cpu": usage.ru_utime + usage.ru_stime, "wall": wall, "exit": code}),
          file=sys.stderr)
    return code


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    if argv[0] == "wrap":
        return wrap(argv[1:])
    steps = {"pyarrow": step_pyarrow, "pandas": step_pandas, "gx-builtin": step_gx_builtin,
             "gx-clova-api": step_gx_clova_api}
    result = steps[argv[0]](*argv[1:])
    result["pid"] = os.getpid()
    print("BENCH-RESULT " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
