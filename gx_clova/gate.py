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
from typing import Any

from gx_clova import spec

JSON_INDENT = 2


def register(subparsers: Any) -> None:
    from gx_clova.cli import FORMATS

    p = subparsers.add_parser(
        "gate",
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
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gx_clova import ci
    from gx_clova.cli import EXIT_FAILED, EXIT_PASSED, EXIT_UNREADABLE, _emit
    from gx_clova.cli import check_outputs
    from gx_clova.escape import for_terminal
    from gx_clova.output import render
    from gx_clova.redact import redact
    from gx_clova.sources import SourceError
    from gx_clova.validation import validate

    options = {"endpoint_url": args.endpoint_url} if args.endpoint_url else {}
    check_outputs([("source", s) for s in args.sources],
                  [("--output", args.output), ("--sarif", args.sarif), ("--junit", args.junit)], args.docs)
    reports, unreadable = [], []
    for source in dict.fromkeys(args.sources):  # a file named twice is validated once
        try:
            reports.append(validate(source, task=args.task, docs_dir=args.docs, **options))
        except SourceError as exc:
            unreadable.append((source, redact(str(exc))))
    if args.fmt == "sarif":
        text = ci.sarif(reports, unreadable)
    elif args.fmt == "github":
        text = ci.github(reports, unreadable)
    elif args.fmt == "junit":
        text = ci.junit(reports, unreadable)
    elif args.fmt == "json":
        text = json.dumps({
            "success": not unreadable and all(r.success for r in reports),
            "reports": [r.to_dict() for r in reports],
            "unreadable": [{"source": s, "reason": why} for s, why in unreadable],
        }, ensure_ascii=False, indent=JSON_INDENT) + "\n"
    else:
        text = "".join(render(r, "text") for r in reports)
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
