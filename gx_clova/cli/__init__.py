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

The package: :mod:`~gx_clova.cli.app` (parser, entry function), :mod:`~gx_clova.cli.exits` (the
exit statuses and the one error → status table), :mod:`~gx_clova.cli.options` (the shared parent
parsers), :mod:`~gx_clova.cli.emit` (where text goes), :mod:`~gx_clova.cli.core` (validate,
suites, checkpoint, demo), :mod:`~gx_clova.cli.gate`, :mod:`~gx_clova.cli.init`. A subcommand
module elsewhere imports only these leaves, never :mod:`~gx_clova.cli.app`.
"""

from __future__ import annotations

from gx_clova.cli.app import build_parser, main

__all__ = ["build_parser", "main"]
