"""Run ``gx-clova`` in this process, through the console script's own entry function.

``run_cli(*args)`` calls :func:`gx_clova.cli.main` with stdout and stderr captured and returns what
a subprocess would (``returncode``, ``stdout``, ``stderr``), without starting an interpreter and
importing Great Expectations again for every call (8–30 s each on a loaded 2-core machine).
A few tests still start a real process (tests/test_cli.py): the console script, ``python -m``.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
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


def run_cli(*args: str, cwd: str = ROOT) -> Ran:
    out, err = io.StringIO(), io.StringIO()
    with _working_directory(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(args))
    return Ran(status, out.getvalue(), err.getvalue())
