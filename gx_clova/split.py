"""``gx-clova split``: a held-out test set and the training rest, seeded and reproducible.

    gx-clova split data/inquiries.csv --task classification --test-size 100 --seed 7

- Conversations are never split: every row of one ``C_ID`` goes to the same output.
- Classification (and ``--stratify``) is stratified by label (a conversation's label is its last ``Completion``):
  each label's share of the test set is its share of the conversations, rounded by largest
  remainder so the sizes add up exactly.
- Both outputs are renumbered (``C_ID`` 0, 1, 2 … in file order; ``T_ID`` as written) and keep
  the input's format and column names, so each passes ``gx-clova validate`` when the input does.
- Every input record ends up in exactly one output. A file the reader could not map to records
  completely (a broken CSV record, a blank line, a JSONL line that is not an object) is refused:
  a split that dropped those records silently would lie.
- Classification: refused (exit 1, naming the labels) when a label would keep fewer than
  200 training rows (SPEC C1) — after CLOVA Studio holds back ``--validation-split-ratio`` of
  the training file for its own validation (``validationSplitRatio``, 0.0-0.1).

The command is :mod:`gx_clova.cli.split`. Exit status: 0 written, 1 refused (the split would
break a rule, or the input has records the reader could not map), 2 usage error, 3 the input
could not be read. Outputs never overwrite the input, and an existing output is replaced only
with ``--force``.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from gx_clova import spec
from gx_clova.errors import DatasetError

DEFAULT_TEST_SIZE = "0.1"
#: CLOVA Studio's ``validationSplitRatio`` is 0.0-0.1.
MAX_VALIDATION_SPLIT = 0.1


class SplitRefused(DatasetError, ValueError):
    """The split cannot be made without breaking a rule (exit 1)."""


@dataclass
class Conversation:
    c_id: str
    rows: list[list[str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    label: str = ""


@dataclass
class SplitResult:
    #: Table column names (spec spelling) and the header as the input wrote it.
    columns: list[str]
    header: list[str]
    train: list[Conversation]
    test: list[Conversation]
    task: str
    seed: int
    validation_split_ratio: float
    stratified: bool = False

    def rows(self, part: list[Conversation]) -> int:
        return sum(len(c.rows) for c in part)

    def label_rows(self, part: list[Conversation]) -> Counter:
        at = self.columns.index(spec.COMPLETION)
        return Counter(row[at] for c in part for row in c.rows)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "task": self.task,
            "seed": self.seed,
            "validation_split_ratio": self.validation_split_ratio,
            "train": {"rows": self.rows(self.train), "conversations": len(self.train)},
            "test": {"rows": self.rows(self.test), "conversations": len(self.test)},
        }
        if self.task == "classification" or self.stratified:
            train, test = self.label_rows(self.train), self.label_rows(self.test)
            out["labels"] = {label: {"train": train[label], "test": test[label]} for label in sorted(train | test)}
        return out


def parse_test_size(value: str) -> float | int:
    """``100`` (conversations) or ``0.1`` (a fraction of them). ValueError otherwise."""
    text = str(value).strip()
    if text.isdigit():
        number = int(text)
        if number < 1:
            raise ValueError("--test-size must be at least 1 conversation")
        return number
    try:
        fraction = float(text)
    except ValueError:
        raise ValueError(
            f"--test-size must be a count of conversations (100) or a fraction (0.1), got {value!r}"
        ) from None
    if not 0 < fraction < 1:
        raise ValueError(f"--test-size as a fraction must be between 0 and 1, got {value!r}")
    return fraction


def conversations_of(columns: list[str], rows: list[list[str]], lines: list[int]) -> list[Conversation]:
    """Rows grouped by ``C_ID`` in order of first appearance; a conversation's label is its last Completion."""
    at_cid, at_completion = columns.index(spec.C_ID), columns.index(spec.COMPLETION)
    groups: dict[str, Conversation] = {}
    for row, line in zip(rows, lines, strict=False):
        key = row[at_cid].strip()
        conversation = groups.setdefault(key, Conversation(key))
        conversation.rows.append(row)
        conversation.lines.append(line)
        conversation.label = row[at_completion]
    return list(groups.values())


def allocate(sizes: dict[str, int], total: int) -> dict[str, int]:
    """Split ``total`` over the keys in proportion to ``sizes`` (largest remainder, ties by key)."""
    whole = sum(sizes.values())
    exact = {key: total * n / whole for key, n in sizes.items()}
    quota = {key: min(sizes[key], math.floor(value)) for key, value in exact.items()}
    left = total - sum(quota.values())
    order = sorted(sizes, key=lambda key: (-(exact[key] - math.floor(exact[key])), key))
    while left > 0:
        moved = False
        for key in order:
            if left and quota[key] < sizes[key]:
                quota[key] += 1
                left -= 1
                moved = True
        if not moved:
            break
    return quota


def split_conversations(
    conversations: list[Conversation], test_size: float | int, *, stratify: bool, seed: int
) -> tuple[list[Conversation], list[Conversation]]:
    """(train, test), each in input order; ``stratify``: by label (a conversation's last Completion)."""
    count = len(conversations)
    wanted = test_size if isinstance(test_size, int) else max(1, round(count * test_size))
    if wanted >= count:
        raise SplitRefused(
            f"--test-size asks for {wanted:,} of {count:,} conversations: nothing would be left to train on"
        )
    rng = random.Random(seed)
    if stratify:
        strata: dict[str, list[int]] = {}
        for index, conversation in enumerate(conversations):
            strata.setdefault(conversation.label, []).append(index)
    else:
        strata = {"": list(range(count))}
    quotas = allocate({label: len(members) for label, members in strata.items()}, wanted)
    chosen: set[int] = set()
    for label in sorted(strata):
        members = list(strata[label])
        rng.shuffle(members)
        chosen.update(members[: quotas[label]])
    test = [c for i, c in enumerate(conversations) if i in chosen]
    train = [c for i, c in enumerate(conversations) if i not in chosen]
    return train, test


def check_training_floor(result: SplitResult) -> None:
    """C1 on what CLOVA Studio will train on: every label keeps ``MIN_ROWS_PER_LABEL`` rows
    after ``validationSplitRatio`` of the training file is held back."""
    keep = 1.0 - result.validation_split_ratio
    short = {
        label: n
        for label, n in result.label_rows(result.train).items()
        if math.floor(n * keep) < spec.MIN_ROWS_PER_LABEL
    }
    if not short:
        return
    need = math.ceil(spec.MIN_ROWS_PER_LABEL / keep)
    named = ", ".join(f"{label} ({n:,})" for label, n in sorted(short.items(), key=lambda item: (item[1], item[0])))
    ratio = (
        f", {need:,} before CLOVA Studio holds back validationSplitRatio {result.validation_split_ratio:g}"
        if result.validation_split_ratio
        else ""
    )
    raise SplitRefused(
        f"{len(short):,} label(s) would keep fewer than {spec.MIN_ROWS_PER_LABEL:,} training rows "
        f"(class.too-few-rows; each label needs {spec.MIN_ROWS_PER_LABEL:,}{ratio}): {named}. "
        "Collect more rows for them, or hold out fewer (--test-size)"
    )


def renumbered(columns: list[str], part: list[Conversation]) -> list[list[str]]:
    at_cid = columns.index(spec.C_ID)
    out = []
    for number, conversation in enumerate(part):
        for row in conversation.rows:
            copy = list(row)
            copy[at_cid] = str(number)
            out.append(copy)
    return out


def render(columns: list[str], header: list[str], rows: list[list[str]], fmt: str) -> bytes:
    """The file's bytes: UTF-8 CSV (minimal quoting, ``\\n`` line ends) or JSONL with integer ids."""
    if fmt == "jsonl":
        ids = {columns.index(name) for name in spec.ID_COLUMNS}
        lines = []
        for row in rows:
            record = {
                name: (int(value) if i in ids and value.strip().lstrip("-").isdigit() else value)
                for i, (name, value) in enumerate(zip(header, row, strict=False))
            }
            lines.append(json.dumps(record, ensure_ascii=False))
        return ("\n".join(lines) + "\n").encode("utf-8")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def default_outputs(path: str) -> tuple[str, str]:
    stem, ext = os.path.splitext(path)
    return f"{stem}.train{ext}", f"{stem}.test{ext}"


def same_file(a: str, b: str) -> bool:
    return os.path.abspath(a) == os.path.abspath(b) or (
        os.path.exists(a) and os.path.exists(b) and os.path.samefile(a, b)
    )


@dataclass
class Records:
    """Every record of a file as text cells, with the line it starts on."""

    columns: list[str]
    header: list[str]
    rows: list[list[str]]
    lines: list[int]
    format: str


def read_records(path: str) -> Records:
    """All of ``path``'s records. Raises SourceError (unreadable), or SplitRefused (a ValueError)
    when the reader could not map every record or a required column is missing: a tool that
    works on every record must not work on fewer silently."""
    from gx_clova.reading import LINE, read_dataset
    from gx_clova.sources import open_source

    dataset = read_dataset(open_source(path))
    if dataset.findings:
        codes = ", ".join(sorted({f.code for f in dataset.findings}))
        lines = sorted({line for f in dataset.findings for line in f.lines})[: spec.CONSOLE_LINES]
        where = f" (line {', '.join(map(str, lines))})" if lines else ""
        raise SplitRefused(
            f"{path} has records that cannot be read safely: {codes}{where}. "
            "Run `gx-clova validate` (or `gx-clova fix`) first"
        )
    table = dataset.table
    missing = [name for name in spec.REQUIRED_COLUMNS if name not in table.column_names]
    if missing:
        raise SplitRefused(f"{path} lacks the column(s) {', '.join(missing)} (header.missing-column)")
    columns = [name for name in table.column_names if name != LINE]
    data = {name: table.column(name).to_pylist() for name in columns}
    rows = [[("" if data[name][i] is None else str(data[name][i])) for name in columns] for i in range(table.num_rows)]
    return Records(
        columns,
        _header_as_written(dataset.facts.header, columns),
        rows,
        table.column(LINE).to_pylist(),
        dataset.facts.format,
    )


def split_file(
    path: str,
    *,
    test_size: float | int,
    task: str = spec.DEFAULT_TASK,
    seed: int = 0,
    validation_split_ratio: float = 0.0,
    stratify: bool | None = None,
) -> tuple[SplitResult, str]:
    """Read ``path`` and split it. Raises SourceError (unreadable) or SplitRefused. Returns the result and format."""
    records = read_records(path)
    conversations = conversations_of(records.columns, records.rows, records.lines)
    stratify = task == "classification" if stratify is None else stratify
    train, test = split_conversations(conversations, test_size, stratify=stratify, seed=seed)
    result = SplitResult(records.columns, records.header, train, test, task, seed, validation_split_ratio, stratify)
    if task == "classification":
        check_training_floor(result)
    return result, records.format


def _header_as_written(header: list[str], columns: list[str]) -> list[str]:
    """The input's own spelling of each column (``system_prompt`` stays lower-case)."""
    written = {spec.canonical_column(name) or name: name for name in header}
    return [written.get(name, name) for name in columns]
