"""Records the reader could not turn into a row, recovered as the text (or bytes) they were.

The reader names the line every record starts on: rows, blank rows and records that do not
parse. Together they partition the file, so a record spans from its first line to the line
before the next record starts. That is how ``fix`` gets back, verbatim, a record it must keep
but cannot repair (one with a wrong cell count, a line that is not JSON, bytes that decode in no
encoding), instead of losing it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from gx_clova.fix.decode import physical_lines

Piece = str | bytes


@dataclass
class RawRecord:
    line: int
    #: The record's lines as they were: text, or original bytes for a line no encoding decodes.
    pieces: list[Piece] = field(default_factory=list)
    #: The failure code that keeps it from being a row (``file.format``, ``file.encoding``).
    code: str = "file.format"

    def text(self) -> str:
        """For people and JSON: undecodable bytes shown as ``\\x`` escapes."""
        return "".join(p if isinstance(p, str) else p.decode("utf-8", "backslashreplace") for p in self.pieces)

    def lines(self) -> int:
        text = self.text()
        ends = text.count("\n") + text.count("\r") - text.count("\r\n")
        return max(1, ends + (0 if text.endswith(("\n", "\r")) else 1))


def spans(starts: list[int], first_line: int, last_line: int) -> dict[int, int]:
    """Start line → last line of every record, given every record's start line."""
    ordered = sorted(set(s for s in starts if s >= first_line))
    out = {}
    for i, start in enumerate(ordered):
        out[start] = (ordered[i + 1] - 1) if i + 1 < len(ordered) else max(start, last_line)
    return out


def touching(row_starts: np.ndarray, ends: np.ndarray, bad_lines: list[int]) -> np.ndarray:
    """Rows (by start and end line) with at least one of ``bad_lines`` inside them."""
    if not bad_lines or not len(row_starts):
        return np.zeros(len(row_starts), dtype=bool)
    bad = np.array(sorted(bad_lines), dtype=np.int64)
    at = np.searchsorted(bad, row_starts)
    inside = at < len(bad)
    inside[inside] = bad[at[inside]] <= ends[inside]
    return inside


def read_raw(path: str, wanted: dict[int, int], bad_lines: dict[int, bytes], codes: dict[int, str]) -> dict[int, RawRecord]:
    """The records starting at the keys of ``wanted`` (start → last line), from the UTF-8 copy."""
    if not wanted:
        return {}
    records = {start: RawRecord(start, code=codes.get(start, "file.format")) for start in wanted}
    owner: dict[int, int] = {}
    for start, end in wanted.items():
        for number in range(start, end + 1):
            owner[number] = start
    last = max(wanted.values())
    with open(path, "rb") as handle:
        for number, line in enumerate(physical_lines(handle), start=1):
            if number > last:
                break
            start = owner.get(number)
            if start is None:
                continue
            if number in bad_lines:
                records[start].pieces.append(bad_lines[number])
            else:
                text = line.decode("utf-8")
                records[start].pieces.append(text.removeprefix("\ufeff") if number == 1 else text)
    return records
