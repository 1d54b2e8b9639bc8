"""What the reader hands to the rules: the records as an Arrow table, plus facts about the file.

The table has one row per well-formed record, in file order:

- ``__line__`` (int64): the physical 1-based line on which the record starts;
- the file's columns, every cell as text (``C_ID`` stays ``"7"``, never ``7.0`` or NaN). A column
  that stands for a spec column (matched case-insensitively, so a misspelt header still gets its
  content checked) takes the spec name; any other keeps its own name, made unique.

Records the reader could not map to columns (wrong cell count, blank rows, JSONL lines that are
not objects) are not in the table; each is a :class:`~gx_clova.findings.Finding` with its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from gx_clova import spec
from gx_clova.findings import Finding
from gx_clova.registry import message

LINE = "__line__"


@dataclass
class FileFacts:
    uri: str
    name: str
    bytes: int
    sha256: str = ""
    #: What the bytes really are: ``utf-8``, ``utf-8 (BOM)``, ``cp949`` …
    encoding: str = ""
    #: ``csv`` or ``jsonl``: by extension, else sniffed from the content.
    format: str = "csv"
    #: The header as written (CSV first record; JSONL keys of the first object).
    header: list[str] = field(default_factory=list)
    #: Line on which the header stands (JSONL: the first object's line).
    header_line: int = 1
    #: Physical lines in the file.
    lines: int = 0
    #: Which reader produced the table: ``fast`` (pyarrow) or ``exact`` (line by line).
    reader: str = ""

    @property
    def extension(self) -> str:
        dot = self.name.rfind(".")
        return self.name[dot:].lower() if dot > 0 else ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "uri": self.uri,
            "bytes": self.bytes,
            "sha256": self.sha256,
            "encoding": self.encoding,
            "format": self.format,
            "header": list(self.header),
            "lines": self.lines,
        }


@dataclass
class Dataset:
    facts: FileFacts
    table: pa.Table
    findings: list[Finding] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return self.table.num_rows

    def column(self, name: str) -> pa.ChunkedArray | None:
        return self.table.column(name) if name in self.table.column_names else None


#: Problems a reader finding keeps in ``details`` (the lines are all kept).
SHOWN_PROBLEMS = 100


def problems_finding(code: str, problems: dict[int, str], variant: str = "") -> Finding:
    """One finding for the records ``problems`` names (line → what is wrong), in line order; its
    message is the code's (``variant``) with the count (``rows``) and the first problem met (``first``)."""
    first = next(iter(problems.values()))
    return Finding(code, message(code, variant, rows=len(problems), first=first), sorted(problems),
                   details={"problems": [problems[k] for k in sorted(problems)][:SHOWN_PROBLEMS]})


def table_names(header: list[str]) -> list[str]:
    """Table column names for a raw header: spec names where recognisable, unique always."""
    names: list[str] = []
    taken: set[str] = {LINE}
    for position, raw in enumerate(header):
        wanted = spec.loose_column(raw) or raw or f"column{position + 1}"
        name = wanted
        suffix = 2
        while name in taken:
            name = f"{wanted}#{suffix}"
            suffix += 1
        taken.add(name)
        names.append(name)
    return names


#: Field metadata key holding a column's name as the file spells it (``fix`` renames from it).
RAW_NAME = b"gx_clova.raw_name"


def build_table(header: list[str], columns: list[pa.ChunkedArray | pa.Array], lines: pa.Array) -> pa.Table:
    names = table_names(header)
    arrays = [lines.cast(pa.int64()), *(c.cast(pa.string()) for c in columns)]
    fields = [pa.field(LINE, pa.int64())] + [
        pa.field(name, pa.string(), metadata={RAW_NAME: raw.encode("utf-8")}) for name, raw in zip(names, header)
    ]
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def raw_name(table: pa.Table, name: str) -> str:
    """The column's name as written in the file (the table may have renamed it)."""
    metadata = table.schema.field(name).metadata or {}
    return metadata[RAW_NAME].decode("utf-8") if RAW_NAME in metadata else name


def empty_table(header: list[str]) -> pa.Table:
    return build_table(header, [pa.array([], pa.string()) for _ in header], pa.array([], pa.int64()))
