"""Unicode helpers for the quality rules: which characters can make text non-normalised.

Normalising every cell to find the few that change costs ~12 ms per MB (utf8proc); a RE2 scan
for the characters that *could* change costs ~1.4 ms per MB. So the rules scan for candidates
first and normalise only the cells that hold one.

A string without any candidate character is already normalised: the Unicode quick-check
algorithm (UAX #15) answers YES for text made only of characters whose quick-check property is
Yes and whose canonical combining class is 0. The candidate set is exactly the complement: every
character with a non-zero combining class, every character the form changes on its own
(quick-check No), and every character that can compose with the one before it (quick-check
Maybe: the second half of a primary composite, and the Hangul vowel and trailing-consonant jamo).
It is derived from :mod:`unicodedata` (~0.1 s of CPU, more than the rules take on an everyday
file), so the ranges are stored in ``gx_clova/data/unicode-candidates.json`` for the Unicode
version they were derived from; another Python's Unicode version derives them afresh.
``python -m gx_clova.rules.unicode`` rewrites the file (a test compares it with the derivation).

>>> candidates_pattern("NFC") is candidates_pattern("NFC")
True
>>> import re, unicodedata
>>> bool(re.search(python_class("NFC"), unicodedata.normalize("NFD", "한")))
True
>>> bool(re.search(python_class("NFC"), "한글 text"))
False
"""

from __future__ import annotations

import functools
import json
import os
import unicodedata

#: Characters outside these planes neither combine nor decompose (planes 3-13 are unassigned or
#: CJK extensions without decompositions; plane 14 holds tags and variation selectors, ccc 0).
_LAST = 0x2FFFF
_HANGUL_V = range(0x1161, 0x1176)
_HANGUL_T = range(0x11A8, 0x11C3)


STORED = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "unicode-candidates.json")
FORMS = ("NFC", "NFKC")


@functools.cache
def _stored() -> dict:
    try:
        with open(STORED, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return {}
    return data if data.get("unidata_version") == unicodedata.unidata_version else {}


@functools.cache
def _candidates(form: str) -> tuple[tuple[int, int], ...]:
    """Code-point ranges of the candidate characters for ``form`` (``NFC`` or ``NFKC``)."""
    stored = _stored().get(form)
    if stored:
        return tuple((a, b) for a, b in stored)
    return derive(form)


def derive(form: str) -> tuple[tuple[int, int], ...]:
    """The candidate ranges, from :mod:`unicodedata` (what the stored file holds)."""
    found: set[int] = set(_HANGUL_V) | set(_HANGUL_T)
    for cp in range(_LAST + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        if unicodedata.combining(ch) or unicodedata.normalize(form, ch) != ch:
            found.add(cp)
        decomposition = unicodedata.decomposition(ch)
        if decomposition and not decomposition.startswith("<"):
            parts = decomposition.split()
            if len(parts) == 2:
                first, second = (chr(int(p, 16)) for p in parts)
                if unicodedata.normalize("NFC", first + second) == ch:
                    found.add(ord(second))  # composes with the character before it
    ranges: list[list[int]] = []
    for cp in sorted(found):
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return tuple((a, b) for a, b in ranges)


def _re2_char(cp: int) -> str:
    return f"\\x{{{cp:x}}}"


@functools.cache
def candidates_pattern(form: str) -> str:
    """A RE2 character class (for ``pyarrow.compute``) of the candidates for ``form``."""
    body = "".join(_re2_char(a) if a == b else f"{_re2_char(a)}-{_re2_char(b)}" for a, b in _candidates(form))
    return f"[{body}]"


@functools.cache
def python_class(form: str) -> str:
    """The same class for Python's :mod:`re` (tests compare the two)."""
    body = "".join(
        f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}" for a, b in _candidates(form)
    )
    return f"[{body}]"


def write() -> str:
    data = {"unidata_version": unicodedata.unidata_version, **{form: derive(form) for form in FORMS}}
    with open(STORED, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
        handle.write("\n")
    return STORED


if __name__ == "__main__":
    print(write())
