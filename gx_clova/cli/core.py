"""The core commands, ``validate``, ``suites``, ``checkpoint`` and ``demo``: running one of them
imports no plugin (start-up stays short)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from gx_clova import memory
from gx_clova.cli.emit import check_outputs, emit
from gx_clova.cli.exits import EXIT_FAILED, EXIT_PASSED, verdict
from gx_clova.cli.options import dataset_options, escalation_of, use_color, verdict_options
from gx_clova.errors import OutputError, UsageError

COMMANDS = ("validate", "suites", "checkpoint", "demo")


def register(subparsers: argparse._SubParsersAction) -> None:
    _validate_parser(subparsers)
    _suites_parser(subparsers)
    _checkpoint_parser(subparsers)
    _demo_parser(subparsers)


def _validate_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "validate",
        parents=[dataset_options(), verdict_options()],
        help="check a dataset against the CLOVA Studio spec",
        description="Check a .csv or .jsonl dataset (local path or s3://bucket/key) against the "
        "CLOVA Studio instruction-dataset spec.",
    )
    p.add_argument("source", metavar="SOURCE", help="local path or s3://bucket/key")
    p.add_argument("--docs", metavar="DIR", help="write Great Expectations Data Docs into DIR")
    p.add_argument("--engine", choices=("pandas", "spark"), default="pandas", help="default: %(default)s")
    p.add_argument("--spark-master", metavar="URL",
                   help="Spark master for --engine spark (default: local[2], Spark inside this process)")
    p.add_argument("--progress", choices=("auto", "always", "never"), default="auto",
                   help="progress bars on stderr for every phase that takes more than about two seconds "
                   "(auto: when stderr is a terminal; always: also when it is not)")
    p.add_argument("--stream", action="store_true",
                   help="read the file in bounded memory, any size (automatic when it would not fit in memory; "
                   "same report)")
    p.add_argument("--tokens", metavar="MODEL",
                   help="add the token plan for MODEL to the report (see gx-clova tokens; the verdict is unchanged)")
    p.set_defaults(func=_run_validate)


def _run_validate(args: argparse.Namespace) -> int:
    from gx_clova.escape import for_terminal

    if args.stream and (args.engine != "pandas" or args.docs):
        raise UsageError("--stream reads on the pandas engine without Data Docs: drop --engine spark / --docs")
    stream = None
    if args.engine == "pandas":  # before pyarrow loads: a cap too small for it would abort the process
        stream = memory.mode_for(args.source, stream=args.stream or None,
                                 streaming_possible=not args.docs) == memory.STREAM
    from gx_clova.formats import render
    from gx_clova.progress import Phases
    from gx_clova.validation import validate

    escalate = escalation_of(args)
    if args.tokens:
        from gx_clova.cli.tokens import check_section

        check_section(args.tokens, args.fmt)
    options = {"endpoint_url": args.endpoint_url} if args.endpoint_url else {}
    if args.engine == "spark":
        from gx_clova.spark.session import SparkUnavailable, require_pyspark

        try:
            require_pyspark()
        except SparkUnavailable as exc:
            raise UsageError(str(exc)) from None
        options["spark_master"] = args.spark_master
    elif args.spark_master:
        raise UsageError("--spark-master needs --engine spark")
    check_outputs([("source", args.source), ("evaluation file", args.eval_file)],
                  [("--output", args.output)], args.docs)
    report = validate(args.source, task=args.task, docs_dir=args.docs, phases=Phases(args.progress, sys.stderr),
                      eval_file=args.eval_file, escalate=escalate, engine=args.engine, stream=stream, **options)
    tokens = ""
    if args.tokens:
        from gx_clova.cli.tokens import report_section

        tokens = report_section(report, args.source, args.tokens, args.fmt, args.endpoint_url)
    emit(render(report, args.fmt, color=use_color(args)) + tokens, args.output)
    if args.output:
        print(f"report written to {for_terminal(args.output)}", file=sys.stderr)
    return verdict(report.success)


def _suites_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("suites", help="write the expectation suites as GX JSON")
    p.add_argument("--write", metavar="DIR", default="expectations", help="default: %(default)s")
    p.set_defaults(func=_run_suites)


def _run_suites(args: argparse.Namespace) -> int:
    from gx_clova.gx.suites import write_suites

    try:
        written = write_suites(args.write)
    except OSError as exc:  # an output that cannot be written: exit 4, the path and the reason
        raise OutputError(exc.filename or args.write, exc.strerror or str(exc)) from None
    for path in written:
        print(path)
    return EXIT_PASSED


def _checkpoint_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "checkpoint",
        parents=[dataset_options(task=False), verdict_options()],
        help="run a checkpoint of a GX project (default: this repository's) on a dataset",
        description="Run a GX checkpoint (e.g. clova_generation_local) on a dataset; the checkpoint's "
        "actions run too (Data Docs are updated under the project's uncommitted/data_docs).",
    )
    p.add_argument("name", metavar="CHECKPOINT")
    p.add_argument("source", metavar="SOURCE", help="local path or s3://bucket/key")
    p.add_argument("--project", metavar="DIR", default=".",
                   help="directory holding great_expectations.yml (or gx/great_expectations.yml)")
    p.set_defaults(func=_run_checkpoint)


def _run_checkpoint(args: argparse.Namespace) -> int:
    from gx_clova.formats import render
    from gx_clova.gx.project import UnknownCheckpoint, find_root, run_checkpoint

    check_outputs([("source", args.source)], [("--output", args.output)])
    root = find_root(args.project)
    if root is None:
        raise UsageError(f"no great_expectations.yml in {args.project} or {os.path.join(args.project, 'gx')}")
    escalate = escalation_of(args)
    options = {"endpoint_url": args.endpoint_url} if args.endpoint_url else {}
    try:
        _, report = run_checkpoint(root, args.name, args.source, escalate=escalate, eval_file=args.eval_file,
                                   **options)
    except UnknownCheckpoint as exc:
        raise UsageError(str(exc).strip("'\"")) from None
    emit(render(report, args.fmt, color=use_color(args)), args.output)
    return verdict(report.success)


def _demo_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "demo",
        help="validate the example datasets, write reports and Data Docs",
        description="Validate examples/generation.csv, examples/classification.csv and "
        "examples/broken.csv; write a JSON report for each and one Data Docs site.",
    )
    p.add_argument("--examples", metavar="DIR", default=_default_examples())
    p.add_argument("--out", metavar="DIR", default="out/demo")
    p.set_defaults(func=_run_demo)


def _default_examples() -> str:
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return os.path.join(os.path.dirname(package), "examples")


#: The demo's datasets, their task and the verdict each should get: they teach the three states.
DEMO = (("classification.csv", "classification", "clean"), ("generation.csv", "generation", "warnings"),
        ("broken.csv", "generation", "failed"))
DEMO_STATES = {"clean": "passes clean (no finding at all)",
               "warnings": "passes with a few warnings (a repeated row, a phone number, decomposed Hangul)",
               "failed": "fails on several rules (each at a known line)"}


def demo_state(report: Any) -> str:
    if not report.success:
        return "failed"
    return "warnings" if report.failures else "clean"


def _run_demo(args: argparse.Namespace) -> int:
    from gx_clova.formats import render
    from gx_clova.validation import validate

    docs = os.path.join(args.out, "docs")
    as_expected = True
    for name, task, expected in DEMO:
        path = os.path.join(args.examples, name)
        if not os.path.isfile(path):
            raise UsageError(f"example {path} not found (run from the repository, or pass --examples DIR)")
        print(f"\n== {name} ({task}): this example {DEMO_STATES[expected]}")
        report = validate(path, task=task, docs_dir=docs)
        emit(report.to_json() + "\n", os.path.join(args.out, name.rsplit(".", 1)[0] + ".json"))
        sys.stdout.write(render(report, "text", color=sys.stdout.isatty()))
        got = demo_state(report)
        if got != expected:
            print(f"  !! expected: {DEMO_STATES[expected]}; got: {DEMO_STATES[got]}")
        as_expected &= got == expected
    print(f"\nreports: {os.path.abspath(args.out)}/*.json")
    print(f"Data Docs: {os.path.abspath(os.path.join(docs, 'index.html'))}")
    print("demo: " + ("every example got the verdict it should" if as_expected else "an example got the wrong verdict"))
    return EXIT_PASSED if as_expected else EXIT_FAILED
