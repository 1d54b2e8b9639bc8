"""Generate a realistic, deterministic CLOVA Studio instruction dataset for benchmarks.

Multi-turn Korean conversations with the columns ``System_Prompt, C_ID, T_ID, Text, Completion``:
1-6 turns per conversation, the same system prompt on every row of a conversation, newlines,
commas and double quotes inside some cells, most rows a few hundred characters and a thin tail of
rows just under the 8,000-character limit. One million rows make about 1.3 GB of CSV.

    .venv/bin/python bench/generate.py --rows 1000000 --out bench/data/bench-1m.csv
    .venv/bin/python bench/generate.py --rows 100000 --format jsonl --out bench/data/bench-100k.jsonl
    .venv/bin/python bench/generate.py --rows 100000 --faults --out bench/data/faulty-100k.csv

Speed: cells are slices of two large pre-built text pools (plain prose, and prose with paragraph
breaks and lists) taken at unique random offsets, so cells do not repeat; rows are serialised in
chunks of 50,000 with the csv module and written as one encoded block each.

``--faults`` injects known violations and writes ``<out>.faults.json`` with the physical line on
which each faulty record starts (CSV header = line 1; JSONL line = line).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import time

import numpy as np

SEED = 20240611
HEADER = ["System_Prompt", "C_ID", "T_ID", "Text", "Completion"]
MAX_ROW_CHARS = 8000
CHUNK_ROWS = 50_000
#: Conversation lengths 1..6 and their probabilities.
TURN_P = np.array([0.30, 0.22, 0.18, 0.13, 0.10, 0.07])
#: Share of rows in the long tail (Text + Completion between LONG_MIN and MAX_ROW_CHARS - 10).
LONG_SHARE = 0.004
LONG_MIN = 6000
#: Share of cells drawn from the pool with paragraph breaks (quoted newlines in CSV).
MULTILINE_TEXT = 0.04
MULTILINE_COMPLETION = 0.20
N_SYSTEM_PROMPTS = 400

WORDS = (
    "안녕하세요 고객 문의 배송 환불 교환 주문 결제 취소 확인 요청 답변 상담 상품 가격 할인 쿠폰 적립금 회원 가입 "
    "비밀번호 변경 로그인 오류 문제 해결 방법 안내 절차 서류 제출 기간 이내 이후 다음 이전 오늘 내일 어제 주말 평일 "
    "시간 분 정도 가능 불가능 필요 경우 대해 관련 내용 정보 자세히 설명 요약 정리 번역 작성 검토 수정 추가 삭제 "
    "데이터 학습 모델 튜닝 성능 평가 결과 정확도 분류 라벨 생성 문장 단어 문서 기사 보고서 회의 일정 계획 목표 "
    "서울 부산 대구 인천 광주 대전 지역 매장 지점 본사 고객센터 담당자 직원 팀장 회사 서비스 제품 기능 업데이트 "
    "앱 웹사이트 화면 버튼 메뉴 설정 알림 메시지 이메일 전화 문자 카카오톡 네이버 검색 지도 예약 방문 "
    "감사합니다 죄송합니다 알겠습니다 부탁드립니다 확인하겠습니다 도와드리겠습니다 말씀해 주세요 "
    "그리고 그러나 하지만 또한 따라서 그래서 먼저 마지막으로 예를 들어 즉 특히 일반적으로 보통 반드시 "
    "합니다 했습니다 있습니다 없습니다 됩니다 되었습니다 하세요 주세요 할까요 인가요 일까요 "
    "이 그 저 것 수 등 및 더 매우 아주 조금 많이 빨리 천천히 정확하게 간단하게 "
    "은 는 이 가 을 를 에 에서 으로 로 와 과 의 도 만 까지 부터 에게 한테"
).split()

CHO = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
# Initial/medial/final indices that make common-looking syllables.
COMMON_CHO = [0, 2, 3, 5, 6, 7, 9, 11, 12, 14, 15, 16, 17, 18]
COMMON_JUNG = [0, 1, 4, 5, 8, 12, 13, 17, 18, 20]
COMMON_JONG = [0, 0, 0, 0, 1, 4, 8, 16, 17, 21]
ASCII_TOKENS = ["API", "CLOVA", "Studio", "HCX-003", "JSON", "CSV", "URL", "ID", "OK", "PDF", "2024년", "3월",
                "10%", "1,000원", "24시간", "5분", "v2", "AI", "Q&A", "FAQ"]


def _syllable(rng: np.random.Generator) -> str:
    c = COMMON_CHO[rng.integers(len(COMMON_CHO))]
    j = COMMON_JUNG[rng.integers(len(COMMON_JUNG))]
    t = COMMON_JONG[rng.integers(len(COMMON_JONG))]
    return chr(0xAC00 + (c * 21 + j) * 28 + t)


def vocabulary(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Tokens (each with its trailing separator) and their sampling weights."""
    invented = ["".join(_syllable(rng) for _ in range(rng.integers(1, 5))) for _ in range(1500)]
    words = WORDS + invented + ASCII_TOKENS
    weights = np.concatenate([
        np.full(len(WORDS), 6.0),
        np.full(len(invented), 1.0),
        np.full(len(ASCII_TOKENS), 0.8),
    ])
    # Separators: mostly a space; commas, full stops, questions and quoted words now and then.
    tokens, token_w = [], []
    for word, w in zip(words, weights):
        for fmt, share in (("{} ", 0.81), ("{}, ", 0.08), ("{}. ", 0.07), ("{}? ", 0.02), ('"{}" ', 0.008),
                           ("'{}' ", 0.012)):
            tokens.append(fmt.format(word))
            token_w.append(w * share)
    p = np.asarray(token_w)
    return np.asarray(tokens, dtype=object), p / p.sum()


def build_pool(rng: np.random.Generator, tokens: np.ndarray, p: np.ndarray, chars: int, multiline: bool) -> str:
    """A long text: sentences of tokens; with ``multiline``, paragraph breaks and list items."""
    n = int(chars / 3.2) + 1
    picks = tokens[rng.choice(len(tokens), size=n, p=p)]
    if multiline:
        breaks = rng.random(n)
        picks = picks.copy()
        extra = np.where(breaks < 0.015, "\n", np.where(breaks < 0.025, "\n- ", np.where(breaks < 0.03, "\n\n", "")))
        picks = np.char.add(picks.astype(str), extra.astype(str)).astype(object)
    pool = "".join(picks.tolist())
    return pool[:chars]


def _lengths(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Text and Completion lengths: log-normal bodies, a thin tail just under the row limit."""
    text = np.clip(rng.lognormal(np.log(97), 0.7, n), 12, 3000).astype(np.int64)
    comp = np.clip(rng.lognormal(np.log(228), 0.75, n), 8, 6000).astype(np.int64)
    over = text + comp > MAX_ROW_CHARS - 10
    comp[over] = MAX_ROW_CHARS - 10 - text[over]
    long_rows = rng.random(n) < LONG_SHARE
    total = rng.integers(LONG_MIN, MAX_ROW_CHARS - 10, size=n)
    text_long = np.minimum(text, total // 4)
    text[long_rows] = text_long[long_rows]
    comp[long_rows] = (total - text_long)[long_rows]
    return text, comp


def conversation_ids(rng: np.random.Generator, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """C_ID and T_ID arrays for exactly ``rows`` rows (the last conversation may be cut short)."""
    turns = rng.choice(np.arange(1, 7), size=rows // 2 + 10, p=TURN_P)
    ends = np.cumsum(turns)
    k = int(np.searchsorted(ends, rows)) + 1
    turns = turns[:k]
    turns[-1] -= int(ends[k - 1]) - rows
    c_id = np.repeat(np.arange(k, dtype=np.int64), turns)
    starts = np.repeat(np.cumsum(turns) - turns, turns)
    t_id = np.arange(rows, dtype=np.int64) - starts
    return c_id, t_id


def plan_faults(c_id: np.ndarray, t_id: np.ndarray) -> dict[str, int]:
    """Zero-based row indices of the injected faults, spread over the file."""
    n = len(c_id)
    if n < 100:
        return {}
    firsts = np.flatnonzero(t_id == 0)
    jump_row = int(firsts[np.searchsorted(firsts, int(n * 0.6))]) if firsts[-1] >= n * 0.6 else int(firsts[-1])
    return {
        "text.empty": int(n * 0.15) + 3,
        "row.too-long": int(n * 0.4) + 7,
        "c_id.sequence": jump_row,
    }


class Writer:
    """CSV or JSONL rows to a binary file, tracking physical lines for the fault sidecar."""

    def __init__(self, handle, fmt: str) -> None:
        self.handle, self.fmt = handle, fmt
        self.lines = 0
        if fmt == "csv":
            self._write_text(",".join(HEADER) + "\n")

    def _write_text(self, text: str) -> None:
        self.lines += text.count("\n")
        self.handle.write(text.encode("utf-8"))

    def rows(self, sp, cid, tid, text, comp) -> None:
        if self.fmt == "csv":
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\n").writerows(zip(sp, cid, tid, text, comp))
            self._write_text(buf.getvalue())
        else:
            dumps = json.dumps
            self._write_text("".join(
                dumps({"System_Prompt": s, "C_ID": c, "T_ID": t, "Text": x, "Completion": y}, ensure_ascii=False)
                + "\n"
                for s, c, t, x, y in zip(sp, cid, tid, text, comp)
            ))


def generate(rows: int, out: str, fmt: str = "csv", faults: bool = False, seed: int = SEED, quiet: bool = False) -> dict:
    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    tokens, p = vocabulary(rng)
    # Each pool must hold 2 * rows distinct even offsets (below): it grows past 1M rows, and keeps
    # its size (and so the generated bytes) up to there.
    plain = build_pool(rng, tokens, p, max(24_000_000, 4 * rows + 2 * MAX_ROW_CHARS), multiline=False)
    para = build_pool(rng, tokens, p, max(6_000_000, 4 * rows + 2 * MAX_ROW_CHARS), multiline=True)
    prompts = [
        "당신은 " + plain[o:o + n].strip() + " 역할을 하는 AI 어시스턴트입니다. 친절하고 정확하게 답변하세요."
        for o, n in zip(rng.integers(0, 1_000_000, N_SYSTEM_PROMPTS), rng.integers(10, 110, N_SYSTEM_PROMPTS))
    ]

    c_id, t_id = conversation_ids(rng, rows)
    text_len, comp_len = _lengths(rng, rows)
    prompt_of_conv = rng.integers(0, N_SYSTEM_PROMPTS, int(c_id[-1]) + 1 if rows else 0)
    # Unique offsets: no two cells are the same slice, so no accidental duplicate rows.
    text_multi = rng.random(rows) < MULTILINE_TEXT
    comp_multi = rng.random(rows) < MULTILINE_COMPLETION
    # Unique even offsets: no two cells are the same slice, and two slices cannot strip to the
    # same text (that would need two whitespace characters in a row, which the plain pool lacks).
    # No accidental duplicate Text, no Completion that repeats its own row's Text.
    offsets = 2 * rng.choice((len(plain) - MAX_ROW_CHARS) // 2, size=2 * rows, replace=False)
    text_off, comp_off = offsets[:rows], offsets[rows:]
    para_offsets = 2 * rng.choice((len(para) - MAX_ROW_CHARS) // 2, size=2 * rows, replace=False)
    text_para, comp_para = para_offsets[:rows], para_offsets[rows:]

    fault_rows = plan_faults(c_id, t_id) if faults else {}
    if "c_id.sequence" in fault_rows:
        c_id = c_id.copy()
        c_id[fault_rows["c_id.sequence"]:] += 1  # conversation k is followed by k + 2
    fault_lines: dict[str, int] = {}
    by_row = {row: code for code, row in fault_rows.items()}

    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    tmp = out + ".part"
    with open(tmp, "wb", buffering=16 << 20) as handle:
        writer = Writer(handle, fmt)
        for lo in range(0, rows, CHUNK_ROWS):
            hi = min(rows, lo + CHUNK_ROWS)
            tl, cl = text_len[lo:hi].tolist(), comp_len[lo:hi].tolist()
            to, co = text_off[lo:hi].tolist(), comp_off[lo:hi].tolist()
            tp, cp = text_para[lo:hi].tolist(), comp_para[lo:hi].tolist()
            tm, cm = text_multi[lo:hi].tolist(), comp_multi[lo:hi].tolist()
            text = [(para[b:b + n] if m else plain[a:a + n]).strip() or "네"
                    for a, b, n, m in zip(to, tp, tl, tm)]
            comp = [(para[b:b + n] if m else plain[a:a + n]).strip() or "네"
                    for a, b, n, m in zip(co, cp, cl, cm)]
            cid = c_id[lo:hi].tolist()
            sp = [prompts[k] for k in prompt_of_conv[np.minimum(c_id[lo:hi], len(prompt_of_conv) - 1)].tolist()]
            tid = t_id[lo:hi].tolist()
            cuts = sorted(r for r in by_row if lo <= r < hi)
            for r in cuts:
                code = by_row[r]
                if code == "text.empty":
                    text[r - lo] = ""
                elif code == "row.too-long":
                    comp[r - lo] = plain[co[r - lo]:co[r - lo] + MAX_ROW_CHARS + 500 - len(text[r - lo])]
            start = lo
            for r in cuts:  # serialise up to the faulty row to learn its line
                writer.rows(sp[start - lo:r - lo], cid[start - lo:r - lo], tid[start - lo:r - lo],
                            text[start - lo:r - lo], comp[start - lo:r - lo])
                fault_lines[by_row[r]] = writer.lines + 1  # the next record starts here
                start = r
            writer.rows(sp[start - lo:], cid[start - lo:], tid[start - lo:], text[start - lo:], comp[start - lo:])
            if not quiet:
                print(f"\r{hi:,}/{rows:,} rows", end="", file=sys.stderr, flush=True)
    os.replace(tmp, out)
    size = os.path.getsize(out)
    info = {
        "path": out, "format": fmt, "rows": rows, "conversations": int(c_id[-1]) + 1 if rows else 0,
        "bytes": size, "seed": seed, "seconds": round(time.perf_counter() - started, 2),
        "faults": {code: {"row": fault_rows[code], "line": fault_lines.get(code)} for code in fault_rows},
    }
    if faults:
        with open(out + ".faults.json", "w", encoding="utf-8") as handle:
            json.dump(info, handle, indent=2)
    if not quiet:
        print(f"\r{rows:,} rows, {size / 1e9:.3f} GB in {info['seconds']} s -> {out}", file=sys.stderr)
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--out", default=None, help="default bench/data/bench-<rows>.<format>")
    parser.add_argument("--format", choices=["csv", "jsonl"], default="csv")
    parser.add_argument("--faults", action="store_true", help="inject known violations; write <out>.faults.json")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    out = args.out or default_path(args.rows, args.format, args.faults)
    info = generate(args.rows, out, args.format, args.faults, args.seed)
    print(json.dumps(info))
    return 0


def default_path(rows: int, fmt: str = "csv", faults: bool = False) -> str:
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.join(here, "data", f"bench-{rows}{'-faults' if faults else ''}.{fmt}")


if __name__ == "__main__":
    sys.exit(main())
