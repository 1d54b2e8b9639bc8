"""``gx-clova fix SOURCE --output FIXED``: the subcommand (registered by :mod:`gx_clova.cli`).

Exit status: 0 the fixed file passes validation (warnings allowed), 1 faults remain that could
not be fixed automatically (listed with the source's lines), 2 usage error, 3 the source could
not be read, 4 an output could not be written (then none of the outputs is written).
"""

from __future__ import annotations

import argparse
import json
import sys

from gx_clova import spec
from gx_clova.cli.exits import verdict
from gx_clova.cli.options import dataset_options
from gx_clova.codes import CATALOGUE
from gx_clova.errors import DatasetError, UsageError
from gx_clova.escape import for_terminal

SHOWN = spec.CONSOLE_LINES


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "fix",
        parents=[dataset_options(formats=("text", "json"), output=False,
                                 endpoint_help="Object Storage endpoint for an s3:// SOURCE")],
        help="write a corrected copy of a dataset (the source is never changed)",
        description="Write a corrected copy of SOURCE: UTF-8, no blank rows or columns, spec column names "
        "and order, C_ID/T_ID renumbered, NFC text. Every change goes to a change log, old → new IDs to a "
        "mapping file; the fixed file is then validated. Nothing is dropped unless asked.",
    )
    p.add_argument("source", metavar="SOURCE", help="local path or s3://bucket/key")
    p.add_argument("--output", "-o", metavar="FIXED", required=True,
                   help="the fixed file (.csv or .jsonl; the extension picks the format)")
    p.add_argument("--changes", metavar="FILE", help="change log, JSON Lines or .csv (default: FIXED.changes.jsonl)")
    p.add_argument("--mapping", metavar="FILE", help="old → new C_ID/T_ID per source line (default: FIXED.mapping.csv)")
    p.add_argument("--rejects", metavar="FILE",
                   help="move conversations holding a row that cannot be fixed here (JSON Lines), "
                   "instead of keeping them in FIXED")
    p.add_argument("--drop-duplicates", action="store_true",
                   help="drop conversations that repeat earlier rows exactly")
    p.add_argument("--drop-extra-columns", action="store_true", help="remove columns outside the spec")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gx_clova.fix import CannotFix, FixUsageError, fix

    options = {"endpoint_url": args.endpoint_url} if args.endpoint_url else {}
    try:
        result = fix(args.source, args.output, task=args.task, changes=args.changes, mapping=args.mapping,
                     rejects=args.rejects, drop_duplicates=args.drop_duplicates,
                     drop_extra_columns=args.drop_extra_columns, **options)
    except FixUsageError as exc:
        raise UsageError(str(exc)) from None
    except CannotFix as exc:  # the file cannot be fixed as asked: a verdict on it (exit 1)
        raise DatasetError(f"cannot fix {args.source}: {exc}") from None
    if args.fmt == "json":
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(text(result))
    return verdict(result.passed)


def _lines(lines: list[int]) -> str:
    if not lines:
        return ""
    shown = ", ".join(str(n) for n in lines[:SHOWN])
    more = f" … (+{len(lines) - SHOWN:,} more)" if len(lines) > SHOWN else ""
    return f"line{'s' if len(lines) > 1 else ''} {shown}{more}"


def text(result) -> str:
    records = result.records
    out = [
        f"source   {result.source} · {result.source_encoding} · {records['source']:,} record(s)",
        f"fixed    {result.output} · {records['written']:,} record(s) written",
    ]
    counts = result.change_counts()
    listed = ", ".join(f"{code} {n:,}" for code, n in counts.items()) or "none needed"
    out.append(f"changes  {sum(counts.values()):,} → {result.changes_path}: {listed}")
    fates = ", ".join(f"{fate} {n:,}" for fate, n in records.items() if n and fate not in ("source", "written"))
    out.append(f"mapping  {result.mapping_path}: {fates}")
    if result.rejects_path:
        out.append(f"rejects  {result.rejects_path}: {records['rejected']:,} record(s)")
    if result.report is None:
        return _shown(out)
    verdict = "PASSED" if result.passed else "FAILED"
    out.append(f"{verdict}   validate {result.output}")
    if result.remaining:
        out.append(f"  cannot be fixed automatically (lines of {result.source}):")
        width = max(len(r["code"]) for r in result.remaining)
        for r in result.remaining:
            where = _lines(r["lines"]) or "the whole file"
            out.append(f"  ✗ {r['code'].ljust(width)} {r['count']:>7,}  {where}")
            out.append(f"      {CATALOGUE[r['code']].requirement}")
        if not result.rejects_path:
            out.append("  --rejects FILE moves the conversations holding such rows out of the fixed file")
    for w in result.warnings:
        out.append(f"  ! {w['code']} {w['count']:,} {_lines(w['lines'])}".rstrip())
    return _shown(out)


def _shown(lines: list[str]) -> str:
    """One terminal line each: a file name's line breaks and escape sequences shown as ``\\xNN``."""
    return "".join(for_terminal(line) + "\n" for line in lines)
