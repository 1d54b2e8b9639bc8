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
API_URL_HELP = "CLOVA Studio API base URL (default: CLOVASTUDIO_API_URL or the public host)"
#: How a command authenticates to CLOVA Studio: ``gx_clova.submitter.auth.AUTH_MODES``, here so
#: parsing imports no client (tests/test_cli_options.py keeps the two equal).
AUTH_MODES = ("bearer", "apigw")


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


def extend(parser: argparse.ArgumentParser, *parents: argparse.ArgumentParser) -> None:
    """Add the ``parents``' options to ``parser`` here, after the ones it has: where its help and
    the CLI reference list them (``parents=`` would put them before the command's own)."""
    for parent in parents:
        parser._add_container_actions(parent)


def studio_options(auth_help: str) -> argparse.ArgumentParser:
    """``--api-url`` and ``--auth``: the commands that call CLOVA Studio (``submit``, ``status``,
    ``tokens``, ``evaluate``), each with its own words for ``--auth``'s default."""
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--api-url", help=API_URL_HELP)
    p.add_argument("--auth", choices=AUTH_MODES, help=auth_help)
    return p


def result_format(help_text: str, dest: str = "format") -> argparse.ArgumentParser:
    """``--format text|json`` of a command that prints a result or a summary (``convert``, ``tokens``,
    ``split``, ``submit``, ``status``); with ``json``, a named command's error is JSON too (cli.exits)."""
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--format", dest=dest, choices=("text", "json"), default="text", help=help_text)
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
