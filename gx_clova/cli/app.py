"""The parser and the entry function: one command run, one exit status, one message on error."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from gx_clova import __version__
from gx_clova.cli import core
from gx_clova.cli.exits import outcome, run
from gx_clova.errors import UsageError

#: Commands defined in :mod:`gx_clova.cli.core`: running one of them imports no plugin.
CORE_COMMANDS = core.COMMANDS


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
    core.register(subparsers)
    if command == "gate":
        from gx_clova.cli import gate

        gate.register(subparsers)
    elif command not in CORE_COMMANDS:
        for register in _plugins():
            register(subparsers)
    return parser


def command_of(argv: Sequence[str] | None) -> str | None:
    """The subcommand named on the command line (the first word not starting with ``-``)."""
    words = sys.argv[1:] if argv is None else argv
    return next((w for w in words if not w.startswith("-")), None)


def _plugins() -> list[Callable[[argparse._SubParsersAction], None]]:
    """The other subcommands, each in its own module of this package (submit/status in ``submit``)."""
    from gx_clova.cli import convert, evaluate, fix, gate, init, rules, split, submit, tokens

    return [submit.register, gate.register, init.register, fix.register, convert.register, tokens.register,
            split.register, evaluate.register, rules.register]


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. SIGTERM is handled like Ctrl-C (exit 130, temporary files removed)."""
    from gx_clova.outputs import signals_as_interrupts

    try:
        with signals_as_interrupts():
            return _main(argv)
    except KeyboardInterrupt as exc:  # before or after the command's own handling
        status, message = outcome(exc)
        print(message, file=sys.stderr)
        return status


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser(command_of(argv))
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help/--version exit 0, bad usage exits 2
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        parser.print_usage(sys.stderr)
        status, message = outcome(UsageError("a command is required (try: gx-clova validate FILE)"))
        print(message, file=sys.stderr)
        return status
    return run(args)  # an error ends the command in cli.exits: its status and its one message
