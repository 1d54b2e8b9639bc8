"""The token plan of a dataset: per-row tokens, total × epochs, distribution, rows that do not fit.

A row's tokens are what the model sees for it: its ``System_Prompt``, the
conversation so far (the earlier rows of its ``C_ID``: each ``Text`` and ``Completion``), its
``Text`` and its ``Completion``. Its *input* is all of that but the ``Completion``. A row does
not fit when its input exceeds the model's max input, or the whole exceeds the context window;
CLOVA Studio would drop or truncate it.

>>> percentile([1, 2, 3, 4, 100], 50), percentile([1, 2, 3, 4, 100], 99)
(3, 100)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from gx_clova import spec
from gx_clova.errors import DatasetError
from gx_clova.submitter.models import Model
from gx_clova.tokens.count import Counter, Message


class DatasetShapeError(DatasetError):
    """The dataset lacks the columns a plan needs (exit 1: validate it first)."""


@dataclass(frozen=True)
class Row:
    line: int
    #: Messages the model sees before the answer, in order; the answer last.
    context: tuple[Message, ...]
    answer: Message


@dataclass
class Plan:
    source: str
    model: Model
    method: str
    epochs: int
    per_row: list[tuple[int, int, int]] = field(default_factory=list)  # (line, tokens, input tokens)
    requests: int = 0
    cached: int = 0
    price_per_1k: float | None = None

    @property
    def tokens_per_epoch(self) -> int:
        return sum(tokens for _, tokens, _ in self.per_row)

    @property
    def total(self) -> int:
        return self.tokens_per_epoch * self.epochs

    @property
    def over_window(self) -> list[dict[str, int]]:
        return [{"line": line, "tokens": tokens, "input_tokens": given} for line, tokens, given in self.per_row
                if given > self.model.max_input or tokens > self.model.context]

    def distribution(self) -> dict[str, int]:
        values = sorted(tokens for _, tokens, _ in self.per_row)
        if not values:
            return {"median": 0, "p99": 0, "max": 0}
        return {"median": percentile(values, 50), "p99": percentile(values, 99), "max": values[-1]}

    def cost(self) -> float | None:
        return None if self.price_per_1k is None else self.total / 1000 * self.price_per_1k

    def to_dict(self, *, per_row: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "source": self.source, "model": self.model.name, "method": self.method,
            "estimate": self.method == "estimate", "rows": len(self.per_row), "epochs": self.epochs,
            "tokens_per_epoch": self.tokens_per_epoch, "total_tokens": self.total,
            "distribution": self.distribution(),
            "window": {"context": self.model.context, "max_input": self.model.max_input,
                       "source": self.model.window_source},
            "over_window": self.over_window, "requests": self.requests, "cached_messages": self.cached,
        }
        if self.price_per_1k is not None:
            data["cost"] = {"price_per_1k_tokens": self.price_per_1k, "estimated_cost": self.cost()}
        if per_row:
            data["per_row"] = [{"line": line, "tokens": tokens, "input_tokens": given}
                               for line, tokens, given in self.per_row]
        return data


def percentile(sorted_values: list[int], q: float) -> int:
    """Nearest-rank percentile of an ascending list."""
    rank = max(1, math.ceil(q / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def rows_of(table: Any) -> list[Row]:
    """Rows of a dataset table (``gx_clova.reading``), each with the conversation before it."""
    missing = [c for c in spec.REQUIRED_COLUMNS if c not in table.column_names]
    if missing:
        raise DatasetShapeError(f"the dataset has no {', '.join(missing)} column: run gx-clova validate first")
    column = {name: table.column(name).to_pylist() for name in (*spec.REQUIRED_COLUMNS, "__line__")}
    systems = (table.column(spec.SYSTEM_PROMPT).to_pylist() if spec.SYSTEM_PROMPT in table.column_names
               else [None] * table.num_rows)
    rows: list[Row] = []
    history: list[Message] = []
    previous = object()
    for i in range(table.num_rows):
        c_id = column[spec.C_ID][i]
        if c_id != previous:
            history = []
            previous = c_id
        system = systems[i] or ""
        user: Message = ("user", column[spec.TEXT][i] or "")
        answer: Message = ("assistant", column[spec.COMPLETION][i] or "")
        context = ((("system", system),) if system else ()) + tuple(history) + (user,)
        rows.append(Row(column["__line__"][i], context, answer))
        history += [user, answer]
    return rows


def make_plan(source: str, rows: list[Row], counter: Counter, model: Model, *, epochs: int,
              price_per_1k: float | None = None) -> Plan:
    needed: list[Message] = []
    for row in rows:
        needed += [*row.context, row.answer]
    counts = counter.counts(needed)
    plan = Plan(source, model, counter.method, epochs, requests=counter.requests, cached=counter.cached,
                price_per_1k=price_per_1k)
    for row in rows:
        given = sum(counts[m] for m in row.context)
        plan.per_row.append((row.line, given + counts[row.answer], given))
    return plan
