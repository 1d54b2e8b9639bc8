"""The quality rules' building blocks, against slow obvious references; and the CLI switches."""

from __future__ import annotations

import json
import os
import re
import unicodedata

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from cli_inprocess import run_cli as run  # the CLI, in this process
from hypothesis import given, settings
from hypothesis import strategies as st

from gx_clova.rules import conversations, quality
from gx_clova.rules.label_quality import label_key
from gx_clova.rules.unicode import candidates_pattern, python_class

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TRICKY = list("가한글aé ,-.@0159") + ["\u1100", "\u1161", "\u11ab", "\u0301", "\u0308", "\u212b", "\uff10", "\uff21",
                                   "\u3131", "\u200b", "\ufffd", "\x07", "\u0660", "\u0967", "\u09be", "\u09c7",
                                   "\uf900", "\u0344", "\u1b35", "\u3099"]
TEXTS = st.one_of(st.text(max_size=12), st.lists(st.sampled_from(TRICKY), max_size=12).map("".join))


@settings(max_examples=400, deadline=None)
@given(text=TEXTS)
def test_a_text_the_prefilter_passes_over_is_already_normalised(text):
    for form in ("NFC", "NFKC"):
        if not unicodedata.is_normalized(form, text):
            assert re.search(python_class(form), text), (form, text)


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(TEXTS, min_size=1, max_size=20))
def test_the_re2_prefilters_flag_every_cell_python_would(texts):
    """The Arrow scan (RE2) must flag at least every cell the exact Python checks would."""
    array = pa.array(texts, pa.string())
    flagged = pc.match_substring_regex(array, quality.prefilter()).to_pylist()
    nfc = pc.match_substring_regex(array, candidates_pattern("NFC")).to_pylist()
    for text, hit, nfc_hit in zip(texts, flagged, nfc):
        if quality.inspect(text):
            assert hit, text
        assert nfc_hit == bool(re.search(python_class("NFC"), text)), text


def _prefix_reference(c_ids: list[str], content: list[tuple]) -> list[tuple]:
    """A row's identity, the slow way: its whole conversation up to and including it."""
    out, history = [], []
    for i, (c_id, row) in enumerate(zip(c_ids, content)):
        if i == 0 or c_ids[i - 1] != c_id:
            history = []
        history = history + [row]
        out.append(tuple(history))
    return out


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from("0123"), st.sampled_from("ab"), st.sampled_from("xy")), max_size=30))
def test_prefix_ids_are_exactly_the_conversation_histories(rows):
    c_ids = [r[0] for r in rows]
    table = pa.table({"C_ID": pa.array(c_ids, pa.string()), "Text": pa.array([r[1] for r in rows], pa.string()),
                      "Completion": pa.array([r[2] for r in rows], pa.string())})
    ids = conversations.prefix_ids(table).tolist()
    reference = _prefix_reference(c_ids, [r[1:] for r in rows])
    for i in range(len(rows)):
        for j in range(len(rows)):
            same = reference[i] == reference[j]
            assert same == (ids[i] == ids[j] and (ids[i] >= 0 or i == j)), (i, j, rows)


def test_masks_keep_only_what_identifies_nothing():
    assert quality.mask_phone("010-1234-5678") == "010-****-5678"
    assert quality.mask_phone("0212345678") == "02****5678"
    assert quality.mask_resident_number("900101-1234567") == "******-*******"
    assert quality.mask_email("hong.gildong@example.com") == "h***@example.com"


def test_label_variants_are_the_same_word_apart_from_spacing_case_and_width():
    assert label_key("MYBOX결제") == label_key("mybox 결제") == label_key("ＭＹＢＯＸ결제")
    assert label_key("밴드계정") != label_key("밴드보안")


# -- the command line --------------------------------------------------------------------------------
@pytest.fixture()
def warned_only(tmp_path):
    """150 valid rows; two repeat each other, one holds a phone number: warnings, no error."""
    rows = ["C_ID,T_ID,Text,Completion"] + [f"{i},0,질문 {i},답변 {i}" for i in range(148)]
    rows += ["148,0,질문 0,답변 0", "149,0,연락처는 010-1234-5678 입니다,네"]
    path = tmp_path / "train.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_warnings_pass_and_strict_or_error_code_makes_them_fail(warned_only, tmp_path):
    plain = run("validate", str(warned_only), "--format", "json")
    assert plain.returncode == 0, plain.stderr
    report = json.loads(plain.stdout)
    severities = {f["code"]: f["severity"] for f in report["failures"]}
    assert severities["duplicate.row"] == severities["pii.phone-number"] == "warning"
    assert "010-1234-5678" not in plain.stdout, "personal data must be masked"

    one = run("validate", str(warned_only), "--format", "json", "--error", "duplicate.row")
    assert one.returncode == 1
    report = json.loads(one.stdout)
    severities = {f["code"]: f["severity"] for f in report["failures"]}
    assert severities == {**severities, "duplicate.row": "error", "pii.phone-number": "warning"}
    assert report["escalated"] == ["duplicate.row"]

    strict = run("validate", str(warned_only), "--strict")
    assert strict.returncode == 1
    assert "✗ duplicate.row" in strict.stdout and "✗ pii.phone-number" in strict.stdout

    unknown = run("validate", str(warned_only), "--error", "duplicate.rows")
    assert unknown.returncode == 2 and "duplicate.rows" in unknown.stderr


def test_eval_file_overlap_is_reported_on_training_lines(warned_only, tmp_path):
    eval_file = tmp_path / "test.jsonl"
    eval_file.write_text(json.dumps({"Text": " 질문   7", "Completion": "답변 7"}, ensure_ascii=False) + "\n"
                         + json.dumps({"Text": "새 질문", "Completion": "새 답"}, ensure_ascii=False) + "\n",
                         encoding="utf-8")
    result = run("validate", str(warned_only), "--eval-file", str(eval_file), "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    leak = next(f for f in report["failures"] if f["code"] == "leakage.eval-overlap")
    assert leak["lines"] == [9] and leak["severity"] == "warning"
    assert "evaluation line 1" in leak["details"]["problems"][0]
    assert report["eval"]["eval_rows"] == 2

    no_text = tmp_path / "labels.csv"
    no_text.write_text("id,label\n1,a\n", encoding="utf-8")
    assert run("validate", str(warned_only), "--eval-file", str(no_text)).returncode == 2
    assert run("validate", str(warned_only), "--eval-file", str(tmp_path / "missing.csv")).returncode == 3


def test_data_docs_show_personal_data_masked(warned_only, tmp_path):
    docs = tmp_path / "docs"
    result = run("validate", str(warned_only), "--docs", str(docs))
    assert result.returncode == 0, result.stderr
    html = "\n".join(p.read_text(encoding="utf-8") for p in docs.rglob("*.html"))
    assert "010-****-5678" in html
    assert "010-1234-5678" not in html


def test_the_stored_candidate_ranges_are_the_derived_ones():
    """gx_clova/data/unicode-candidates.json spares every run the derivation; it must not drift
    (regenerate with python -m gx_clova.rules.unicode)."""
    from gx_clova.rules import unicode

    with open(unicode.STORED, encoding="utf-8") as handle:
        stored = json.load(handle)
    assert stored["unidata_version"] == unicodedata.unidata_version
    for form in unicode.FORMS:
        assert [tuple(r) for r in stored[form]] == list(unicode.derive(form)), form
        assert unicode._candidates(form) == unicode.derive(form)
