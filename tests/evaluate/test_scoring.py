"""Scoring against hand-computed confusion matrices; McNemar; chrF; supports add up (property)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gx_clova.evaluate.scoring import (
    OUTSIDE,
    chrf,
    compare,
    corpus_chrf,
    mcnemar_p,
    normalise,
    predict,
    score_classification,
)

LABELS = ["밴드계정", "멤버십결제", "마이박스보안"]


def test_normalisation_is_nfc_whitespace_and_case():
    decomposed = "\u1106\u1161\u110b\u1175\u1107\u1161\u11a8\u1109\u1173"  # 마이박스 as jamo
    assert predict(decomposed, ["마이박스"]) == "마이박스"
    assert predict("  mybox\t결제 \n", ["MYBOX 결제"]) == "MYBOX 결제"
    assert predict("정답은 '밴드계정'입니다.", LABELS) == OUTSIDE
    assert normalise("A\u00a0B") == "a b"


def test_hand_computed_confusion_matrix_with_outside_answers_and_an_absent_class():
    expected = ["밴드계정", "밴드계정", "밴드계정", "멤버십결제", "멤버십결제", "밴드계정"]
    answers = ["밴드계정", "멤버십결제", "정답은 밴드계정", "멤버십결제", " 멤버십결제 ", None]
    scores = score_classification(expected, answers, LABELS)
    # 5 answered rows: 밴드계정 → 밴드계정, 멤버십결제, OUTSIDE; 멤버십결제 → 멤버십결제 ×2
    data = scores.to_dict()
    assert data["confusion"]["columns"] == [*LABELS, OUTSIDE]
    assert data["confusion"]["counts"] == [[1, 1, 0, 1], [0, 2, 0, 0], [0, 0, 0, 0]]
    assert (data["correct"], data["answered"], data["accuracy"], data["outside_label_set"]) == (3, 5, 0.6, 1)
    by = {c["label"]: c for c in data["classes"]}
    assert by["밴드계정"] == {"label": "밴드계정", "support": 3, "predicted": 1, "correct": 1,
                           "precision": 1.0, "recall": round(1 / 3, 4), "f1": 0.5}
    assert by["멤버십결제"]["precision"] == round(2 / 3, 4) and by["멤버십결제"]["recall"] == 1.0
    assert by["멤버십결제"]["f1"] == 0.8
    # 마이박스보안 is in the label set but not in the test set: no support, no recall, no F1
    assert by["마이박스보안"] == {"label": "마이박스보안", "support": 0, "predicted": 0, "correct": 0,
                             "precision": None, "recall": None, "f1": None}


def test_an_expected_value_outside_the_given_labels_gets_its_own_row():
    scores = score_classification(["새라벨", "밴드계정"], ["새라벨", "밴드계정"], LABELS)
    assert scores.labels[-1] == "새라벨" and scores.accuracy == 1.0


@pytest.mark.parametrize(("b", "c", "p"), [(0, 0, 1.0), (1, 0, 1.0), (5, 0, 0.0625), (10, 2, 0.03857421875),
                                           (24, 0, 2 / 2**24), (7, 7, 1.0)])
def test_mcnemar_exact_matches_hand_computed_binomial_tails(b, c, p):
    assert math.isclose(mcnemar_p(b, c), p, rel_tol=1e-12)
    assert mcnemar_p(b, c) == mcnemar_p(c, b)


def test_comparison_counts_discordant_pairs_on_the_same_rows():
    tuned = {0: True, 1: True, 2: False, 3: True, 4: True}
    base = {0: False, 1: True, 2: True, 3: False, 5: True}  # row 4/5 answered by one side only
    result = compare(tuned, base, "model:X")
    assert (result.rows, result.only_tuned, result.only_baseline) == (4, 2, 1)
    assert result.delta == 0.25 and result.p_value == 1.0


def test_chrf():
    assert chrf("같은 문장", "같은 문장") == 100.0
    assert chrf("전혀", "다른") == 0.0
    partial = chrf("네이버 밴드 계정", "네이버 밴드 오류")
    assert 0 < partial < 100
    assert chrf("네이버밴드계정", "네이버 밴드 계정") == 100.0  # whitespace is not a character n-gram
    assert corpus_chrf([]) is None and corpus_chrf([("a", "a"), ("b", "b")]) == 100.0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(LABELS + ["기타"]),
                          st.one_of(st.none(), st.sampled_from(LABELS + ["모름", " 밴드계정 "]))), max_size=60))
def test_supports_sum_to_the_answered_rows_and_the_matrix_to_every_row(pairs):
    expected = [e for e, _ in pairs]
    answers = [a for _, a in pairs]
    scores = score_classification(expected, answers, LABELS)
    answered = sum(a is not None for a in answers)
    assert sum(c.support for c in scores.classes) == answered
    assert sum(c.predicted for c in scores.classes) + scores.outside == answered
    counts = scores.to_dict()["confusion"]["counts"]
    assert sum(map(sum, counts)) == answered
    assert sum(counts[i][i] for i in range(len(scores.labels))) == scores.correct
