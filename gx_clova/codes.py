"""The failure-code catalogue: every code gx-clova can report, by name.

The entries are declared with the rules that report them, in the rule registry
(:mod:`gx_clova.registry`). Codes are public API (tests, CI gates and the submitter's
``failureReason`` map key on them); requirement sentences are prose built from
:mod:`gx_clova.spec`, so a limit and its text cannot drift apart. Each entry also holds the code's
title and its findings' message template (:func:`gx_clova.registry.message` fills it in).

>>> CATALOGUE["row.too-long"].severity
'error'
>>> CATALOGUE["row.too-long"].title
'Row too long'
>>> CATALOGUE["row.too-long"].requirement
'len(Text) + len(Completion) is at most 8,000 characters (spaces count)'
"""

from __future__ import annotations

from gx_clova.registry import ERROR, RULES, SEVERITIES, WARNING, Code

__all__ = ["CATALOGUE", "ERROR", "GX_PREFIX", "SEVERITIES", "WARNING", "Code", "order_key"]

#: Every code, in catalogue order: the rules' codes, in the registry's order.
_ENTRIES: tuple[Code, ...] = tuple(entry for rule in RULES for entry in rule.catalogue)

#: A failing expectation that is not gx-clova's (one of GX's built-in expectations a user added
#: to a suite) is reported under ``gx.<its type>``, e.g. ``gx.expect_column_values_to_not_be_null``.
GX_PREFIX = "gx."


class _Catalogue(dict):
    """gx-clova's codes by name; ``gx.<expectation type>`` is looked up as a GX expectation's code
    (an error: GX's ``success`` is false when it fails), though it is not listed."""

    def __missing__(self, code: str) -> Code:
        if isinstance(code, str) and code.startswith(GX_PREFIX) and len(code) > len(GX_PREFIX):
            kind = code[len(GX_PREFIX):]
            return Code(code, ERROR, "GX", f"the Great Expectations expectation {kind} holds", "GX", title=kind)
        raise KeyError(code)

    def knows(self, code: str) -> bool:
        try:
            self[code]
        except KeyError:
            return False
        return True


#: Every code, by name.
CATALOGUE: _Catalogue = _Catalogue((entry.code, entry) for entry in _ENTRIES)
_ORDER = {code: i for i, code in enumerate(CATALOGUE)}


def order_key(code: str) -> tuple[int, str]:
    """Catalogue order; GX expectations' codes after gx-clova's, by name."""
    return (_ORDER.get(code, len(_ORDER)), code)

assert len(CATALOGUE) == len(_ENTRIES), "duplicate code in the catalogue"
