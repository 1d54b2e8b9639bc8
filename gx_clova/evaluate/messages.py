"""Each test row as the request training showed the model (as in the CLOVA Studio cookbook).

``System_Prompt`` is the system message, the earlier turns of the same ``C_ID`` are user and
assistant messages (``Text`` / ``Completion``), and the row's ``Text`` is the last user message.
The row's ``Completion`` is the expected answer.

>>> rows = test_rows(["System_Prompt", "C_ID", "T_ID", "Text", "Completion"],
...                  [["s", "0", "0", "q1", "a1"], ["s", "0", "1", "q2", "a2"]], [2, 3])
>>> [m["role"] for m in rows[1].messages]
['system', 'user', 'assistant', 'user']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gx_clova import spec


@dataclass(frozen=True)
class TestRow:
    __test__ = False  # not a pytest class

    #: 0-based position in the test file, and the line the record starts on.
    index: int
    line: int
    c_id: str
    t_id: str
    text: str
    expected: str
    messages: tuple[dict[str, str], ...]


def test_rows(columns: list[str], rows: list[list[str]], lines: list[int]) -> list[TestRow]:
    at = {name: columns.index(name) for name in columns}
    system_at = at.get(spec.SYSTEM_PROMPT)
    history: dict[str, list[dict[str, str]]] = {}
    out = []
    for index, (row, line) in enumerate(zip(rows, lines, strict=False)):
        c_id, text, expected = row[at[spec.C_ID]].strip(), row[at[spec.TEXT]], row[at[spec.COMPLETION]]
        system = row[system_at] if system_at is not None else ""
        earlier = history.setdefault(c_id, [])
        messages = ([{"role": "system", "content": system}] if system.strip() else []) + earlier
        messages = [*messages, {"role": "user", "content": text}]
        out.append(TestRow(index, line, c_id, row[at[spec.T_ID]].strip(), text, expected, tuple(messages)))
        earlier += [{"role": "user", "content": text}, {"role": "assistant", "content": expected}]
    return out


def read_test_file(path: str) -> list[TestRow]:
    """The test file's rows. Raises SourceError (unreadable) or ValueError (records the reader
    could not map, or required columns missing): every row must be asked, or the score lies."""
    from gx_clova.split import read_records

    records = read_records(path)
    if not records.rows:
        raise ValueError(f"the test file {path} has no rows")
    return test_rows(records.columns, records.rows, records.lines)


def labels_of(path: str) -> list[str]:
    """The label set of a classification training file: its distinct ``Completion`` values, in order."""
    rows = read_test_file(path)
    return list(dict.fromkeys(row.expected for row in rows))


def request_body(row: TestRow, params: dict[str, Any]) -> dict[str, Any]:
    return {"messages": [dict(m) for m in row.messages], **params}
