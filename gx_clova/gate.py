"""``gx-clova gate``: validate several datasets, one verdict; for CI jobs and pre-commit hooks.

    gx-clova gate data/train.csv data/eval.jsonl --format github
    gx-clova gate $(git diff --name-only --diff-filter=d origin/main -- '*.csv' '*.jsonl') --format github --sarif gx-clova.sarif --docs gx-clova-docs

Exit status: 0 every dataset passed (warnings allowed); 1 at least one failed; 3 at least one
could not be read (the gate cannot vouch for it; this wins over 1); 2 usage error (an output
naming a dataset or another output included); 4 a report could not be written. Every file is
validated even after one fails, so a single run lists everything. ``--docs DIR`` writes one Data
Docs site for all of them.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable
from typing import Any

from gx_clova import spec

JSON_INDENT = 2
#: Files validated at once on the direct path (each is read, hashed and checked on its own).
MAX_WORKERS = 2


def register(subparsers: Any) -> None:
    from gx_clova.cli import FORMATS, verdict_options

    p = subparsers.add_parser(
        "gate",
        parents=[verdict_options()],
        help="validate one or more datasets with one verdict (CI jobs, pre-commit)",
        description="Validate every SOURCE against the CLOVA Studio spec and exit 0 only if all passed "
        "(1: a dataset failed; 3: a dataset could not be read). For CI: --format junit, sarif "
        "(code scanning) or github (pull-request annotations).",
    )
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="local paths or s3://bucket/key")
    p.add_argument("--task", choices=spec.TASKS, default=spec.DEFAULT_TASK, help="default: %(default)s")
    p.add_argument("--format", dest="fmt", choices=FORMATS, default="text", help="default: %(default)s")
    p.add_argument("--output", metavar="FILE", help="write the report here instead of stdout")
    p.add_argument("--docs", metavar="DIR", help="write one Data Docs site for all datasets into DIR")
    p.add_argument("--sarif", metavar="FILE", help="also write a SARIF 2.1.0 report (code scanning) to FILE")
    p.add_argument("--junit", metavar="FILE", help="also write a JUnit report to FILE")
    p.add_argument("--endpoint-url", help="Object Storage endpoint (default: $GX_CLOVA_ENDPOINT_URL or kr-standard)")
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
    from gx_clova import ci, direct
    from gx_clova.cli import (
        EXIT_FAILED,
        EXIT_PASSED,
        EXIT_UNREADABLE,
        UsageError,
        _emit,
        _use_color,
        check_outputs,
        escalation_of,
    )
    from gx_clova.escape import for_terminal
    from gx_clova.output import render
    from gx_clova.redact import redact
    from gx_clova.report import SCHEMA_VERSION
    from gx_clova.rules.leakage import EvalFileError
    from gx_clova.sources import SourceError
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
        except EvalFileError as exc:
            raise UsageError(str(exc)) from None

    sources = list(dict.fromkeys(args.sources))  # a file named twice is validated once
    outcomes = _in_parallel(one, sources, parallel=direct.chosen_path(bool(args.docs)) == "direct")
    reports = [report for report, _ in outcomes if report is not None]
    unreadable = [failed for _, failed in outcomes if failed is not None]
    if args.fmt == "sarif":
        text = ci.sarif(reports, unreadable)
    elif args.fmt == "github":
        text = ci.github(reports, unreadable)
    elif args.fmt == "junit":
        text = ci.junit(reports, unreadable)
    elif args.fmt == "json":
        text = json.dumps({
            "schema_version": SCHEMA_VERSION,
            "success": not unreadable and all(r.success for r in reports),
            "reports": [r.to_dict() for r in reports],
            "unreadable": [{"source": s, "reason": why} for s, why in unreadable],
        }, ensure_ascii=False, indent=JSON_INDENT) + "\n"
    else:
        color = _use_color(args)
        text = "".join(render(r, "text", color=color) for r in reports)
        text += "".join(f"UNREADABLE  {for_terminal(s)}\n  {for_terminal(why)}\n" for s, why in unreadable)
        failed = sum(not r.success for r in reports)
        text += f"gate: {len(reports) - failed} passed, {failed} failed, {len(unreadable)} unreadable\n"
    _emit(text, args.output)
    # One validation run, several reports: annotations on stdout, SARIF and JUnit files for the CI.
    if args.sarif:
        _emit(ci.sarif(reports, unreadable), args.sarif)
    if args.junit:
        _emit(ci.junit(reports, unreadable), args.junit)
    if unreadable:
        return EXIT_UNREADABLE
    return EXIT_PASSED if all(r.success for r in reports) else EXIT_FAILED
