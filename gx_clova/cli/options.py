"""Options several commands share, as argparse parent parsers, and what they decide."""

from __future__ import annotations

import argparse
import os
import sys

from gx_clova import spec
from gx_clova.errors import UsageError

#: Report formats: people, programs, CI systems (JUnit, SARIF 2.1.0, GitHub annotations).
#: The same tuple as ``gx_clova.formats.FORMATS``, here so parsing imports no writer.
FORMATS = ("text", "json", "junit", "sarif", "github")
ENDPOINT_HELP = "Object Storage endpoint (default: $GX_CLOVA_ENDPOINT_URL or kr-standard)"


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


def dataset_options(*, task: bool = True, formats: tuple[str, ...] = FORMATS, output: bool = True,
                    endpoint_help: str = ENDPOINT_HELP) -> argparse.ArgumentParser:
    """The options of a command that reads a dataset and writes a report (``validate``, ``gate``,
    ``checkpoint``, ``fix``): ``--task``, ``--format``, ``--output``, ``--endpoint-url``."""
    p = argparse.ArgumentParser(add_help=False)
    if task:
        p.add_argument("--task", choices=spec.TASKS, default=spec.DEFAULT_TASK, help="default: %(default)s")
    p.add_argument("--format", dest="fmt", choices=formats, default="text", help="default: %(default)s")
    if output:
        p.add_argument("--output", metavar="FILE", help="write the report here instead of stdout")
    p.add_argument("--endpoint-url", help=endpoint_help)
    return p


def escalation_of(args: argparse.Namespace) -> frozenset[str]:
    """The warning codes ``--strict`` / ``--error`` escalate; an unknown code is a usage error."""
    from gx_clova.validation import escalation

    try:
        return escalation(args.strict, args.errors)
    except ValueError as exc:
        raise UsageError(f"{exc} (see gx_clova/codes.py for the catalogue)") from None


def use_color(args: argparse.Namespace) -> bool:
    """Colours for the text format on stdout: an explicit ``--color always|never`` decides;
    ``auto`` colours a terminal unless ``NO_COLOR`` is set."""
    if args.fmt != "text" or args.output or args.color == "never":
        return False
    if args.color == "always":
        return True
    return not os.environ.get("NO_COLOR") and sys.stdout.isatty()
