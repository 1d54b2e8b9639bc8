"""``gx-clova rules``: every rule, from the generated reference (:mod:`gx_clova.reference`)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from gx_clova import reference
from gx_clova.cli.exits import EXIT_PASSED

FORMATS = ("text", "json", "markdown")


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "rules",
        help="list every rule: code, severity, parameters, expectation, kernels",
        description="List every failure code gx-clova reports: its severity, the spec rule it checks, "
        "the expectation and kernel functions that implement it, its parameters and the tasks it applies to.",
    )
    p.add_argument("--format", dest="fmt", choices=FORMATS, default="text", help="default: %(default)s")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    found = reference.rules()
    text = {"text": reference.as_text, "json": reference.as_json, "markdown": reference.as_markdown}[args.fmt](found)
    sys.stdout.write(text)
    sys.stdout.flush()
    return EXIT_PASSED


# -- what is known about each code ----------------------------------------------------------------
