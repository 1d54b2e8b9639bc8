"""The encoding ladder (F3): BOM → strict UTF-8 → name what it really is → fail loudly.

Never ``errors="replace"``: a byte that does not decode is a finding, not a U+FFFD.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

#: Byte-order marks, longest first (UTF-32-LE starts with the UTF-16-LE mark).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: Korean legacy encodings are tried first: they are what a Korean Excel export really is.
_CANDIDATES = ("cp949", "shift_jis", "gb18030", "latin-1")

SAMPLE_BYTES = 4 << 20


@dataclass(frozen=True)
class Detected:
    #: Python codec name used to decode the file.
    codec: str
    #: What to report: ``utf-8``, ``utf-8 (BOM)``, ``cp949``, ``utf-16-le (BOM)`` …
    label: str
    #: How many bytes of BOM to skip.
    bom: int = 0

    @property
    def is_utf8(self) -> bool:
        return self.codec in ("utf-8", "utf-8-sig")


UTF8 = Detected("utf-8", "utf-8")
UTF8_BOM = Detected("utf-8-sig", "utf-8 (BOM)", 3)


def from_bom(head: bytes) -> Detected | None:
    for bom, name in _BOMS:
        if head.startswith(bom):
            if name == "utf-8-sig":
                return UTF8_BOM
            # The generic codecs consume the mark; the -le/-be ones would keep it as U+FEFF.
            return Detected(name[:6], f"{name} (BOM)", len(bom))
    return None


def guess(sample: bytes) -> Detected | None:
    """Name the encoding of bytes that are not UTF-8, or None when nothing fits."""
    bom = from_bom(sample)
    if bom is not None:
        return bom
    # A UTF-16 file without BOM has a NUL in every other byte of ASCII text.
    if sample[1::2].count(0) > len(sample) // 8:
        return Detected("utf-16-le", "utf-16-le")
    if sample[0::2].count(0) > len(sample) // 8:
        return Detected("utf-16-be", "utf-16-be")
    # Korean first: a file that decodes as cp949 into Hangul syllables is a Korean Excel export,
    # which generic detectors often mistake for big5 on short samples.
    whole_lines = sample[: sample.rfind(b"\n") + 1] or sample
    try:
        text = whole_lines.decode("cp949")
    except UnicodeDecodeError:
        text = ""
    if any("\uac00" <= ch <= "\ud7a3" for ch in text):
        return Detected("cp949", "cp949")
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(sample).best()
    except Exception:  # pragma: no cover - detector trouble is "unknown", not a crash
        best = None
    if best is not None and best.encoding and _ascii_compatible(best.encoding):
        name = codecs.lookup(best.encoding).name
        # charset-normalizer says cp949 and euc-kr interchangeably; report the superset.
        if name in ("euc_kr", "euc-kr"):
            name = "cp949"
        return Detected(name, name)
    for name in _CANDIDATES:
        try:
            sample.decode(name)
        except UnicodeDecodeError:
            continue
        return Detected(name, name)
    return None


def guess_lines(lines: list[bytes]) -> Detected | None:
    """The legacy encoding of the lines that are not UTF-8: cp949 when most of them read as
    Hangul in it (a few cp949 rows pasted into a UTF-8 file, or one corrupt line in a Korean
    export, must not be named gb18030 or Cyrillic), else :func:`guess` on them."""
    if not lines:
        return None
    korean = sum(1 for line in lines if hangul_in("cp949", line))
    if korean * 2 >= len(lines):
        return Detected("cp949", "cp949")
    return guess(b"".join(lines))


def hangul_in(codec: str, line: bytes) -> str | None:
    """``line`` decoded in ``codec`` when that gives Hangul, else None."""
    try:
        text = line.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None
    return text if any("\uac00" <= ch <= "\ud7a3" for ch in text) else None


#: Magic bytes of compressed and archive files: named, never decoded as text.
COMPRESSED: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "gzip"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"PK\x07\x08", "zip"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
)


def compressed(head: bytes) -> str | None:
    """``"gzip"``, ``"zip"`` … when ``head`` starts like a compressed file, else None."""
    for magic, name in COMPRESSED:
        if head.startswith(magic):
            if name == "bzip2" and not head[3:4].isdigit():  # "BZh" then the block size 1-9
                continue
            return name
    return None


def _ascii_compatible(codec: str) -> bool:
    """Line breaks and delimiters mean the same bytes as in ASCII (rules out EBCDIC, UTF-7, UTF-16 …)."""
    probe = "C_ID,T_ID,Text,Completion\r\n{\"a\": 1}\n"
    try:
        return codecs.lookup(codec).name not in ("utf-8", "ascii") and probe.encode(codec) == probe.encode("ascii")
    except (LookupError, UnicodeError):
        return False
