"""Scores: normalised exact match, per-class precision/recall/F1, confusion matrix, McNemar, chrF.

Answers and labels are compared after :func:`normalise` (Unicode NFC, whitespace collapsed and
trimmed, case folded). An answer that matches no label counts in its own column of the
confusion matrix, :data:`OUTSIDE` — the cookbook's untuned model answering "정답은 '…'입니다".

>>> normalise("  MYBOX   결제 ")
'mybox 결제'
>>> mcnemar_p(0, 0), round(mcnemar_p(10, 2), 4)
(1.0, 0.0386)
>>> chrf("네이버 밴드 계정", "네이버 밴드 계정")
100.0
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

#: The confusion-matrix column of answers that are none of the labels.
OUTSIDE = "(outside the label set)"
#: chrF: character n-grams up to this order, recall weighted ``BETA`` times precision.
CHRF_ORDER, CHRF_BETA = 6, 2.0


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def predict(answer: str, labels: Sequence[str]) -> str:
    """The label ``answer`` is (as written in the label set), else :data:`OUTSIDE`."""
    wanted = normalise(answer)
    for label in labels:
        if normalise(label) == wanted:
            return label
    return OUTSIDE


@dataclass
class ClassScore:
    label: str
    support: int
    predicted: int
    correct: int

    @property
    def precision(self) -> float | None:
        return self.correct / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        """None for a class absent from the test set: there is nothing to recall."""
        return self.correct / self.support if self.support else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "support": self.support,
            "predicted": self.predicted,
            "correct": self.correct,
            "precision": _round(self.precision),
            "recall": _round(self.recall),
            "f1": _round(self.f1),
        }


@dataclass
class Classification:
    labels: list[str]
    #: Per answered row: (row index, expected, predicted).
    rows: list[tuple[int, str, str]]
    #: matrix[expected][predicted] = count; columns are the labels, then OUTSIDE.
    matrix: dict[str, Counter] = field(default_factory=dict)
    classes: list[ClassScore] = field(default_factory=list)

    @property
    def correct(self) -> int:
        return sum(1 for _, e, p in self.rows if e == p)

    @property
    def accuracy(self) -> float | None:
        return self.correct / len(self.rows) if self.rows else None

    @property
    def outside(self) -> int:
        return sum(1 for _, _, p in self.rows if p == OUTSIDE)

    def hits(self) -> dict[int, bool]:
        return {i: e == p for i, e, p in self.rows}

    def to_dict(self) -> dict[str, Any]:
        columns = [*self.labels, OUTSIDE]
        return {
            "accuracy": _round(self.accuracy),
            "correct": self.correct,
            "answered": len(self.rows),
            "outside_label_set": self.outside,
            "classes": [c.to_dict() for c in self.classes],
            "confusion": {
                "rows": list(self.labels),
                "columns": columns,
                "counts": [[self.matrix.get(e, Counter())[p] for p in columns] for e in self.labels],
            },
        }


def score_classification(
    expected: Sequence[str], answers: Sequence[str | None], labels: Sequence[str]
) -> Classification:
    """Scores over the answered rows (``None`` = no answer). Expected values missing from
    ``labels`` are added to the label set, so every row has a matrix row."""
    label_set = list(dict.fromkeys([*labels, *(e for e in expected)]))
    normal = {normalise(label): label for label in label_set}
    rows = []
    for i, (want, got) in enumerate(zip(expected, answers, strict=False)):
        if got is None:
            continue
        rows.append((i, normal[normalise(want)], predict(got, label_set)))
    result = Classification(label_set, rows)
    for _, want, got in rows:
        result.matrix.setdefault(want, Counter())[got] += 1
    support = Counter(want for _, want, _ in rows)
    predicted = Counter(got for _, _, got in rows)
    correct = Counter(want for _, want, got in rows if want == got)
    result.classes = [ClassScore(label, support[label], predicted[label], correct[label]) for label in label_set]
    return result


def mcnemar_p(only_first: int, only_second: int) -> float:
    """Two-sided exact McNemar test on the discordant pairs: rows only the first got right, rows
    only the second got right. The chance of a split at least this uneven if both were equal."""
    n = only_first + only_second
    if n == 0:
        return 1.0
    k = min(only_first, only_second)
    tail = sum(math.comb(n, i) for i in range(k + 1)) / 2**n
    return min(1.0, 2 * tail)


@dataclass
class Comparison:
    """``tuned`` against ``baseline`` on the same answered rows."""

    baseline: str
    rows: int
    tuned_correct: int
    baseline_correct: int
    only_tuned: int
    only_baseline: int

    @property
    def delta(self) -> float | None:
        return (self.tuned_correct - self.baseline_correct) / self.rows if self.rows else None

    @property
    def p_value(self) -> float:
        return mcnemar_p(self.only_tuned, self.only_baseline)

    def to_dict(self) -> dict[str, Any]:
        return {
            "baseline": self.baseline,
            "rows": self.rows,
            "tuned_correct": self.tuned_correct,
            "baseline_correct": self.baseline_correct,
            "only_tuned_right": self.only_tuned,
            "only_baseline_right": self.only_baseline,
            "delta": _round(self.delta),
            "mcnemar_p": _round(self.p_value, 6),
        }


def compare(tuned: dict[int, bool], baseline: dict[int, bool], name: str) -> Comparison:
    common = sorted(set(tuned) & set(baseline))
    return Comparison(
        baseline=name,
        rows=len(common),
        tuned_correct=sum(tuned[i] for i in common),
        baseline_correct=sum(baseline[i] for i in common),
        only_tuned=sum(tuned[i] and not baseline[i] for i in common),
        only_baseline=sum(baseline[i] and not tuned[i] for i in common),
    )


# -- generation: chrF ------------------------------------------------------------------------------
def _ngrams(text: str, n: int) -> Counter:
    chars = "".join(unicodedata.normalize("NFC", text).split())
    return Counter(chars[i : i + n] for i in range(len(chars) - n + 1))


def chrf_stats(hypothesis: str, reference: str) -> list[tuple[int, int, int]]:
    """Per n-gram order: (matches, hypothesis n-grams, reference n-grams); whitespace ignored."""
    stats = []
    for n in range(1, CHRF_ORDER + 1):
        hyp, ref = _ngrams(hypothesis, n), _ngrams(reference, n)
        stats.append((sum((hyp & ref).values()), sum(hyp.values()), sum(ref.values())))
    return stats


def chrf_from_stats(stats: Sequence[tuple[int, int, int]]) -> float:
    """chrF (0-100): precision and recall averaged over the orders that have n-grams, then F-beta."""
    precisions = [m / h for m, h, _ in stats if h]
    recalls = [m / r for m, _, r in stats if r]
    if not precisions or not recalls:
        return 100.0 if not any(h or r for _, h, r in stats) else 0.0
    p, r = sum(precisions) / len(precisions), sum(recalls) / len(recalls)
    if p + r == 0:
        return 0.0
    b2 = CHRF_BETA**2
    return round(100 * (1 + b2) * p * r / (b2 * p + r), 4)


def chrf(hypothesis: str, reference: str) -> float:
    return chrf_from_stats(chrf_stats(hypothesis, reference))


def corpus_chrf(pairs: Sequence[tuple[str, str]]) -> float | None:
    """chrF over all rows: n-gram statistics summed over the rows, then scored once."""
    if not pairs:
        return None
    total = [[0, 0, 0] for _ in range(CHRF_ORDER)]
    for hypothesis, reference in pairs:
        for order, (m, h, r) in enumerate(chrf_stats(hypothesis, reference)):
            total[order][0] += m
            total[order][1] += h
            total[order][2] += r
    return chrf_from_stats([tuple(t) for t in total])  # type: ignore[misc]


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)
