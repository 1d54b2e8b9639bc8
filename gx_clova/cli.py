"""``gx-clova``: the command line. Exit statuses are the contract (SPEC §2):

0  the dataset passed (warnings allowed)
1  the dataset failed
2  usage error
3  the source could not be read (missing file, access denied, storage unreachable), or
   gx-clova itself could not finish

No traceback ever reaches the user: every exit path prints one clear message.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Callable, Sequence

from gx_clova import __version__, spec

EXIT_PASSED, EXIT_FAILED, EXIT_USAGE, EXIT_UNREADABLE = 0, 1, 2, 3
#: Report formats: people, programs, CI systems (JUnit, SARIF 2.1.0, GitHub annotations).
FORMATS = ("text", "json", "junit", "sarif", "github")


class UsageError(Exception):
    """Bad arguments found after parsing (exit 2)."""


def _validate_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "validate",
        help="check a dataset against the CLOVA Studio spec",
        description="Check a .csv or .jsonl dataset (local path or s3://bucket/key) against the "
        "CLOVA Studio instruction-dataset spec.",
    )
    p.add_argument("source", metavar="SOURCE", help="local path or s3://bucket/key")
    p.add_argument("--task", choices=spec.TASKS, default=spec.DEFAULT_TASK, help="default: %(default)s")
    p.add_argument("--format", dest="fmt", choices=FORMATS, default="text", help="default: %(default)s")
    p.add_argument("--output", metavar="FILE", help="write the report here instead of stdout")
    p.add_argument("--docs", metavar="DIR", help="write Great Expectations Data Docs into DIR")
    p.add_argument("--engine", choices=("pandas", "spark"), default="pandas", help="default: %(default)s")
    p.add_argument("--spark-master", metavar="URL",
                   help="Spark master for --engine spark (default: local[2], Spark inside this process)")
    p.add_argument("--endpoint-url", help="Object Storage endpoint (default: $GX_CLOVA_ENDPOINT_URL or kr-standard)")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="text format colours")
    p.add_argument("--progress", choices=("auto", "always", "never"), default="auto",
                   help="progress on stderr (auto: when stderr is a terminal and the file is large)")
    p.add_argument("--eval-file", metavar="PATH",
                   help="held-out evaluation/test file: warn about training rows that also appear in it")
    p.add_argument("--strict", action="store_true", help="report every warning as an error (exit 1)")
    p.add_argument("--error", dest="errors", metavar="CODE", action="append", default=[],
                   help="report this warning code as an error (repeatable), e.g. --error duplicate.row")
    p.set_defaults(func=_run_validate)


def _run_validate(args: argparse.Namespace) -> int:
    from gx_clova.output import render
    from gx_clova.progress import ProgressMeter
    from gx_clova.rules.leakage import EvalFileError
    from gx_clova.validation import escalation, validate

    try:
        escalate = escalation(args.strict, args.errors)
    except ValueError as exc:
        raise UsageError(f"{exc} (see gx_clova/codes.py for the catalogue)") from None
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
    meter = ProgressMeter.for_source(args.source, args.progress, stream=sys.stderr)
    try:
        report = validate(args.source, task=args.task, docs_dir=args.docs, progress=meter.update,
                          eval_file=args.eval_file, escalate=escalate, engine=args.engine, **options)
    except EvalFileError as exc:
        raise UsageError(str(exc)) from None
    finally:
        meter.close()
    text = render(report, args.fmt, color=_use_color(args))
    _emit(text, args.output)
    if args.output:
        print(f"report written to {args.output}", file=sys.stderr)
    return EXIT_PASSED if report.success else EXIT_FAILED


def _use_color(args: argparse.Namespace) -> bool:
    if args.fmt != "text" or args.output or args.color == "never" or os.environ.get("NO_COLOR"):
        return False
    return args.color == "always" or sys.stdout.isatty()


def _emit(text: str, output: str | None) -> None:
    if output:
        directory = os.path.dirname(os.path.abspath(output))
        os.makedirs(directory, exist_ok=True)
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
        return
    sys.stdout.write(text)
    sys.stdout.flush()


def _suites_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("suites", help="write the expectation suites as GX JSON")
    p.add_argument("--write", metavar="DIR", default="expectations", help="default: %(default)s")
    p.set_defaults(func=lambda a: __import__("gx_clova.suites", fromlist=["main"]).main(["--write", a.write]))


def _checkpoint_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "checkpoint",
        help="run a checkpoint of a GX project (default: this repository's) on a dataset",
        description="Run a GX checkpoint (e.g. clova_generation_local) on a dataset; the checkpoint's "
        "actions run too (Data Docs are updated under the project's uncommitted/data_docs).",
    )
    p.add_argument("name", metavar="CHECKPOINT")
    p.add_argument("source", metavar="SOURCE", help="local path or s3://bucket/key")
    p.add_argument("--project", metavar="DIR", default=".", help="directory holding great_expectations.yml (or gx/great_expectations.yml)")
    p.add_argument("--format", dest="fmt", choices=FORMATS, default="text")
    p.add_argument("--output", metavar="FILE")
    p.add_argument("--endpoint-url")
    p.set_defaults(func=_run_checkpoint, color="never")


def _run_checkpoint(args: argparse.Namespace) -> int:
    from gx_clova.output import render
    from gx_clova.project import find_root, run_checkpoint

    root = find_root(args.project)
    if root is None:
        raise UsageError(f"no great_expectations.yml in {args.project} or {os.path.join(args.project, 'gx')}")
    options = {"endpoint_url": args.endpoint_url} if args.endpoint_url else {}
    _, report = run_checkpoint(root, args.name, args.source, **options)
    _emit(render(report, args.fmt), args.output)
    return EXIT_PASSED if report.success else EXIT_FAILED


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
    return os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")


#: The demo's datasets, their task and whether they should pass.
DEMO = (("generation.csv", "generation", True), ("classification.csv", "classification", True),
        ("broken.csv", "generation", False))


def _run_demo(args: argparse.Namespace) -> int:
    from gx_clova.output import render
    from gx_clova.validation import validate

    docs = os.path.join(args.out, "docs")
    as_expected = True
    for name, task, should_pass in DEMO:
        path = os.path.join(args.examples, name)
        if not os.path.isfile(path):
            raise UsageError(f"example {path} not found (run from the repository, or pass --examples DIR)")
        report = validate(path, task=task, docs_dir=docs)
        _emit(report.to_json() + "\n", os.path.join(args.out, name.rsplit(".", 1)[0] + ".json"))
        sys.stdout.write(render(report, "text", color=sys.stdout.isatty()))
        as_expected &= report.success is should_pass
    print(f"\nreports: {os.path.abspath(args.out)}/*.json")
    print(f"Data Docs: {os.path.abspath(os.path.join(docs, 'index.html'))}")
    print("demo: " + ("every example got the verdict it should" if as_expected else "an example got the wrong verdict"))
    return EXIT_PASSED if as_expected else EXIT_FAILED


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gx-clova",
        description="Prove a HyperCLOVA X tuning dataset meets the CLOVA Studio spec before it is uploaded.",
        epilog="Exit status: 0 passed, 1 dataset failed, 2 usage error, 3 source unreadable.",
    )
    parser.add_argument("--version", action="version", version=f"gx-clova {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    _validate_parser(subparsers)
    _suites_parser(subparsers)
    _checkpoint_parser(subparsers)
    _demo_parser(subparsers)
    for register in _plugins():
        register(subparsers)
    return parser


def _plugins() -> list[Callable[[argparse._SubParsersAction], None]]:
    """Subcommands that live with their feature (submit/status live with the submitter)."""
    from gx_clova import gate, init
    from gx_clova.fix.cli import register as register_fix
    from gx_clova.submitter.cli import register as register_submit

    return [register_submit, gate.register, init.register, register_fix]


def main(argv: Sequence[str] | None = None) -> int:
    from gx_clova.redact import redact as redact_text
    from gx_clova.sources import SourceError

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help/--version exit 0, bad usage exits 2
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        parser.print_usage(sys.stderr)
        print("gx-clova: error: a command is required (try: gx-clova validate FILE)", file=sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.func(args))
    except UsageError as exc:
        print(f"gx-clova: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except SourceError as exc:
        print(f"gx-clova: cannot read the source: {redact_text(str(exc))}", file=sys.stderr)
        return EXIT_UNREADABLE
    except KeyboardInterrupt:
        print("gx-clova: interrupted", file=sys.stderr)
        return 130
    except MemoryError:
        print("gx-clova: out of memory while reading the dataset", file=sys.stderr)
        return EXIT_UNREADABLE
    except Exception as exc:  # the promise: never a traceback
        print(f"gx-clova: could not finish: {type(exc).__name__}: {redact_text(str(exc))}", file=sys.stderr)
        if os.environ.get("GX_CLOVA_DEBUG"):
            import traceback

            traceback.print_exc()
        return EXIT_UNREADABLE


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
