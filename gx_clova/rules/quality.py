"""Quality warnings beyond the guide: problems that make tuning fail quietly.

Each is a warning (the file is still accepted by CLOVA Studio); ``--strict`` or ``--error CODE``
turns any of them into an error. Every failing line is reported.

``duplicate.row`` fails: a row whose System_Prompt, Text and Completion, and every turn before
it in its conversation, equal an earlier row's (the later row is reported, naming the earlier).
Passes: the same follow-up ("고마워요" → "천만에요") in two conversations that differ before it.

``label.conflict`` fails: rows with the same input (System_Prompt, earlier turns, Text) and
different Completions; every row of such a group is reported, since only a person can say
which answer is right. Passes: the same Text with the same Completion (that is a duplicate).

``text.not-nfc``, ``text.replacement-char``, ``text.control-char``, ``pii.resident-number``,
``pii.phone-number``, ``pii.email`` fail per cell of System_Prompt, Text and Completion:
decomposed Hangul (``"한"`` as three jamo), U+FFFD, C0/C1 controls other than tab and line
breaks or zero-width characters, ``900101-1234567``, ``010-1234-5678``, ``a@b.co``.
Passes: ``"한글, 탭\\t과 줄바꿈\\n"``. Matched personal data never appears in a message: it is
masked (``010-****-5678``).

Cost: one RE2 pass per column for every character and pattern together (about 1.4 ms per MB
of text); only the cells it flags (usually none) are examined in Python with the exact
patterns from :mod:`gx_clova.spec`. System_Prompt is scanned once per distinct value.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from gx_clova import spec
from gx_clova.findings import Finding
from gx_clova.registry import message
from gx_clova.rules import DETAIL_LIMIT, column, conversations, lines_of
from gx_clova.rules.unicode import candidates_pattern

TEXT_COLUMNS: tuple[str, ...] = (spec.SYSTEM_PROMPT, spec.TEXT, spec.COMPLETION)

_RRN = re.compile(spec.RRN_PATTERN)
_PHONE = re.compile(spec.PHONE_PATTERN)
_EMAIL = re.compile(spec.EMAIL_PATTERN)
_CONTROL = re.compile(spec.CONTROL_PATTERN)
_AREA = re.compile(r"01[016789]|02|0[3-6][1-5]")


def _re2_class_body(python_class: str) -> str:
    """``[\\x00-\\x08\\u200b]`` (Python) → ``\\x00-\\x08\\x{200b}`` (RE2, without brackets)."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", r"\\x{\1}", python_class[1:-1])


def prefilter() -> str:
    """One RE2 pattern that every flagged cell matches (a superset; Python decides exactly).

    Python's ``\\d`` is any Unicode decimal digit, hence ``\\p{Nd}``; the phone and resident
    number patterns both contain three digits, an optional separator and four digits.
    """
    chars = _re2_class_body(spec.CONTROL_PATTERN) + r"\x{fffd}@" + candidates_pattern(spec.NORMAL_FORM)[1:-1]
    return f"[{chars}]|\\p{{Nd}}{{3}}[-. ]?\\p{{Nd}}{{4}}"


# -- masking: personal data is described, never repeated -----------------------------------------
def mask_phone(number: str) -> str:
    """``010-1234-5678`` → ``010-****-5678``: the area code and last four digits stay."""
    area = _AREA.match(number)
    keep_head = area.end() if area else 0
    middle = re.sub(r"\d", "*", number[keep_head:-4])
    return number[:keep_head] + middle + number[-4:]


def mask_resident_number(number: str) -> str:
    """``900101-1234567`` → ``******-*******``: nothing of it is shown."""
    return re.sub(r"\d", "*", number)


def mask_email(address: str) -> str:
    """``hong.gildong@example.com`` → ``h***@example.com``."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"


_PII: tuple[tuple[str, re.Pattern, Callable[[str], str], str], ...] = (
    ("pii.resident-number", _RRN, mask_resident_number, "a resident registration number"),
    ("pii.phone-number", _PHONE, mask_phone, "a phone number"),
    ("pii.email", _EMAIL, mask_email, "an e-mail address"),
)


def mask_personal_data(text: str) -> str:
    """``text`` with every resident number, phone number and e-mail address masked.

    Anything that shows dataset text to a person (Data Docs excerpts, report details) goes
    through this, so personal data found by the pii.* rules is never repeated in full.
    """
    for _, pattern, mask, _ in _PII:
        text = pattern.sub(lambda match: mask(match.group(0)), text)
    return text


def _char_name(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'control character')}"


def inspect(cell: str) -> dict[str, str]:
    """Every quality code ``cell`` fails, each with a short description safe to show."""
    found: dict[str, str] = {}
    if not unicodedata.is_normalized(spec.NORMAL_FORM, cell):
        composed = unicodedata.normalize(spec.NORMAL_FORM, cell)
        found["text.not-nfc"] = f"is not {spec.NORMAL_FORM} ({len(cell):,} characters, {len(composed):,} in NFC)"
    if spec.REPLACEMENT_CHAR in cell:
        found["text.replacement-char"] = f"holds U+FFFD {cell.count(spec.REPLACEMENT_CHAR):,} time(s)"
    controls = _CONTROL.findall(cell)
    if controls:
        kinds = sorted(set(controls), key=controls.index)
        more = f" and {len(kinds) - 3} more kind(s)" if len(kinds) > 3 else ""
        found["text.control-char"] = "holds " + ", ".join(_char_name(c) for c in kinds[:3]) + more
    for code, pattern, mask, what in _PII:
        matches = pattern.findall(cell)
        if matches:
            more = f" (+{len(matches) - 1} more)" if len(matches) > 1 else ""
            found[code] = f"holds {what}: {mask(matches[0])}{more}"
    return found


def prefilter_mask(values: pa.Array | pa.ChunkedArray) -> pa.BooleanArray | pa.ChunkedArray:
    """Which cells :func:`prefilter` flags (a null cell is not flagged)."""
    return pc.fill_null(pc.match_substring_regex(values, prefilter()), False)


def _flagged(values: pa.ChunkedArray, by_value: bool) -> tuple[np.ndarray, list[str | None]]:
    """Rows the prefilter flags and their cells; ``by_value`` scans distinct values once."""
    if by_value:
        encoded = pc.dictionary_encode(values).combine_chunks()
        hit = prefilter_mask(encoded.dictionary).to_numpy(zero_copy_only=False)
        indices = encoded.indices
        valid = ~indices.is_null().to_numpy(zero_copy_only=False)
        codes = pc.fill_null(indices, 0).to_numpy(zero_copy_only=False)
        rows = np.flatnonzero(valid & hit[codes]) if len(hit) else np.zeros(0, dtype=np.int64)
        dictionary = encoded.dictionary.to_pylist()
        return rows, [dictionary[c] for c in codes[rows]]
    mask = prefilter_mask(values).to_numpy(zero_copy_only=False)
    rows = np.flatnonzero(mask)
    return rows, (pc.filter(values, pa.array(mask)).to_pylist() if len(rows) else [])


#: The codes of the text scan, in the order its findings come (their messages: the catalogue's).
TEXT_CODES: tuple[str, ...] = ("text.not-nfc", "text.replacement-char", "text.control-char",
                               "pii.resident-number", "pii.phone-number", "pii.email")


def check_text(table: pa.Table) -> list[Finding]:
    """NFC, U+FFFD, control characters and personal data in every text cell."""
    if table.num_rows == 0:
        return []
    lines = lines_of(table)
    flagged = []
    for name in TEXT_COLUMNS:
        values = column(table, name)
        if values is not None:
            rows, cells = _flagged(values, by_value=name == spec.SYSTEM_PROMPT)
            flagged.append((name, lines[rows].tolist(), cells))
    return _text_findings(flagged)


def _text_findings(flagged: list[tuple[str, list[int], list[str | None]]]) -> list[Finding]:
    """Findings from the prefilter's flagged cells: ``(column, lines, cells)`` per text column."""
    hits: dict[str, dict[int, list[str]]] = {code: {} for code in TEXT_CODES}
    for name, where, cells in flagged:
        seen: dict[str, dict[str, str]] = {}
        for line, cell in zip(where, cells):
            if cell is None:
                continue
            found = seen.get(cell)
            if found is None:
                found = seen[cell] = inspect(cell)
            for code, description in found.items():
                hits[code].setdefault(int(line), []).append(f"{name} {description}")
    findings = []
    for code, by_line in hits.items():
        if not by_line:
            continue
        where = sorted(by_line)
        problems = [f"line {line}: " + "; ".join(by_line[line]) for line in where[:DETAIL_LIMIT]]
        findings.append(Finding(code, message(code, rows=len(where), first=problems[0]), where,
                                details={"problems": problems}))
    return findings


def check_duplicates(table: pa.Table) -> list[Finding]:
    """``duplicate.row`` and ``label.conflict``, conversation-aware (see the module docstring)."""
    rows = table.num_rows
    if rows == 0 or column(table, spec.TEXT) is None:
        return []
    lines = lines_of(table)
    _, depth = conversations.runs(table)
    asked, content = conversations.input_codes(table)
    prefix = conversations.prefix_ids(table, content, depth)
    first = conversations.first_of(prefix)
    repeated = np.flatnonzero(first != np.arange(rows))
    groups = sorted(_conflicts(asked, content, prefix, depth), key=lambda g: g[0])
    return _duplicate_findings(
        [(int(lines[i]), int(lines[first[i]]), int(depth[i])) for i in repeated.tolist()],
        [([int(lines[i]) for i in group], len(set(content[group].tolist()))) for group in groups],
    )


def _duplicate_findings(repeated: list[tuple[int, int, int]], groups: list[tuple[list[int], int]]) -> list[Finding]:
    """Findings from the repeated rows ``(line, first line, turn)`` in line order and the conflict
    groups ``(lines, distinct Completions)`` ordered by their first line."""
    findings = []
    if repeated:
        problems = [
            f"line {line} repeats line {first}" + (f" (turn {depth}, with the same turns before it)" if depth else "")
            for line, first, depth in repeated[:DETAIL_LIMIT]
        ]
        findings.append(Finding(
            "duplicate.row",
            message("duplicate.row", rows=len(repeated), first=problems[0]),
            [line for line, _, _ in repeated],
            details={"problems": problems},
        ))
    if groups:
        where = sorted(line for group, _ in groups for line in group)
        problems = [
            "lines " + ", ".join(str(line) for line in group[:10]) + (" …" if len(group) > 10 else "")
            + f": the same input gets {answers} different {spec.COMPLETION}s"
            for group, answers in groups[:DETAIL_LIMIT]
        ]
        findings.append(Finding(
            "label.conflict",
            message("label.conflict", rows=len(where), groups=len(groups), first=problems[0]),
            where,
            details={"problems": problems, "groups": len(groups)},
        ))
    return findings


def _conflicts(asked: np.ndarray, content: np.ndarray, prefix: np.ndarray, depth: np.ndarray) -> list[list[int]]:
    """Row groups with one input and more than one distinct content (hence Completion)."""
    rows = len(asked)
    previous = np.where(depth > 0, prefix[np.maximum(np.arange(rows) - 1, 0)], -2)
    live = np.flatnonzero((depth == 0) | (previous >= 0))
    if not len(live):
        return []
    key = previous[live] * (int(asked.max()) + 1) + asked[live] + 2 * (int(asked.max()) + 1)
    _, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    inverse = inverse.reshape(-1)
    in_group = counts[inverse] > 1
    live, inverse = live[in_group], inverse[in_group]
    if not len(live):
        return []
    order = np.lexsort((live, inverse))
    live, inverse = live[order], inverse[order]
    bounds = np.flatnonzero(np.r_[True, inverse[1:] != inverse[:-1], True])
    out = []
    for start, end in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        group = live[start:end]
        if len(np.unique(content[group])) > 1:
            out.append(group.tolist())
    return out
