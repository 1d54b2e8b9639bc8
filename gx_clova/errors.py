"""Every error gx-clova reports to a user, one tree; the exit status is a property of the class.

::

    GxClovaError                 3  gx-clova could not finish (base class)
    ├── UsageError               2  bad arguments found after parsing
    │   └── EvalFileError        2  the evaluation file cannot be compared (no Text column)
    ├── SourceError              3  the source could not be read (missing, access denied, unreachable;
    │                               ``gx_clova.memory.NotEnoughMemory``: not enough memory to read it)
    ├── DatasetError             1  the dataset (or what was made of it) does not pass
    ├── OutputError              4  an output could not be written; the message names the path
    └── ServiceError             3  a remote service (CLOVA Studio) failed or refused

The command line (``gx_clova.cli.exits``) maps a class to its exit status and its message
prefix in one place. Every message is shown to the user as is: it must never contain a secret.
This module imports nothing, so every layer may raise these.
"""

from __future__ import annotations

EXIT_PASSED, EXIT_FAILED, EXIT_USAGE, EXIT_UNREADABLE, EXIT_OUTPUT = 0, 1, 2, 3, 4
#: Ctrl-C or SIGTERM: temporary files removed, no output half-written.
EXIT_INTERRUPTED = 130


class GxClovaError(Exception):
    """gx-clova could not finish (exit 3)."""

    exit_status = EXIT_UNREADABLE


class UsageError(GxClovaError):
    """Bad arguments found after parsing (exit 2)."""

    exit_status = EXIT_USAGE


class EvalFileError(UsageError, ValueError):
    """The evaluation file cannot be compared (it has no Text column): a usage error."""


class SourceError(GxClovaError):
    """The source could not be read: missing, access denied, unreachable. Exit status 3."""

    exit_status = EXIT_UNREADABLE


class DatasetError(GxClovaError):
    """The dataset does not pass (exit 1)."""

    exit_status = EXIT_FAILED


class OutputError(GxClovaError):
    """An output could not be written (exit 4). The message names the path and the reason."""

    exit_status = EXIT_OUTPUT

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = path, reason


class ServiceError(GxClovaError):
    """A remote service failed or refused (exit 3 unless a subclass says otherwise)."""

    exit_status = EXIT_UNREADABLE
