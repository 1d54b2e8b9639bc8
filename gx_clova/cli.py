"""``gx-clova``: the command line. Exit statuses are the contract (docs/cli.md):

0  the dataset passed (warnings allowed)
1  the dataset failed
2  usage error
3  the source could not be read (missing file, access denied, not a regular file, storage
   unreachable, not enough memory to read it), or gx-clova itself could not finish
4  an output could not be written (--output, --junit, --sarif, --docs, fix's files): the
   message names the path and the reason; the verdict was not delivered
130 interrupted (Ctrl-C or SIGTERM): temporary files removed, no output half-written

No traceback ever reaches the user: every exit path prints one clear message.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, Callable, Sequence

from gx_clova import __version__, memory, spec

EXIT_PASSED, EXIT_FAILED, EXIT_USAGE, EXIT_UNREADABLE, EXIT_OUTPUT = 0, 1, 2, 3, 4
#: Report formats: people, programs, CI systems (JUnit, SARIF 2.1.0, GitHub annotations).
FORMATS = ("text", "json", "junit", "sarif", "github")


class UsageError(Exception):
    """Bad arguments found after parsing (exit 2)."""


def verdict_options() -> argparse.ArgumentParser:
    """The options that decide and show a verdict, the same on ``validate``, ``gate``,
    ``checkpoint`` (and so the pre-commit hook, which runs ``gate``): an argparse parent parser."""
    p = argparse.ArgumentParser(add_help=False)
    group = p.add_argument_group("verdict")
    group.add_argument("--strict", action="store_true", help="report every warning as an error (exit 1)")
    group.add_argument("--error", dest="errors", metavar="CODE", action="append", default=[],
                       help="report this warning code as an error (repeatable), e.g. --error duplicate.row")
    group.add_argument("--eval-file", metavar="PATH",
                       help="held-out evaluation/test file: warn about training rows that also appear in it")
    group.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                       help="text format colours (auto: on a terminal unless NO_COLOR is set; "
                       "an explicit always/never wins over NO_COLOR)")
    return p


def escalation_of(args: argparse.Namespace) -> frozenset[str]:
    """The warning codes ``--strict`` / ``--error`` escalate; an unknown code is a usage error."""
    from gx_clova.validation import escalation

    try:
        return escalation(args.strict, args.errors)
    except ValueError as exc:
        raise UsageError(f"{exc} (see gx_clova/codes.py for the catalogue)") from None


def _validate_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "validate",
        parents=[verdict_options()],
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
    from gx_clova.output import render
    from gx_clova.progress import Phases
    from gx_clova.rules.leakage import EvalFileError
    from gx_clova.validation import validate

    escalate = escalation_of(args)
    if args.tokens:
        from gx_clova.tokens.cli import check_section

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
    try:
        report = validate(args.source, task=args.task, docs_dir=args.docs, phases=Phases(args.progress, sys.stderr),
                          eval_file=args.eval_file, escalate=escalate, engine=args.engine, stream=stream, **options)
    except EvalFileError as exc:
        raise UsageError(str(exc)) from None
    tokens = ""
    if args.tokens:
        from gx_clova.tokens.cli import report_section

        tokens = report_section(report, args.source, args.tokens, args.fmt, args.endpoint_url)
    text = render(report, args.fmt, color=_use_color(args)) + tokens
    _emit(text, args.output)
    if args.output:
        print(f"report written to {for_terminal(args.output)}", file=sys.stderr)
    return EXIT_PASSED if report.success else EXIT_FAILED


def _use_color(args: argparse.Namespace) -> bool:
    """Colours for the text format on stdout: an explicit ``--color always|never`` decides;
    ``auto`` colours a terminal unless ``NO_COLOR`` is set."""
    if args.fmt != "text" or args.output or args.color == "never":
        return False
    if args.color == "always":
        return True
    return not os.environ.get("NO_COLOR") and sys.stdout.isatty()


def check_outputs(inputs: list[tuple[str, str | None]], outputs: list[tuple[str, str | None]],
                  docs: str | None = None) -> None:
    """Before anything is read: no output onto an input or onto another output (exit 2), a
    --docs folder that is new, empty or gx-clova's and holds no symlink (exit 2; a file: exit 4)."""
    from gx_clova import outputs as out

    try:
        out.refuse_collisions(inputs, outputs, [("--docs", docs)])
        if docs:
            out.check_docs_dir(docs)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if docs:
        out.mark_docs_dir(docs)


def _emit(text: str, output: str | None) -> None:
    """``text`` to ``output`` (atomically: the old file or the new one, never half) or stdout."""
    if output:
        from gx_clova.outputs import write_text

        write_text(output, text)
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
        parents=[verdict_options()],
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
    p.set_defaults(func=_run_checkpoint)


def _run_checkpoint(args: argparse.Namespace) -> int:
    from gx_clova.output import render
    from gx_clova.project import UnknownCheckpoint, find_root, run_checkpoint
    from gx_clova.rules.leakage import EvalFileError

    check_outputs([("source", args.source)], [("--output", args.output)])
    root = find_root(args.project)
    if root is None:
        raise UsageError(f"no great_expectations.yml in {args.project} or {os.path.join(args.project, 'gx')}")
    escalate = escalation_of(args)
    options = {"endpoint_url": args.endpoint_url} if args.endpoint_url else {}
    try:
        _, report = run_checkpoint(root, args.name, args.source, escalate=escalate, eval_file=args.eval_file,
                                   **options)
    except (EvalFileError, UnknownCheckpoint) as exc:
        raise UsageError(str(exc).strip("'\"")) from None
    _emit(render(report, args.fmt, color=_use_color(args)), args.output)
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
    from gx_clova.output import render
    from gx_clova.validation import validate

    docs = os.path.join(args.out, "docs")
    as_expected = True
    for name, task, expected in DEMO:
        path = os.path.join(args.examples, name)
        if not os.path.isfile(path):
            raise UsageError(f"example {path} not found (run from the repository, or pass --examples DIR)")
        print(f"\n== {name} ({task}): this example {DEMO_STATES[expected]}")
        report = validate(path, task=task, docs_dir=docs)
        _emit(report.to_json() + "\n", os.path.join(args.out, name.rsplit(".", 1)[0] + ".json"))
        sys.stdout.write(render(report, "text", color=sys.stdout.isatty()))
        got = demo_state(report)
        if got != expected:
            print(f"  !! expected: {DEMO_STATES[expected]}; got: {DEMO_STATES[got]}")
        as_expected &= got == expected
    print(f"\nreports: {os.path.abspath(args.out)}/*.json")
    print(f"Data Docs: {os.path.abspath(os.path.join(docs, 'index.html'))}")
    print("demo: " + ("every example got the verdict it should" if as_expected else "an example got the wrong verdict"))
    return EXIT_PASSED if as_expected else EXIT_FAILED


#: Commands defined in this module: running one of them imports no plugin (start-up stays short).
CORE_COMMANDS = ("validate", "suites", "checkpoint", "demo")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; with ``command`` (one of :data:`CORE_COMMANDS`, or ``gate``) only what that
    command needs is imported — the submitter's HTTP and S3 clients cost more than a validation."""
    parser = argparse.ArgumentParser(
        prog="gx-clova",
        description="Prove a HyperCLOVA X tuning dataset meets the CLOVA Studio spec before it is uploaded.",
        epilog="Exit status: 0 passed, 1 dataset failed, 2 usage error, 3 source unreadable (or out of memory), "
        "4 an output could not be written.",
    )
    parser.add_argument("--version", action="version", version=f"gx-clova {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    _validate_parser(subparsers)
    _suites_parser(subparsers)
    _checkpoint_parser(subparsers)
    _demo_parser(subparsers)
    if command == "gate":
        from gx_clova import gate

        gate.register(subparsers)
    elif command not in CORE_COMMANDS:
        for register in _plugins():
            register(subparsers)
    return parser


def _command_of(argv: Sequence[str] | None) -> str | None:
    """The subcommand named on the command line (the first word not starting with ``-``)."""
    words = sys.argv[1:] if argv is None else argv
    return next((w for w in words if not w.startswith("-")), None)


def _plugins() -> list[Callable[[argparse._SubParsersAction], None]]:
    """Subcommands that live with their feature (submit/status live with the submitter)."""
    from gx_clova import gate, init, reference, split
    from gx_clova.convert.cli import register as register_convert
    from gx_clova.evaluate.cli import register as register_evaluate
    from gx_clova.fix.cli import register as register_fix
    from gx_clova.submitter.cli import register as register_submit
    from gx_clova.tokens.cli import register as register_tokens

    return [register_submit, gate.register, init.register, register_fix, register_convert, register_tokens,
            split.register, register_evaluate, reference.register]


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. SIGTERM is handled like Ctrl-C (exit 130, temporary files removed)."""
    from gx_clova.outputs import signals_as_interrupts

    try:
        with signals_as_interrupts():
            return _main(argv)
    except KeyboardInterrupt:  # before or after the command's own handling
        print("gx-clova: interrupted", file=sys.stderr)
        return 130


def _main(argv: Sequence[str] | None) -> int:
    from gx_clova.escape import for_terminal
    from gx_clova.outputs import OutputError
    from gx_clova.redact import redact as redact_text
    from gx_clova.sources import SourceError

    parser = build_parser(_command_of(argv))
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help/--version exit 0, bad usage exits 2
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        parser.print_usage(sys.stderr)
        print("gx-clova: error: a command is required (try: gx-clova validate FILE)", file=sys.stderr)
        return EXIT_USAGE

    def say(message: str) -> None:
        print(for_terminal(redact_text(message)), file=sys.stderr)

    try:
        return int(args.func(args))
    except UsageError as exc:
        say(f"gx-clova: error: {exc}")
        return EXIT_USAGE
    except memory.NotEnoughMemory as exc:  # one message for memory, whichever check found it
        say(f"gx-clova: out of memory: {exc}")
        return EXIT_UNREADABLE
    except SourceError as exc:
        say(f"gx-clova: cannot read the source: {exc}")
        return EXIT_UNREADABLE
    except OutputError as exc:
        say(f"gx-clova: cannot write {exc}")
        return EXIT_OUTPUT
    except KeyboardInterrupt:
        say("gx-clova: interrupted")
        return 130
    except Exception as exc:  # the promise: never a traceback
        if memory.is_out_of_memory(exc):
            say(memory.OUT_OF_MEMORY)
            return EXIT_UNREADABLE
        say(f"gx-clova: could not finish: {type(exc).__name__}: {exc}")
        if os.environ.get("GX_CLOVA_DEBUG"):
            import traceback

            traceback.print_exc()
        return EXIT_UNREADABLE


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
