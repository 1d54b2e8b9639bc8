"""Run ``gx-clova`` in this process, through the console script's own entry function.

``run_cli(*args)`` calls :func:`gx_clova.cli.main` with stdout and stderr captured and returns what
a subprocess would (``returncode``, ``stdout``, ``stderr``), without starting an interpreter and
importing Great Expectations again for every call (8–30 s each on a loaded 2-core machine).
A few tests still start a real process (tests/test_cli.py): the console script, ``python -m``.

The one runner of the suite: the ``cli`` fixture (tests/conftest.py) is ``run_cli`` in the test's
working directory; the submitter's tests pass ``entry`` (``submit|status`` with a stand-in
validator).
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from gx_clova.cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


@contextlib.contextmanager
def _working_directory(path: str) -> Iterator[None]:
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def run_cli(*args: object, cwd: str | None = ROOT, entry: Callable[[Sequence[str]], int] = main) -> Ran:
    """``gx-clova ARGS`` (every argument as ``str``), in ``cwd`` (None: where the test is)."""
    out, err = io.StringIO(), io.StringIO()
    where = _working_directory(cwd) if cwd is not None else contextlib.nullcontext()
    with where, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = entry([str(a) for a in args])
    return Ran(status, out.getvalue(), err.getvalue())
