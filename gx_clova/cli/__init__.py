"""``gx-clova``: the command line. Exit statuses are the contract (docs/cli.md; the table is
:mod:`gx_clova.cli.exits`: 0 passed, 1 failed, 2 usage, 3 unreadable, 4 output not written,
130 interrupted).

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
