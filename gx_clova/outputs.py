"""Where gx-clova writes: never onto an input, never half a file, never through a planted link.

Every report, Data Docs page and ``fix`` output goes through here:

- :func:`refuse_collisions` runs before anything is read: an output path that resolves to a
  source, the evaluation file or another output is a usage error (exit 2), whatever the
  spelling (``./train.csv``, a symlink, a hard link).
- :func:`atomic` writes to a temporary file in the target's folder and renames it into place,
  with the permissions a plain ``open()`` would give (0666 less the umask); an interrupted run
  leaves the old file or the new one, never a mix, and no temporary file on SIGTERM/SIGINT
  (:func:`signals_as_interrupts`).
- :func:`check_docs_dir`: Data Docs go into an empty or new folder, or one gx-clova made
  (it holds :data:`DOCS_MARKER`); a symlink inside it is refused rather than followed.

An output that cannot be written is :class:`OutputError` (exit 4): the dataset was read, the
report could not be delivered.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
from collections.abc import Iterable, Iterator
from typing import IO

from gx_clova.errors import OutputError

#: Temporary files start with this, next to their target.
TEMP_PREFIX = ".gx-clova-tmp-"
#: The file that marks a Data Docs folder as gx-clova's own.
DOCS_MARKER = ".gx-clova-site"


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def file_mode() -> int:
    """0666 less the process umask: what ``open(path, "w")`` would create."""
    with _UMASK_LOCK:
        mask = os.umask(0)
        os.umask(mask)
    return 0o666 & ~mask


_UMASK_LOCK = threading.Lock()


def _resolved(path: str) -> str:
    return os.path.realpath(os.path.abspath(path))


def same_file(a: str, b: str) -> bool:
    """Do ``a`` and ``b`` name one file (after links, ``..``, hard links)?"""
    if "://" in a or "://" in b:
        return a == b
    with contextlib.suppress(OSError):
        return os.path.samefile(a, b)
    return _resolved(a) == _resolved(b)


def _inside(path: str, folder: str) -> bool:
    path, folder = _resolved(path), _resolved(folder)
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def refuse_collisions(inputs: Iterable[tuple[str, str]], outputs: Iterable[tuple[str, str | None]],
                      folders: Iterable[tuple[str, str | None]] = ()) -> None:
    """Raise ValueError when an output (``(option, path)``) is an input or another output, or a
    docs folder (``folders``) would hold an input or an output file."""
    inputs = [(what, path) for what, path in inputs if path]
    named = [(what, path) for what, path in outputs if path]
    folders = [(what, path) for what, path in folders if path]
    for i, (what, path) in enumerate(named):
        for source_what, source in inputs:
            if same_file(path, source):
                raise ValueError(f"{what} {path} is the {source_what}: gx-clova never overwrites its input")
        for other_what, other in named[:i]:
            if same_file(path, other):
                raise ValueError(f"{what} {path} is also {other_what}: give each output its own file")
    for what, folder in folders:
        for other_what, path in inputs + named:
            if "://" not in path and _inside(path, folder):
                raise ValueError(f"{what} {folder} holds the {other_what} {path}: choose a folder of its own")


@contextlib.contextmanager
def atomic(path: str, mode: str = "wb") -> Iterator[IO]:
    """A handle on a temporary file beside ``path``, renamed onto ``path`` when the block ends
    without an exception (removed otherwise). OSError becomes :class:`OutputError`."""
    with staged(path, mode) as (handle, commit):
        yield handle
        handle.close()
        commit()


@contextlib.contextmanager
def staged(path: str, mode: str = "wb") -> Iterator[tuple[IO, callable]]:
    """Like :func:`atomic`, but the caller decides when to ``commit()`` (several files as a set:
    write them all, then commit each). Uncommitted temporary files are removed on the way out."""
    directory = os.path.dirname(os.path.abspath(path)) or "."
    if os.path.isdir(path):
        raise OutputError(path, "it is a directory")
    try:
        os.makedirs(directory, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=directory, prefix=TEMP_PREFIX)
    except OSError as exc:
        raise OutputError(path, _reason(exc)) from None
    done = False

    def commit() -> None:
        nonlocal done
        try:
            os.chmod(temp, file_mode())
            os.replace(temp, path)
        except OSError as exc:
            raise OutputError(path, _reason(exc)) from None
        done = True

    try:
        encoding = None if "b" in mode else "utf-8"
        with os.fdopen(fd, mode, encoding=encoding, **({} if "b" in mode else {"newline": ""})) as handle:
            try:
                yield handle, commit
            except OSError as exc:
                if isinstance(exc, OutputError):
                    raise
                raise OutputError(path, _reason(exc)) from None
    finally:
        if not done:
            with contextlib.suppress(OSError):
                os.unlink(temp)


class OutputSet:
    """Files that must appear together or not at all (``fix``'s fixed file, change log, mapping).

    :meth:`path` gives a temporary path beside each target (its name ends with the target's, so
    the extension still says the format); :meth:`commit` renames them all into place, the first
    one registered last, with SIGTERM and SIGINT held meanwhile; leaving the ``with`` block
    without a commit (an error, Ctrl-C, SIGTERM) removes every temporary file. Only ``kill -9``
    between two renames could separate them, and then the first file registered (the one a
    user looks for) is the one missing.
    """

    def __init__(self) -> None:
        self._pending: list[tuple[str, str]] = []

    def path(self, target: str) -> str:
        if os.path.isdir(target):
            raise OutputError(target, "it is a directory")
        directory = os.path.dirname(os.path.abspath(target)) or "."
        try:
            os.makedirs(directory, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=directory, prefix=TEMP_PREFIX, suffix="-" + os.path.basename(target))
            os.close(fd)
        except OSError as exc:
            raise OutputError(target, _reason(exc)) from None
        self._pending.append((temp, target))
        return temp

    def commit(self) -> None:
        held = {signal.SIGTERM, signal.SIGINT}
        blocked = threading.current_thread() is threading.main_thread()
        if blocked:
            previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
        try:
            mode = file_mode()
            for temp, target in reversed(self._pending):
                try:
                    os.chmod(temp, mode)
                    os.replace(temp, target)
                except OSError as exc:
                    raise OutputError(target, _reason(exc)) from None
                self._pending.remove((temp, target))
        finally:
            if blocked:
                signal.pthread_sigmask(signal.SIG_SETMASK, previous)

    def discard(self) -> None:
        for temp, _ in self._pending:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        self._pending.clear()

    def __enter__(self) -> OutputSet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()


def write_text(path: str, text: str) -> None:
    with atomic(path, "wb") as handle:
        handle.write(text.encode("utf-8"))


def check_docs_dir(path: str) -> None:
    """Raise ValueError unless ``path`` is new, empty or gx-clova's, and holds no symlink;
    OutputError when it is not a folder at all."""
    if os.path.islink(path):
        raise ValueError(f"--docs {path} is a symlink: name the folder itself")
    if not os.path.exists(path):
        return
    if not os.path.isdir(path):
        raise OutputError(path, "--docs needs a folder, and this is a file")
    entries = os.listdir(path)
    if entries and DOCS_MARKER not in entries:
        raise ValueError(f"--docs {path} already holds files gx-clova did not write: "
                         "name an empty or new folder (gx-clova never replaces them)")
    for base, dirs, files in os.walk(path):
        for name in dirs + files:
            full = os.path.join(base, name)
            if os.path.islink(full):
                raise ValueError(f"--docs {path} holds a symlink ({full}): gx-clova does not write through "
                                 "links; remove it or name another folder")


def mark_docs_dir(path: str) -> None:
    """Make ``path`` and leave the marker that says gx-clova owns it."""
    try:
        os.makedirs(path, exist_ok=True)
        marker = os.path.join(path, DOCS_MARKER)
        if not os.path.exists(marker):
            write_text(marker, "Data Docs written by gx-clova; gx-clova may rewrite the files here.\n")
    except OSError as exc:
        raise OutputError(path, _reason(exc)) from None


@contextlib.contextmanager
def signals_as_interrupts() -> Iterator[None]:
    """SIGTERM raises KeyboardInterrupt for the duration (main thread only), so ``finally``
    blocks remove temporary files; the previous handler is restored after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
