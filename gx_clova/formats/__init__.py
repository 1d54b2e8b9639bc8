"""Every report format in one place, one writer each: text (people), json (programs), junit (any
CI), sarif (code scanning, SARIF 2.1.0), github (pull-request annotations). No GX import.

Each writer module has ``write(reports, unreadable=None, color=False) -> str``. ``unreadable``
is ``None`` for one dataset's report (``validate``, ``checkpoint``); a list of ``(path, reason)``
for a gate over several datasets, some of which could not be read. ``evaluation`` writes the
other report gx-clova makes, ``gx-clova evaluate``'s, as text, JSON or JUnit.
"""

from __future__ import annotations

from collections.abc import Sequence

from gx_clova.formats import github, json, junit, sarif, text
from gx_clova.formats.common import Unreadable
from gx_clova.report import Report

#: Report formats: people, programs, CI systems (JUnit, SARIF 2.1.0, GitHub annotations).
FORMATS = ("text", "json", "junit", "sarif", "github")
WRITERS = {"text": text, "json": json, "junit": junit, "sarif": sarif, "github": github}


def render(report: Report, fmt: str, color: bool = False) -> str:
    """One dataset's report in ``fmt``."""
    return WRITERS[fmt].write([report], None, color=color)


def render_gate(reports: Sequence[Report], unreadable: Sequence[Unreadable], fmt: str, color: bool = False) -> str:
    """Several datasets' reports, and those that could not be read, in ``fmt``."""
    return WRITERS[fmt].write(reports, list(unreadable), color=color)
