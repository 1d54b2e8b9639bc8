"""``gx-clova split``: every record in exactly one output, conversations whole, stratified, refusals."""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from gx_clova.cli import main
from gx_clova.split import allocate

HERE = Path(__file__).resolve().parent


sys.path.insert(0, str(HERE / "evaluate"))
import inquiries  # noqa: E402 - the cookbook-like dataset generator, shared with tests/evaluate


def read(path: Path) -> list[dict[str, str]]:
    if path.suffix == ".jsonl":
        return [
            {k: str(v) for k, v in json.loads(line).items()} for line in path.read_text(encoding="utf-8").splitlines()
        ]
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def multi_turn(path: Path, conversations: int = 150) -> Path:
    """A generation dataset whose conversations have 1-4 turns and their own System_Prompt."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["System_Prompt", "C_ID", "T_ID", "Text", "Completion"])
        for c in range(conversations):
            for t in range(1 + c % 4):
                writer.writerow([f"상담원 {c % 7}", c, t, f'질문 {c}-{t}, "따옴표"와 쉼표', f"답변 {c}-{t}\n둘째 줄"])
    return path


def split(*args: str, capsys=None) -> tuple[int, str, str]:
    code = main(["split", *map(str, args)])
    out, err = capsys.readouterr() if capsys else ("", "")
    return code, out, err


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_record_lands_in_exactly_one_output_and_conversations_stay_whole(tmp_path, capsys):
    source = multi_turn(tmp_path / "chat.csv")
    before = sha(source)
    code, out, err = split(source, "--test-size", "0.2", "--seed", "3", capsys=capsys)
    assert code == 0, err
    train, test = read(tmp_path / "chat.train.csv"), read(tmp_path / "chat.test.csv")
    original = read(source)
    key = lambda r: (r["System_Prompt"], r["T_ID"], r["Text"], r["Completion"])  # noqa: E731
    assert Counter(map(key, train)) + Counter(map(key, test)) == Counter(map(key, original))
    assert len(train) + len(test) == len(original)
    # A conversation is identified by its texts ("질문 c-t"): all its turns are in one output, in order.
    for part in (train, test):
        by_new_id: dict[str, list[dict]] = {}
        for row in part:
            by_new_id.setdefault(row["C_ID"], []).append(row)
        for turns in by_new_id.values():
            olds = {r["Text"].split("-")[0] for r in turns}
            assert len(olds) == 1
            assert [r["T_ID"] for r in turns] == [str(t) for t in range(len(turns))]
    test_conversations = {r["Text"].split("-")[0] for r in test}
    assert not test_conversations & {r["Text"].split("-")[0] for r in train}
    assert len(test_conversations) == 30  # 20 % of 150
    # renumbered: C_ID 0.. contiguous in each output
    for part in (train, test):
        ids = [int(r["C_ID"]) for r in part]
        assert ids[0] == 0 and all(b - a in (0, 1) for a, b in zip(ids, ids[1:], strict=False))
    assert sha(source) == before
    assert "train: " in out and "test: " in out


def test_the_same_seed_gives_the_same_split_and_another_seed_another(tmp_path, capsys):
    source = multi_turn(tmp_path / "chat.csv")
    outs = []
    for seed, name in (("1", "a"), ("1", "b"), ("2", "c")):
        code, _, err = split(
            source,
            "--seed",
            seed,
            "--test-out",
            tmp_path / f"{name}.test.csv",
            "--train-out",
            tmp_path / f"{name}.train.csv",
            capsys=capsys,
        )
        assert code == 0, err
        outs.append(sha(tmp_path / f"{name}.test.csv"))
    assert outs[0] == outs[1] != outs[2]


def test_classification_is_stratified_and_both_outputs_validate(tmp_path, capsys):
    from gx_clova.validation import validate

    counts = {label: 212 + 4 * i for i, label in enumerate(inquiries.LABELS[:5])}
    source = inquiries.write(tmp_path / "cls.csv", counts)
    total = sum(counts.values())
    code, out, err = split(source, "--task", "classification", "--test-size", "50", "--format", "json", capsys=capsys)
    assert code == 0, err
    summary = json.loads(out)
    test = Counter(r["Completion"] for r in read(tmp_path / "cls.test.csv"))
    assert sum(test.values()) == 50
    for label, n in counts.items():
        assert abs(test[label] - 50 * n / total) < 1, (label, test[label])
        assert summary["labels"][label] == {"train": n - test[label], "test": test[label]}
    # the test file has fewer than 100 rows (rows.too-few) and 10 rows per label: only the training
    # file is a tuning file; both must be well-formed CLOVA files otherwise.
    train_report = validate(str(tmp_path / "cls.train.csv"), task="classification")
    assert train_report.success, train_report.to_dict()["failures"]
    test_report = validate(str(tmp_path / "cls.test.csv"), task="generation")
    assert {f["code"] for f in test_report.to_dict()["failures"] if f["severity"] == "error"} == {"rows.too-few"}


def test_jsonl_keeps_its_format_and_header_spelling(tmp_path, capsys):
    source = tmp_path / "chat.jsonl"
    lines = [
        json.dumps(
            {"system_prompt": "s", "C_ID": c, "T_ID": t, "Text": f"q{c}.{t}", "Completion": "a"}, ensure_ascii=False
        )
        for c in range(120)
        for t in range(2)
    ]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = split(source, "--test-size", "20", capsys=capsys)
    assert code == 0, err
    test = [json.loads(line) for line in (tmp_path / "chat.test.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(test) == 40 and list(test[0]) == ["system_prompt", "C_ID", "T_ID", "Text", "Completion"]
    assert test[0]["C_ID"] == 0 and isinstance(test[1]["T_ID"], int)


def test_refuses_labels_under_200_training_rows_naming_them(tmp_path, capsys):
    counts = {label: 230 for label in inquiries.LABELS[:3]}
    counts[inquiries.LABELS[3]] = 205
    source = inquiries.write(tmp_path / "cls.csv", counts)
    code, _, err = split(source, "--task", "classification", "--test-size", "40", capsys=capsys)
    assert code == 1
    assert "class.too-few-rows" in err and f"{inquiries.LABELS[3]} (" in err
    assert all(label not in err for label in inquiries.LABELS[:3])
    assert not (tmp_path / "cls.train.csv").exists() and not (tmp_path / "cls.test.csv").exists()
    assert "Traceback" not in err


def test_validation_split_ratio_is_counted(tmp_path, capsys):
    source = inquiries.write(tmp_path / "cls.csv", {label: 230 for label in inquiries.LABELS[:2]})
    code, _, err = split(source, "--task", "classification", "--test-size", "20", capsys=capsys)
    assert code == 0, err  # 220 training rows per label
    code, _, err = split(
        source,
        "--task",
        "classification",
        "--test-size",
        "20",
        "--force",
        "--validation-split-ratio",
        "0.1",
        capsys=capsys,
    )
    assert code == 1  # 90 % of 220 = 198 < 200
    assert "validationSplitRatio 0.1" in err and "223" in err


def test_the_cookbooks_1000_training_rows_over_15_labels_are_refused_for_classification(tmp_path, capsys):
    source = inquiries.write(tmp_path / "cookbook.csv", 74, total=1_100)
    code, _, err = split(source, "--task", "classification", "--test-size", "100", capsys=capsys)
    assert code == 1
    assert all(label in err for label in inquiries.LABELS)


def test_usage_errors_and_outputs_never_replace_the_input(tmp_path, capsys):
    source = multi_turn(tmp_path / "chat.csv")
    before = sha(source)
    assert split(source, "--train-out", source, capsys=capsys)[0] == 2
    assert split(source, "--test-size", "0", capsys=capsys)[0] == 2
    assert split(source, "--test-size", "1.5", capsys=capsys)[0] == 2
    assert split(source, "--validation-split-ratio", "0.5", capsys=capsys)[0] == 2
    assert split(source, "--test-size", "150", capsys=capsys)[0] == 1  # nothing left to train on
    assert split(source, capsys=capsys)[0] == 0
    code, _, err = split(source, capsys=capsys)
    assert code == 2 and "--force" in err  # outputs exist
    assert (
        split(source, "--force", "--test-out", tmp_path / "x.csv", "--train-out", tmp_path / "x.csv", capsys=capsys)[0]
        == 2
    )
    assert split(tmp_path / "missing.csv", capsys=capsys)[0] == 3
    assert sha(source) == before


def test_a_file_with_records_the_reader_cannot_map_is_refused(tmp_path, capsys):
    source = multi_turn(tmp_path / "chat.csv")
    with open(source, "a", encoding="utf-8") as handle:
        handle.write("s,999,0,too,many,cells\n")
    code, _, err = split(source, capsys=capsys)
    assert code == 1 and "file.format" in err and "line " in err
    assert not (tmp_path / "chat.train.csv").exists()


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(1, 60), min_size=1, max_size=15), st.data())
def test_allocation_adds_up_and_stays_within_each_stratum(sizes, data):
    total = data.draw(st.integers(0, sum(sizes.values())))
    quota = allocate(sizes, total)
    assert sum(quota.values()) == total
    assert all(0 <= quota[k] <= sizes[k] for k in sizes)
    whole = sum(sizes.values())
    assert all(abs(quota[k] - total * sizes[k] / whole) < 1 + 1e-9 for k in sizes)
