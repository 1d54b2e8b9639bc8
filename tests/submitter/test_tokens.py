"""``gx-clova tokens`` against the emulator's tokenizer: per-row counts, cache, batching, estimate."""

from __future__ import annotations

import json
import sys

import pytest

from gx_clova.cli import main
from gx_clova.tokens.count import RateLimit, estimate

fake_tokenizer = sys.modules["gx_clova_testhelper_fake_tokenizer"]  # loaded by this folder's conftest
SYSTEM = "너는 친절한 여행 상담원이다."
ROWS = [  # C_ID, T_ID, Text, Completion
    (0, 0, "제주도 3월 날씨는?", "평균 기온은 10도 안팎입니다."),
    (0, 1, "옷은 뭘 챙길까?", "가벼운 외투를 챙기세요."),
    (1, 0, "What is 2+2?", "4"),
    (2, 0, "부산 여행지 추천", "해운대와 감천문화마을을 추천합니다."),
    (2, 1, "맛집은?", "돼지국밥이 유명합니다."),
    (2, 2, "교통은?", "지하철이 편리합니다."),
]


def write(path, rows=ROWS, system=SYSTEM):
    lines = ["System_Prompt,C_ID,T_ID,Text,Completion"]
    lines += [f'"{system}",{c},{t},"{text}","{answer}"' for c, t, text, answer in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def rule(content: str) -> int:
    return fake_tokenizer.OVERHEAD + fake_tokenizer.count(content)


def expected_per_row(rows=ROWS, system=SYSTEM):
    """(line, tokens, input tokens) by the emulator's documented rule, computed independently."""
    out, history, previous = [], 0, None
    for line, (c, _, text, answer) in enumerate(rows, 2):
        if c != previous:
            history, previous = 0, c
        given = rule(system) + history + rule(text)
        out.append({"line": line, "tokens": given + rule(answer), "input_tokens": given})
        history += rule(text) + rule(answer)
    return out


def tokens(capsys, *argv):
    capsys.readouterr()
    code = main(["tokens", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_per_row_counts_come_from_the_tokenizer(capsys, tmp_path, tokenizer):
    dataset = write(tmp_path / "train.csv")
    code, out, err = tokens(capsys, dataset, "--model", "HCX-003", "--cache-dir", tmp_path / "cache",
                            "--format", "json", "--per-row", "--epochs", "3", "--price-per-1k-tokens", "2.5")
    assert code == 0, err
    plan = json.loads(out)
    assert plan["method"] == "api" and plan["estimate"] is False
    assert plan["per_row"] == expected_per_row()
    per_epoch = sum(r["tokens"] for r in expected_per_row())
    assert plan["tokens_per_epoch"] == per_epoch and plan["total_tokens"] == 3 * per_epoch
    assert plan["cost"] == {"price_per_1k_tokens": 2.5, "estimated_cost": 3 * per_epoch / 1000 * 2.5}
    values = sorted(r["tokens"] for r in expected_per_row())
    assert plan["distribution"] == {"median": values[2], "p99": values[-1], "max": values[-1]}
    assert {path for _, path, _ in tokenizer.requests} == {"/v1/api-tools/chat-tokenize/HCX-003"}
    distinct = {SYSTEM} | {r[2] for r in ROWS} | {r[3] for r in ROWS}
    assert sum(n for *_, n in tokenizer.requests) == len(distinct)  # every message asked once


def test_a_second_run_sends_nothing_and_a_changed_row_sends_only_itself(capsys, tmp_path, tokenizer):
    dataset = write(tmp_path / "train.csv")
    argv = (dataset, "--model", "HCX-003", "--cache-dir", tmp_path / "cache", "--format", "json", "--per-row")
    first = json.loads(tokens(capsys, *argv)[1])
    sent = len(tokenizer.requests)
    assert sent >= 1
    second = json.loads(tokens(capsys, *argv)[1])
    assert len(tokenizer.requests) == sent and second["requests"] == 0  # zero new requests
    assert second["per_row"] == first["per_row"]
    changed = list(ROWS)
    changed[2] = (1, 0, "What is 3+3?", "4")
    write(dataset, changed)
    third = json.loads(tokens(capsys, *argv)[1])
    assert third["requests"] == 1 and tokenizer.requests[-1][2] == 1
    assert third["per_row"] == expected_per_row(changed)
    cache_file = tmp_path / "cache" / "tokens.sqlite3"
    assert "제주도".encode() not in cache_file.read_bytes()  # hashes and counts only, no text


def test_batches_respect_the_size_and_the_rate_limit(capsys, tmp_path, tokenizer):
    rows = [(i, 0, f"질문 {i}", f"답변 {i}") for i in range(12)]
    dataset = write(tmp_path / "train.csv", rows)
    code, out, _ = tokens(capsys, dataset, "--model", "HCX-DASH-001", "--no-cache", "--batch-size", "5",
                          "--requests-per-minute", "300", "--format", "json", "--per-row")
    assert code == 0
    assert json.loads(out)["per_row"] == expected_per_row(rows)
    sizes = [n for *_, n in tokenizer.requests]
    assert sizes == [5, 5, 5, 5, 5] and sum(sizes) == 25  # 24 distinct texts + the system prompt
    times = [t for t, *_ in tokenizer.requests]
    # 300 per minute: one every 0.2 s. Arrival times at the server jitter on a loaded machine (one
    # request held back makes the next gap short), so the whole span is what the limiter must hold.
    assert times[-1] - times[0] >= 0.2 * (len(times) - 1) * 0.75, times


def test_the_rate_limit_spreads_requests():
    now = [0.0]
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    limit = RateLimit(120, clock=lambda: now[0], sleep=sleep)
    for _ in range(4):
        limit.wait()
    assert slept == [0.5, 0.5, 0.5]


def test_v3_models_use_the_v3_endpoint(capsys, tmp_path, tokenizer):
    dataset = write(tmp_path / "train.csv")
    code, out, _ = tokens(capsys, dataset, "--model", "HCX-005", "--no-cache", "--format", "json", "--per-row")
    assert code == 0 and json.loads(out)["per_row"] == expected_per_row()
    assert {path for _, path, _ in tokenizer.requests} == {"/v3/api-tools/chat-tokenize/HCX-005"}


def test_rows_over_the_input_window_are_listed_with_their_lines(capsys, tmp_path, tokenizer):
    long_text = "가" * 3_600  # 3,600 tokens by the rule: over HCX-DASH-001's 3,500 input tokens
    rows = [(0, 0, "짧은 질문", "짧은 답"), (1, 0, long_text, "답"), (2, 0, "질문", "답")]
    dataset = write(tmp_path / "train.csv", rows)
    code, out, _ = tokens(capsys, dataset, "--model", "HCX-DASH-001", "--no-cache")
    assert code == 1
    assert "1 row(s) exceed the window; CLOVA Studio would drop or truncate them" in out
    assert f"line 3: {expected_per_row(rows)[1]['tokens']:,} tokens" in out
    code, out, _ = tokens(capsys, dataset, "--model", "HCX-003", "--no-cache")
    assert code == 0 and "every row fits the window" in out


def test_without_a_key_every_output_is_labelled_an_estimate(capsys, tmp_path, tokenizer, monkeypatch):
    monkeypatch.delenv("CLOVASTUDIO_API_KEY")
    dataset = write(tmp_path / "train.csv")
    code, out, err = tokens(capsys, dataset, "--model", "HCX-003", "--price-per-1k-tokens", "1")
    assert code == 0 and "ESTIMATE" in err
    numbered = [line for line in out.splitlines() if any(ch.isdigit() for ch in line) and "window:" not in line]
    assert numbered and all("ESTIMATE" in line for line in numbered), out
    code, out, _ = tokens(capsys, dataset, "--model", "HCX-003", "--format", "json", "--per-row")
    plan = json.loads(out)
    assert plan["method"] == "estimate" and plan["estimate"] is True and plan["requests"] == 0
    first = plan["per_row"][0]
    assert first["input_tokens"] == estimate("system", SYSTEM) + estimate("user", ROWS[0][2])
    assert tokenizer.requests == []


def test_offline_flag_estimates_even_with_a_key(capsys, tmp_path, tokenizer):
    code, out, _ = tokens(capsys, write(tmp_path / "t.csv"), "--model", "HCX-003", "--offline", "--format", "json")
    assert code == 0 and json.loads(out)["method"] == "estimate" and tokenizer.requests == []


def test_throttling_is_retried(capsys, tmp_path, tokenizer, studio):
    studio.fail_next(429, "42901", method="POST", times=2)
    code, out, err = tokens(capsys, write(tmp_path / "t.csv"), "--model", "HCX-003", "--no-cache",
                            "--format", "json", "--per-row")
    assert code == 0, err
    assert json.loads(out)["per_row"] == expected_per_row() and "retry" in err


@pytest.mark.parametrize(("argv", "status", "message"), [
    (("--model", "HCX-999"), 2, "--model must be one of"),
    (("--model", "HCX-003", "--epochs", "0"), 2, "--epochs must be at least 1"),
    (("--model", "HCX-003", "--price-per-1k-tokens", "-1"), 2, "--price-per-1k-tokens must be a positive"),
    (("--model", "HCX-003", "--requests-per-minute", "0"), 2, "--requests-per-minute must be a positive"),
])
def test_usage_errors(capsys, tmp_path, tokenizer, argv, status, message):
    code, _, err = tokens(capsys, write(tmp_path / "t.csv"), *argv)
    assert code == status and message in err and "Traceback" not in err
    assert tokenizer.requests == []


def test_unreadable_and_refused(capsys, tmp_path, tokenizer, monkeypatch, secrets):
    code, _, err = tokens(capsys, tmp_path / "missing.csv", "--model", "HCX-003")
    assert code == 3 and "cannot read the dataset" in err
    shapeless = tmp_path / "shapeless.csv"
    shapeless.write_text("a,b\n1,2\n", encoding="utf-8")
    code, _, err = tokens(capsys, shapeless, "--model", "HCX-003")
    assert code == 1 and "run gx-clova validate first" in err
    monkeypatch.setenv("CLOVASTUDIO_API_KEY", "nv-WRONGKEY1234567890abcd")
    code, out, err = tokens(capsys, write(tmp_path / "t.csv"), "--model", "HCX-003", "--no-cache")
    assert code == 3 and "refused the credentials" in err
    assert not any(s in out + err for s in (*secrets, "nv-WRONGKEY1234567890abcd"))


def test_an_unusable_cache_folder_is_a_clear_error(capsys, tmp_path, tokenizer):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    code, _, err = tokens(capsys, write(tmp_path / "t.csv"), "--model", "HCX-003", "--cache-dir", blocker)
    assert code == 3 and "cannot use the token cache" in err and "Traceback" not in err


@pytest.mark.parametrize("status", [502, 504])
def test_a_lost_tokenizer_answer_is_retried_not_ambiguous(capsys, tmp_path, tokenizer, studio, status):
    studio.fail_next(status, str(status * 100), method="POST")
    code, out, err = tokens(capsys, write(tmp_path / "t.csv"), "--model", "HCX-003", "--no-cache",
                            "--format", "json", "--per-row")
    assert code == 0, err
    assert json.loads(out)["per_row"] == expected_per_row() and "may or may not" not in err
