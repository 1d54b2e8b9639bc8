"""Re-encode a source that is not UTF-8 into a UTF-8 working copy, line for line.

Every physical line keeps its number and its line terminator, so the reader's line numbers on
the copy are the source's. Each line is decoded on its own: as UTF-8 when it is valid UTF-8
(text in another encoding almost never is), otherwise with the legacy encoding detected on the
lines that are not UTF-8 (cp949/euc-kr for Korean Excel exports). That also repairs the common
mixed file - UTF-8 rows with a few cp949 rows pasted in. UTF-16/32 files are decoded whole.

A line that decodes in neither is *not* guessed at. Its bytes are carried through unchanged: in
the working copy each byte that is not UTF-8 becomes one private-use character (U+10FF80 +
byte - 0x80, plane 16, which text data does not use), so the row still parses, is renumbered
and is checked like any other; the writer turns those characters back into the original bytes.
The fixed file then still fails ``file.encoding`` on exactly those lines (never a U+FFFD).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import BinaryIO, Iterator

from gx_clova.fix.changes import Change
from gx_clova.reading.encoding import SAMPLE_BYTES, from_bom, guess_lines

UTF8_LABELS = ("utf-8", "utf-8 (BOM)")
_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
_TEXT_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


@dataclass
class Decoded:
    #: A UTF-8 file with the source's lines (the source itself when it already was UTF-8).
    path: str
    #: What the source was: ``utf-8``, ``cp949``, ``utf-16-le (BOM)``, ``utf-8 + cp949`` …
    encoding: str
    changes: list[Change] = field(default_factory=list)
    #: Lines no encoding decodes, with their original bytes.
    bad_lines: dict[int, bytes] = field(default_factory=dict)
    #: The source's first line terminator, kept for the fixed file.
    newline: str = "\n"


#: Undecodable byte b (0x80-0xFF) ↔ chr(CARRIED + b): U+10FF80 … U+10FFFF.
CARRIED = 0x10FF00
_TO_CARRIED = {0xDC00 + b: CARRIED + b for b in range(0x80, 0x100)}
_FROM_CARRIED = {CARRIED + b: 0xDC00 + b for b in range(0x80, 0x100)}


class CannotFix(Exception):
    """The whole file is beyond repair (a UTF-16 file whose bytes do not decode): nothing written."""


def carry(line: bytes) -> str:
    """A line that decodes in no encoding, as text: UTF-8 where it is, private-use characters
    for the bytes that are not."""
    return line.decode("utf-8", "surrogateescape").translate(_TO_CARRIED)


def restore(text: str) -> bytes:
    """The inverse of :func:`carry` for a whole output record: UTF-8, carried bytes as themselves."""
    return text.translate(_FROM_CARRIED).encode("utf-8", "surrogateescape")


def visible(text: str) -> str:
    """Carried bytes as ``\\xff`` escapes (for the rejects file and messages)."""
    return "".join(f"\\x{ord(ch) - CARRIED:02x}" if ord(ch) >= CARRIED + 0x80 else ch for ch in text)


def physical_lines(handle: BinaryIO) -> Iterator[bytes]:
    """Lines as an editor numbers them: ``\\n``, ``\\r\\n`` and a lone ``\\r`` each end one."""
    for raw in handle:
        if b"\r" in raw:
            yield from _LINE.findall(raw)
        else:
            yield raw


def first_newline(path: str) -> str:
    with open(path, "rb") as handle:
        head = handle.read(1 << 20)
    match = re.search(rb"\r\n|\r|\n", head)
    return match.group(0).decode("ascii") if match else "\n"


def prepare(path: str, reader_encoding: str, workdir: str) -> Decoded:
    """The UTF-8 view of ``path``; ``reader_encoding`` is what the reader detected."""
    newline = first_newline(path)
    if reader_encoding in UTF8_LABELS:
        decoded = Decoded(path, reader_encoding, newline=newline)
        if reader_encoding != "utf-8":
            decoded.changes.append(Change(None, "file.encoding", None, reader_encoding, "utf-8",
                                          "byte-order mark removed"))
        return decoded
    with open(path, "rb") as handle:
        head = handle.read(4)
    bom = from_bom(head)
    target = os.path.join(workdir, "utf8-" + os.path.basename(path))
    if bom is not None and not bom.is_utf8:
        return _whole(path, bom.codec, bom.label, target, newline)
    if reader_encoding.startswith(("utf-16", "utf-32")):  # without a mark: ASCII lines look like UTF-8
        return _whole(path, reader_encoding.split()[0], reader_encoding, target, newline)
    sample, utf8_lines, foreign_lines = _legacy_sample(path)
    legacy = guess_lines(sample)
    if legacy is not None and legacy.codec.startswith(("utf-16", "utf-32")):
        return _whole(path, legacy.codec, legacy.label, target, newline)
    return _by_line(path, legacy.codec if legacy else None, legacy.label if legacy else "unknown", target, newline,
                    utf8_first=utf8_lines >= foreign_lines)


def _legacy_sample(path: str) -> tuple[list[bytes], int, int]:
    """The first few MB of the lines that are not UTF-8 (what the detector should look at), how
    many lines are UTF-8 beyond ASCII and how many are not UTF-8."""
    sample: list[bytes] = []
    size = utf8_lines = foreign_lines = 0
    with open(path, "rb") as handle:
        for line in physical_lines(handle):
            try:
                line.decode("utf-8")
                utf8_lines += not line.isascii()
            except UnicodeDecodeError:
                foreign_lines += 1
                if size < SAMPLE_BYTES:
                    sample.append(line)
                    size += len(line)
    return sample, utf8_lines, foreign_lines


def _hangul(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


def _legacy(line: bytes, codec: str | None, strict: bool) -> str | None:
    """``line`` in the legacy encoding, or None. ``strict``: only Korean text that reads as
    Hangul counts (in a mostly-UTF-8 file, other bytes are more likely corrupt than foreign)."""
    if codec is None:
        return None
    try:
        text = line.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None
    if strict and not (codec == "cp949" and _hangul(text)):
        return None
    return text


def _by_line(path: str, codec: str | None, label: str, target: str, newline: str, utf8_first: bool) -> Decoded:
    """Per line. ``utf8_first``: the file is mostly UTF-8 (a valid UTF-8 line is UTF-8); else it
    is mostly legacy, and a line that happens to be valid UTF-8 is still read as legacy Hangul
    when it reads as Hangul that way (short cp949 lines can be valid UTF-8 by accident)."""
    decoded = Decoded(target, label, newline=newline)
    utf8_foreign = 0
    legacy_lines: list[int] = []
    with open(path, "rb") as source, open(target, "w", encoding="utf-8", newline="") as out:
        for number, line in enumerate(physical_lines(source), start=1):
            if number == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
            text = None if utf8_first or line.isascii() else _legacy(line, codec, strict=True)
            if text is not None:
                legacy_lines.append(number)
            else:
                try:
                    text = line.decode("utf-8")
                    utf8_foreign += not line.isascii()
                except UnicodeDecodeError:
                    text = _legacy(line, codec, strict=utf8_first)
                    if text is None:
                        decoded.bad_lines[number] = line
                        text = carry(line)
                    else:
                        legacy_lines.append(number)
            out.write(text)
    mixed = bool(utf8_foreign and legacy_lines)
    if mixed:
        decoded.encoding = f"utf-8 + {label}"
        decoded.changes += [Change(n, "file.encoding", None, label, "utf-8", f"a {label} line in a UTF-8 file")
                            for n in legacy_lines]
    if legacy_lines:
        decoded.changes.insert(0, Change(None, "file.encoding", None, decoded.encoding, "utf-8",
                                         f"{len(legacy_lines):,} line(s) re-encoded from {label}"))
    else:
        decoded.encoding = f"utf-8 (bytes in no encoding on {len(decoded.bad_lines):,} line(s))"
    return decoded


def _whole(path: str, codec: str, label: str, target: str, newline: str) -> Decoded:
    decoded = Decoded(target, label, newline=newline)
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise CannotFix(f"the file is {label}, but bytes {exc.start:,}-{exc.end:,} do not decode "
                        f"({exc.reason}): it cannot be re-encoded without loss; nothing was written") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = _TEXT_LINE.findall(text)
    with open(target, "w", encoding="utf-8", newline="") as out:
        for line in lines:
            out.write(line)
    newlines = _TEXT_LINE.findall(text[:4096])
    if newlines:
        ending = re.search(r"\r\n|\r|\n", newlines[0])
        decoded.newline = ending.group(0) if ending else "\n"
    decoded.changes.append(Change(None, "file.encoding", None, label, "utf-8",
                                  f"{len(lines):,} line(s) re-encoded from {label}"))
    return decoded
