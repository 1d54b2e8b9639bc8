"""Progress on stderr, one ``tqdm`` bar per phase that lasts: reading, importing Great
Expectations, the rules, Data Docs, streaming.

A bar appears only once its phase has run for :data:`DELAY` seconds, so an everyday file shows
nothing; reading and streaming show bytes, rate and ETA, the rules show how many are done, and
phases without a measure (importing GX, a GX checkpoint) show the time spent. ``--progress``:
``auto`` shows bars when stderr is a terminal, ``always`` also when it is not, ``never`` never.
tqdm is imported only when bars can be shown (it comes with Great Expectations, not through it).

>>> phases = Phases("never")
>>> with phases.phase("reading x.csv", total=10, unit="B") as tick:
...     tick(10)
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import threading
from collections.abc import Callable, Iterator
from typing import TextIO

MODES = ("auto", "always", "never")
#: Seconds a phase runs before its bar is shown.
DELAY = 2.0
#: Seconds between redraws of a bar whose phase reports no progress of its own.
TICK = 0.5

Tick = Callable[[int], None]


def both_ticks(first: Callable[[int], None] | None, second: Callable[[int], None]) -> Callable[[int], None]:
    """One byte counter that feeds two: the caller's ``progress`` (if any) and a phase's tick."""
    if first is None:
        return second

    def both(nbytes: int) -> None:
        first(nbytes)
        second(nbytes)

    return both


def _ignore(n: int = 0) -> None:
    return None


class Phases:
    """The bars of one run. ``phase()`` is a context manager yielding ``tick(n)``."""

    def __init__(self, mode: str = "never", stream: TextIO | None = None, delay: float | None = None) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown progress mode {mode!r}; choose one of {', '.join(MODES)}")
        self.stream = stream if stream is not None else sys.stderr
        self.delay = DELAY if delay is None else delay
        self.enabled = mode == "always" or (mode == "auto" and _is_terminal(self.stream))

    @contextlib.contextmanager
    def phase(self, label: str, total: int | None = None, unit: str = "") -> Iterator[Tick]:
        """A bar for ``label``; ``total`` in ``unit`` (``B`` for bytes: scaled, with rate and ETA).

        Without ``total`` the bar shows the elapsed time (and a count if ``tick`` is called).
        """
        if not self.enabled:
            yield _ignore
            return
        from tqdm import tqdm

        bar = tqdm(total=total or None, desc=label, unit=unit or "it", unit_scale=unit == "B",
                   unit_divisor=1024 if unit == "B" else 1000, file=self.stream, delay=self.delay,
                   leave=False, ncols=_size().columns, nrows=_size().lines, mininterval=TICK, smoothing=0.1,
                   bar_format=None if total else "{desc}: {elapsed}" + (" {n_fmt} {unit}" if unit else ""))
        stop = threading.Event()
        ticker = threading.Thread(target=_redraw, args=(bar, stop, self.delay), daemon=True,
                                  name="gx-clova-progress")
        ticker.start()
        try:
            yield bar.update
        finally:
            stop.set()
            ticker.join()
            bar.close()


def _redraw(bar, stop: threading.Event, delay: float) -> None:
    """Keep a bar moving (elapsed time, rate) while its phase reports nothing, once shown."""
    if stop.wait(delay):
        return
    while not stop.is_set():
        bar.refresh()
        stop.wait(TICK)


def printable(name: str) -> str:
    """A file name fit for a terminal line: non-printable characters (escape sequences, line
    breaks) written as Python escapes, never sent to the terminal."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in name)


def _size() -> os.terminal_size:
    """The terminal's size; 80 x 24 where it reports none (a pseudo-terminal without a size,
    where tqdm would take -1 lines and hide every bar)."""
    size = shutil.get_terminal_size((80, 24))
    return os.terminal_size((size.columns if size.columns > 0 else 80, size.lines if size.lines > 0 else 24))


def _is_terminal(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


#: No bars (library use, tests): every phase is a no-op.
SILENT = Phases("never")
