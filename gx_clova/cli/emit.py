"""Where a command's text goes, and the checks on its outputs before anything is read."""

from __future__ import annotations

import sys

from gx_clova import outputs
from gx_clova.errors import UsageError


def emit(text: str, output: str | None) -> None:
    """``text`` to ``output`` (atomically: the old file or the new one, never half) or stdout."""
    if output:
        outputs.write_text(output, text)
        return
    sys.stdout.write(text)
    sys.stdout.flush()


def check_outputs(inputs: list[tuple[str, str | None]], outputs_: list[tuple[str, str | None]],
                  docs: str | None = None) -> None:
    """Before anything is read: no output onto an input or onto another output (exit 2), a
    --docs folder that is new, empty or gx-clova's and holds no symlink (exit 2; a file: exit 4)."""
    try:
        outputs.refuse_collisions(inputs, outputs_, [("--docs", docs)])
        if docs:
            outputs.check_docs_dir(docs)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if docs:
        outputs.mark_docs_dir(docs)
