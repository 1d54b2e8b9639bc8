"""Properties of fix on generated datasets with generated faults.

1. Fixable faults only (encodings, line ends, column order and spelling, blank rows and columns,
   scrambled IDs, decomposed Hangul, duplicated conversations): the fixed file passes
   ``validate`` and holds every source row's text, in order, NFC-normalised.
2. Any faults, unfixable ones included (empty cells, records that do not parse, bytes in no
   encoding, rows without C_ID), with or without --rejects: every source record has exactly one
   fate in the mapping, the fixed file holds exactly the records said to be written, the rejects
   file exactly the rejected ones - fix never loses or invents a row.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gx_clova.fix import fix
from gx_clova.fix.changes import read_mapping
from gx_clova.reading import read_dataset
from gx_clova.sources import LocalSource

SPEC = ["System_Prompt", "C_ID", "T_ID", "Text", "Completion"]
CHARS = list("가나다한글 ab,\"'") + ["\n", "\r\n"]
TEXT = st.lists(st.sampled_from(CHARS), min_size=1, max_size=6).map("".join)
PAD = 100


@dataclass
class Source:
    data: bytes
    fmt: str
    #: Start line of every record the file holds, by kind.
    rows: list[int] = field(default_factory=list)
    blank: list[int] = field(default_factory=list)
    broken: list[int] = field(default_factory=list)
    #: Text of every row, in order (None where the row holds undecodable bytes).
    texts: list[str | None] = field(default_factory=list)
    duplicate_rows: int = 0


@st.composite
def datasets(draw, unfixable: bool = False) -> Source:
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp949", "utf-16"]))
    fmt = draw(st.sampled_from(["csv", "jsonl"]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    with_prompt = draw(st.booleans())
    order = draw(st.permutations(SPEC if with_prompt else SPEC[1:]))
    spelling = {name: draw(st.sampled_from([name, name.lower(), name.upper()])) for name in order}
    trailing = fmt == "csv" and draw(st.booleans())
    nfd = encoding != "cp949" and draw(st.booleans())
    conversations = draw(st.lists(st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=3), min_size=1, max_size=6))
    if draw(st.booleans()):
        conversations.append(list(draw(st.sampled_from(conversations))))
    conversations += [[(f"패딩 {i}", f"답 {i}")] for i in range(PAD)]
    tokens, previous = [], None
    for number in range(len(conversations)):
        token = draw(st.sampled_from(["0", "7", "x", "007", "A", "3"]))
        token = token if token != previous else token + "b"
        tokens.append(token)
        previous = token
    records: list[tuple[str, object]] = []  # ("row", cells) | ("blank", text) | ("broken", text) | ("bad", cells)
    for conversation, token in zip(conversations, tokens):
        prompt = draw(st.sampled_from(["지시문", "system"]))
        for text, completion in conversation:
            if nfd and draw(st.booleans()):
                text = unicodedata.normalize("NFD", text)
            cells = {"System_Prompt": prompt, "C_ID": token, "T_ID": draw(st.sampled_from(["0", "9", "", "t"])),
                     "Text": text, "Completion": completion}
            kind = "row"
            if unfixable:
                fault = draw(st.sampled_from(["none"] * 6 + ["empty", "no-id", "bad-bytes"]))
                if fault == "empty":
                    cells["Completion"] = ""
                elif fault == "no-id":
                    cells["C_ID"] = ""
                elif fault == "bad-bytes" and encoding in ("utf-8", "cp949"):
                    kind = "bad"
            records.append((kind, cells))
            if draw(st.integers(0, 9)) == 0:
                records.append(("blank", "empty" if fmt == "jsonl" or draw(st.booleans()) else "commas"))
            if unfixable and draw(st.integers(0, 9)) == 0:
                records.append(("broken", "[1, 2]" if fmt == "jsonl" else "only,two"))
    return _render(records, order, spelling, fmt, newline, encoding, trailing)


def _render(records, order, spelling, fmt, newline, encoding, trailing) -> Source:
    out = bytearray()
    line = 1
    source = Source(b"", fmt)
    bom = {"utf-8-sig": b"\xef\xbb\xbf", "utf-16": b"\xff\xfe"}.get(encoding, b"")
    codec = {"utf-8-sig": "utf-8", "utf-16": "utf-16-le"}.get(encoding, encoding)

    def emit(text: str, raw: bytes = b"") -> None:
        nonlocal line
        out.extend(text.encode(codec) + raw)
        line += text.count("\n") + text.count("\r") - text.count("\r\n")

    if fmt == "csv":
        emit(_csv_line([spelling[n] for n in order] + ([""] if trailing else []), newline))
    for kind, payload in records:
        start = line
        if kind == "blank":
            source.blank.append(start)
            emit(("," * (len(order) - 1 + trailing) if payload == "commas" else "") + newline)
        elif kind == "broken":
            source.broken.append(start)
            emit(payload + newline)
        else:
            source.rows.append(start)
            cells = dict(payload)
            if kind == "bad":
                cells["Text"] = cells["Text"] + "<BAD>"
            text = _csv_line([cells[n] for n in order] + ([""] if trailing else []), newline) if fmt == "csv" else \
                json.dumps({spelling[n]: cells[n] for n in order}, ensure_ascii=False) + newline
            if kind == "bad":
                head, tail = text.split("<BAD>")
                emit(head, b"\xff")
                emit(tail)
                source.texts.append(None)
            else:
                emit(text)
                source.texts.append(unicodedata.normalize("NFC", cells["Text"]))
    source.data = bom + bytes(out)
    return source


def _csv_line(cells: list[str], newline: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerow(cells)
    return buffer.getvalue()


def _run(source: Source, out_fmt: str, reject: bool = False, **options):
    with tempfile.TemporaryDirectory(prefix="gx-clova-prop-") as tmp:
        path = os.path.join(tmp, "train." + source.fmt)
        with open(path, "wb") as handle:
            handle.write(source.data)
        rejects = os.path.join(tmp, "rejects.jsonl") if reject else None
        result = fix(path, os.path.join(tmp, "fixed." + out_fmt), rejects=rejects, **options)
        with open(path, "rb") as handle:
            assert handle.read() == source.data, "the source changed"
        yield result


PROPS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                        HealthCheck.data_too_large])


@PROPS
@given(source=datasets(), out_fmt=st.sampled_from(["csv", "jsonl"]), drop=st.booleans())
def test_fixable_faults_always_give_a_file_that_passes(source, out_fmt, drop):
    for result in _run(source, out_fmt, drop_duplicates=drop):
        _check_fixable(source, result, drop)


def _check_fixable(source: Source, result, drop: bool) -> None:
    assert result.passed, (result.remaining, result.source_encoding)
    fixed = read_dataset(LocalSource(result.output))
    texts = fixed.table.column("Text").to_pylist()
    if not drop:
        assert texts == source.texts
    else:
        assert Counter(texts) <= Counter(source.texts) and len(texts) == len(source.texts) - result.records[
            "dropped-duplicate"]


@PROPS
@given(source=datasets(unfixable=True), out_fmt=st.sampled_from(["csv", "jsonl"]), reject=st.booleans(),
       drop=st.booleans())
def test_fix_never_loses_or_invents_a_record(source, out_fmt, reject, drop):
    for result in _run(source, out_fmt, reject=reject, validate_result=False, drop_duplicates=drop):
        _check_accounted(source, result, reject, drop)


def _read_utf8(path: str):
    """The fixed file as UTF-8. Rows that kept bytes in no encoding are read with U+FFFD for them
    (the reader would pick one legacy codec for the whole file); their texts are not compared."""
    with open(path, "rb") as handle:
        data = handle.read()
    clean = data.decode("utf-8", "replace").encode("utf-8")
    if clean == data:
        return read_dataset(LocalSource(path), exact=True)
    copy = path + ".utf8" + os.path.splitext(path)[1]
    with open(copy, "wb") as handle:
        handle.write(clean)
    return read_dataset(LocalSource(copy), exact=True)


def _check_accounted(source: Source, result, reject: bool, drop: bool) -> None:
    mapping = read_mapping(result.mapping_path)
    fates = {int(m["line"]): m["fate"] for m in mapping}
    assert len(fates) == len(mapping), "a source line listed twice"
    assert sorted(fates) == sorted(source.rows + source.blank + source.broken)
    assert all(fates[line] == "removed-blank" for line in source.blank)
    assert all(fates[line] in ("kept", "kept-unfixable", "rejected") for line in source.broken)
    assert all(fates[line] != "removed-blank" for line in source.rows)
    written = [int(m["new_line"]) for m in mapping if m["new_line"]]
    assert len(written) == len(set(written)) == sum(1 for f in fates.values() if f in ("kept", "kept-unfixable"))
    fixed = _read_utf8(result.output)
    unparsed = sum(len(f.lines) for f in fixed.findings if f.code == "file.format")
    blank = sum(len(f.lines) for f in fixed.findings if f.code == "file.blank-row")
    assert fixed.rows + unparsed + blank == len(written), "the fixed file holds other records than it says"
    kept_texts = Counter(t for t, line in zip(source.texts, source.rows)
                         if t is not None and fates[line] in ("kept", "kept-unfixable"))
    assert kept_texts <= Counter(fixed.table.column("Text").to_pylist() if "Text" in fixed.table.column_names
                                 else [])
    if reject:
        with open(result.rejects_path, encoding="utf-8") as handle:
            rejected = [json.loads(line)["line"] for line in handle]
        assert sorted(rejected) == sorted(line for line, fate in fates.items() if fate == "rejected")
    else:
        assert "rejected" not in fates.values()
    if not drop:
        assert "dropped-duplicate" not in fates.values()
