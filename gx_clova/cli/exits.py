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

from gx_clova import memory
from gx_clova.errors import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OUTPUT,
    EXIT_PASSED,
    EXIT_UNREADABLE,
    EXIT_USAGE,
    GxClovaError,
    OutputError,
    SourceError,
    UsageError,
)

__all__ = ["EXIT_FAILED", "EXIT_INTERRUPTED", "EXIT_OUTPUT", "EXIT_PASSED", "EXIT_UNREADABLE", "EXIT_USAGE",
           "MEANINGS", "UNEXPECTED", "outcome", "verdict"]

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
    (KeyboardInterrupt, ""),
)


def verdict(success: bool) -> int:
    """A report's exit status."""
    return EXIT_PASSED if success else EXIT_FAILED


def outcome(exc: BaseException) -> tuple[int, str]:
    """The exit status and the one message for an error that ended a command."""
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
