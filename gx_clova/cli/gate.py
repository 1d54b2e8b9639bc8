"""``gx-clova gate``: validate several datasets, one verdict; for CI jobs and pre-commit hooks.

    gx-clova gate data/train.csv data/eval.jsonl --format github
    gx-clova gate $(git diff --name-only --diff-filter=d origin/main -- '*.csv' '*.jsonl') \\
        --format github --sarif gx-clova.sarif --docs gx-clova-docs

Exit status: 0 every dataset passed (warnings allowed); 1 at least one failed; 3 at least one
could not be read (the gate cannot vouch for it; this wins over 1); 2 usage error (an output
naming a dataset or another output included); 4 a report could not be written. Every file is
validated even after one fails, so a single run lists everything. ``--docs DIR`` writes one Data
Docs site for all of them.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from typing import Any

from gx_clova.cli.emit import check_outputs, emit
from gx_clova.cli.exits import EXIT_UNREADABLE, verdict
from gx_clova.cli.options import dataset_options, escalation_of, use_color, verdict_options
from gx_clova.errors import SourceError, UsageError

#: Files validated at once on the direct path (each is read, hashed and checked on its own).
MAX_WORKERS = 2


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "gate",
        parents=[dataset_options(), verdict_options()],
        help="validate one or more datasets with one verdict (CI jobs, pre-commit)",
        description="Validate every SOURCE against the CLOVA Studio spec and exit 0 only if all passed "
        "(1: a dataset failed; 3: a dataset could not be read). For CI: --format junit, sarif "
        "(code scanning) or github (pull-request annotations).",
    )
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="local paths or s3://bucket/key")
    p.add_argument("--docs", metavar="DIR", help="write one Data Docs site for all datasets into DIR")
    p.add_argument("--sarif", metavar="FILE", help="also write a SARIF 2.1.0 report (code scanning) to FILE")
    p.add_argument("--junit", metavar="FILE", help="also write a JUnit report to FILE")
    p.add_argument("--stream", action="store_true",
                   help="read every file in bounded memory (automatic for a file that would not fit; same reports)")
    p.set_defaults(func=run)


def _in_parallel(work: Callable[[str], Any], sources: list[str], parallel: bool) -> list[Any]:
    """``work`` on every source, results in the sources' order. On the direct path two files are
    validated at once (the parse, the hash and the rules release the GIL for much of the time);
    a GX run (Data Docs, GX_CLOVA_ENGINE_PATH=gx) stays one file at a time."""
    workers = min(len(sources), os.cpu_count() or 1, MAX_WORKERS) if parallel else 1
    if workers <= 1:
        return [work(source) for source in sources]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(workers, thread_name_prefix="gx-clova-gate") as pool:
        return list(pool.map(work, sources))


def run(args: argparse.Namespace) -> int:
    from gx_clova import direct
    from gx_clova.formats import junit, render_gate, sarif
    from gx_clova.redact import redact
    from gx_clova.validation import validate

    escalate = escalation_of(args)
    if args.stream and args.docs:
        raise UsageError("--stream writes no Data Docs: drop --docs")
    options: dict[str, Any] = {"endpoint_url": args.endpoint_url} if args.endpoint_url else {}
    if args.stream:
        options["stream"] = True
    check_outputs([("source", s) for s in args.sources] + ([("--eval-file", args.eval_file)] if args.eval_file else []),
                  [("--output", args.output), ("--sarif", args.sarif), ("--junit", args.junit)], args.docs)

    def one(source: str) -> tuple[Any, tuple[str, str] | None]:
        try:
            return validate(source, task=args.task, docs_dir=args.docs, eval_file=args.eval_file,
                            escalate=escalate, **options), None
        except SourceError as exc:
            return None, (source, redact(str(exc)))

    sources = list(dict.fromkeys(args.sources))  # a file named twice is validated once
    outcomes = _in_parallel(one, sources, parallel=direct.chosen_path(bool(args.docs)) == "direct")
    reports = [report for report, _ in outcomes if report is not None]
    unreadable = [failed for _, failed in outcomes if failed is not None]
    emit(render_gate(reports, unreadable, args.fmt, color=use_color(args)), args.output)
    # One validation run, several reports: annotations on stdout, SARIF and JUnit files for the CI.
    if args.sarif:
        emit(sarif.sarif(reports, unreadable), args.sarif)
    if args.junit:
        emit(junit.junit(reports, unreadable), args.junit)
    if unreadable:
        return EXIT_UNREADABLE
    return verdict(all(r.success for r in reports))
