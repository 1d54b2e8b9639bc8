"""The answer cache survives a torn last line; the limiter paces under requests and tokens per minute."""

from __future__ import annotations

import json

from gx_clova.evaluate.cache import AnswerCache, cache_key
from gx_clova.evaluate.limits import Limit, RateLimiter, limit_for


def test_cache_keys_depend_on_target_and_exact_body():
    body = {"messages": [{"role": "user", "content": "질문"}], "maxTokens": 256}
    assert cache_key("task:t1", body) == cache_key("task:t1", dict(reversed(list(body.items()))))
    assert cache_key("task:t1", body) != cache_key("model:HCX-003", body)
    assert cache_key("task:t1", body) != cache_key("task:t1", {**body, "maxTokens": 255})


def test_a_torn_last_line_is_cut_and_the_rest_kept(tmp_path):
    path = tmp_path / "answers.jsonl"
    with AnswerCache(str(path)) as cache:
        cache.put("k1", {"target": "t", "content": "밴드계정"})
        cache.put("k2", {"target": "t", "content": "멤버십결제"})
    whole = path.read_bytes()
    path.write_bytes(whole + b'{"key": "k3", "content": "\xeb\xb0')  # killed mid-write
    with AnswerCache(str(path)) as cache:
        assert cache.repaired > 0 and len(cache) == 2
        assert cache.get("k2")["content"] == "멤버십결제" and cache.get("k3") is None
        cache.put("k3", {"target": "t", "content": "마이박스보안"})
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [r["key"] for r in lines] == ["k1", "k2", "k3"]


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_requests_are_spread_evenly_under_the_request_limit():
    clock = Clock()
    limiter = RateLimiter(Limit(120, 10**9), clock=clock, sleep=clock.sleep)
    for _ in range(121):
        limiter.acquire(10)
    assert abs(clock.now - 60.0) < 1e-9  # 120 per minute: the 121st starts at 60 s


def test_tokens_per_minute_bind_and_settle_to_the_real_usage():
    clock = Clock()
    limiter = RateLimiter(Limit(10**6, 6_000), clock=clock, sleep=clock.sleep)  # 100 tokens/s
    for _ in range(10):
        limiter.acquire(200)
        limiter.settle(200, 200)
    assert clock.now == 17.0  # the 10th starts when 9 × 200 tokens at 100/s are paid back, less a 1 s burst
    clock.now = 100.0
    limiter.acquire(500)
    limiter.settle(500, 100)  # the answer was shorter than reserved: the difference comes back
    start = clock.now
    limiter.acquire(100)
    assert clock.now - start <= 1.0


def test_the_table_and_overrides():
    assert limit_for("HCX-005") == Limit(60, 60_000)
    assert limit_for("hcx-dash-002") == Limit(90, 80_000)
    assert limit_for("HCX-003", rpm=10) == Limit(10, 30_000)
    assert limit_for("HCX-UNKNOWN") == Limit(60, 30_000)
