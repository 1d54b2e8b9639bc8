"""The exit statuses (docs/cli.md) and the one table that maps an error to its status and message.

0  the dataset passed (warnings allowed)
1  the dataset failed
2  usage error
3  the source could not be read (missing file, access denied, not a regular file, storage
   unreachable, not enough memory to read it), or gx-clova itself could not finish
4  an output could not be written (--output, --junit, --sarif, --docs, fix's files): the
   message names the path and the reason; the verdict was not delivered
130 interrupted (Ctrl-C or SIGTERM): temporary files removed, no output half-written
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass

from gx_clova import memory
from gx_clova.errors import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OUTPUT,
    EXIT_PASSED,
    EXIT_UNREADABLE,
    EXIT_USAGE,
    DatasetError,
    GxClovaError,
    OutputError,
    SourceError,
    UsageError,
)
from gx_clova.split import SplitRefused

__all__ = ["EXIT_FAILED", "EXIT_INTERRUPTED", "EXIT_OUTPUT", "EXIT_PASSED", "EXIT_UNREADABLE", "EXIT_USAGE",
           "MEANINGS", "NAMED", "UNEXPECTED", "Failure", "failure", "outcome", "run", "verdict"]

#: What each exit status means, for every command (``docs/cli.md``).
MEANINGS = (
    (EXIT_PASSED, "the dataset passed (warnings allowed); for other commands, the command did what was asked"),
    (EXIT_FAILED, "the dataset failed (at least one error); `gate`: at least one dataset failed"),
    (EXIT_USAGE, "usage error: bad arguments or options (nothing was read or written)"),
    (EXIT_UNREADABLE, "the source could not be read (missing file, access denied, storage unreachable), "
     "or gx-clova itself could not finish; `gate`: at least one dataset could not be read (wins over 1)"),
    (EXIT_OUTPUT, "an output (report, Data Docs, fixed file) could not be written"),
    (EXIT_INTERRUPTED, "interrupted (Ctrl-C)"),
)

#: The start of the message for an error gx-clova did not foresee (GX_CLOVA_DEBUG adds its traceback).
UNEXPECTED = "gx-clova: could not finish: "

#: Error class → what the user reads before the message; the first match wins (subclasses first).
PREFIXES: tuple[tuple[type[BaseException], str], ...] = (
    (UsageError, "gx-clova: error: "),
    (memory.NotEnoughMemory, "gx-clova: out of memory: "),
    (SourceError, "gx-clova: cannot read the source: "),
    (OutputError, "gx-clova: cannot write "),
    (SplitRefused, "gx-clova split: refused: "),
    # A verdict, not a breakdown: the message says what failed (``fix``: "cannot fix SOURCE: …").
    (DatasetError, "gx-clova: "),
    (KeyboardInterrupt, ""),
)

#: Commands whose every error names the command, ``gx-clova submit: error: MESSAGE``, and, with
#: ``--format json``, is also one JSON document on stdout, ``{"error": MESSAGE, "exit_status": N}``,
#: for the programs that drive them (the commands that talk to CLOVA Studio, and ``convert``).
NAMED = frozenset({"submit", "status", "tokens", "evaluate", "convert"})


def verdict(success: bool) -> int:
    """A report's exit status."""
    return EXIT_PASSED if success else EXIT_FAILED


@dataclass(frozen=True)
class Failure:
    """How an error ends a command: its exit status, the line on stderr and, for a command in
    :data:`NAMED` run with ``--format json``, the JSON document on stdout."""

    status: int
    message: str
    document: str | None = None


def failure(exc: BaseException, command: str | None = None, fmt: str | None = None) -> Failure:
    """The one mapping from an error to what the user sees, for every command. Messages are
    redacted here; the caller escapes them for the terminal."""
    from gx_clova.redact import redact

    if command not in NAMED:
        status, message = outcome(exc)
        return Failure(status, redact(message))
    status, text = _named(exc)
    text = redact(text)
    document = json.dumps({"error": text, "exit_status": status}, ensure_ascii=False) if fmt == "json" else None
    return Failure(status, f"gx-clova {command}: error: {text}", document)


def run(args: argparse.Namespace) -> int:
    """Run the parsed command ``args.func``; an error ends it here, with the status and message of
    :func:`failure` (never a traceback; ``GX_CLOVA_DEBUG`` adds it for an error not foreseen)."""
    from gx_clova.escape import for_terminal

    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return int(func(args))
    except (Exception, KeyboardInterrupt) as exc:  # the promise: never a traceback
        fmt = getattr(args, "format", None) or getattr(args, "fmt", None)
        shown = failure(exc, getattr(args, "command", None), fmt)
        print(for_terminal(shown.message), file=sys.stderr, flush=True)
        if shown.document is not None:
            print(shown.document, flush=True)
        if os.environ.get("GX_CLOVA_DEBUG") and outcome(exc)[1].startswith(UNEXPECTED):
            import traceback

            traceback.print_exc()
        return shown.status


def _named(exc: BaseException) -> tuple[int, str]:
    """Status and text (without the command's prefix) for a command in :data:`NAMED`."""
    if isinstance(exc, KeyboardInterrupt):
        return EXIT_INTERRUPTED, "interrupted"
    if isinstance(exc, OutputError):
        return exc.exit_status, f"cannot write {exc}"
    if isinstance(exc, GxClovaError):
        return exc.exit_status, str(exc)
    if memory.is_out_of_memory(exc):
        return EXIT_UNREADABLE, memory.OUT_OF_MEMORY.removeprefix("gx-clova: ")
    return EXIT_UNREADABLE, f"unexpected {type(exc).__name__}: {exc}"


def outcome(exc: BaseException) -> tuple[int, str]:
    """The exit status and the one message (``gx-clova: …``) for an error that ended a command
    not in :data:`NAMED`."""
    if isinstance(exc, KeyboardInterrupt):
        return EXIT_INTERRUPTED, "gx-clova: interrupted"
    for kind, prefix in PREFIXES:
        if isinstance(exc, kind):
            return exc.exit_status, f"{prefix}{exc}"
    if isinstance(exc, GxClovaError):
        return exc.exit_status, f"{UNEXPECTED}{type(exc).__name__}: {exc}"
    if memory.is_out_of_memory(exc):
        return EXIT_UNREADABLE, memory.OUT_OF_MEMORY
    return EXIT_UNREADABLE, f"{UNEXPECTED}{type(exc).__name__}: {exc}"
