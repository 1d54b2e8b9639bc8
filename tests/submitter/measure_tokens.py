"""Measure ``gx-clova tokens`` against the emulator: throughput, and the offline estimate's error.

Run from the repository root: ``.venv/bin/python tests/submitter/measure_tokens.py [DATASET ...]``
(default: the example datasets). For each dataset it prints rows/s of a cold run (every
message asked, rate limit lifted so the client and emulator are what is timed), a warm run
(every count from the cache), and the estimate's error against the emulator's counting rule:
per row (median and p95 of |estimate − rule| / rule) and in total.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE.parent))  # helper_modules


def main(paths: list[str]) -> None:
    from helper_modules import load

    from gx_clova.reading import read_dataset
    from gx_clova.sources import LocalSource
    from gx_clova.submitter.auth import BearerAuth
    from gx_clova.submitter.models import MODELS
    from gx_clova.tokens.count import Cache, Counter, RateLimit, TokenizerClient
    from gx_clova.tokens.plan import make_plan, rows_of

    fake_studio = load("fake_studio", HERE / "fake_studio.py")
    fake_tokenizer = load("fake_tokenizer", HERE / "fake_tokenizer.py")
    studio = fake_studio.StudioEmulator("nv-measure-key-000000", "a", "b", storage_host="127.0.0.1:1").start()
    tokenizer = fake_tokenizer.Tokenizer()
    studio.routes.append(tokenizer)
    model = MODELS["HCX-003"]
    client = TokenizerClient(studio.url, BearerAuth(studio.api_key))
    try:
        for path in paths:
            rows = rows_of(read_dataset(LocalSource(path)).table)
            with tempfile.TemporaryDirectory() as folder:
                cache = Cache(str(Path(folder) / "tokens.sqlite3"))
                timings = []
                for _ in ("cold", "warm"):
                    counter = Counter(model.name, client=client, path=model.tokenizer_path, cache=cache,
                                      rate=RateLimit(1e9))
                    start = time.perf_counter()
                    plan = make_plan(path, rows, counter, model, epochs=1)
                    timings.append((time.perf_counter() - start, counter.requests))
                cache.close()
            estimate = make_plan(path, rows, Counter(model.name, client=None, path="", cache=None), model, epochs=1)
            errors = [abs(e - r) / r for (_, e, _), (_, r, _) in zip(estimate.per_row, plan.per_row, strict=True)]
            total_error = (estimate.tokens_per_epoch - plan.tokens_per_epoch) / plan.tokens_per_epoch
            (cold, cold_requests), (warm, warm_requests) = timings
            print(f"{path}: {len(rows):,} rows, {plan.tokens_per_epoch:,} tokens by the emulator's rule")
            print(f"  cold: {len(rows) / cold:,.0f} rows/s ({cold:.2f} s, {cold_requests} requests); "
                  f"warm: {len(rows) / warm:,.0f} rows/s ({warm:.2f} s, {warm_requests} requests)")
            print(f"  estimate error per row: median {statistics.median(errors):.1%}, "
                  f"p95 {sorted(errors)[int(0.95 * (len(errors) - 1))]:.1%}; total {total_error:+.1%}")
    finally:
        studio.stop()


if __name__ == "__main__":
    main(sys.argv[1:] or [str(ROOT / "examples" / name) for name in ("generation.csv", "classification.csv")])
