"""``gx-clova tokens DATASET --model M``: tokens × epochs, their distribution, the rows that do not fit.

Exit status: 0 the plan is printed and every row fits the model; 1 some rows exceed its input
window (CLOVA Studio would drop or truncate them), or the dataset lacks the spec's columns;
2 usage error; 3 the dataset could not be read, or the tokenizer API failed.
Without ``CLOVASTUDIO_API_KEY`` (or with ``--offline``) the counts are an offline estimate,
and every output says so.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sqlite3
import sys
from typing import Any

from gx_clova import redact
from gx_clova.cli.exits import EXIT_USAGE, verdict
from gx_clova.cli.options import extend, result_format, studio_options
from gx_clova.errors import DatasetError, GxClovaError, SourceError, UsageError
from gx_clova.submitter.models import MODELS, known_models
from gx_clova.tokens.count import (
    CACHE_FILE,
    DEFAULT_BATCH_SIZE,
    Cache,
    Counter,
    describe_method,
)

#: Rows over the window shown in the text output (JSON lists them all).
SHOWN_ROWS = 20


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "tokens", help="count a dataset's tokens: total x epochs, distribution, rows over the model's window",
        description="Count the tokens of every row (System_Prompt + the conversation so far + Completion) with "
                    "CLOVA Studio's tokenizer API, or estimate them offline without an API key; report the total "
                    "x epochs, median/p99/max, the rows that exceed the model's input window and, with a price, "
                    "the cost.")
    p.add_argument("source", metavar="DATASET", help="a .csv/.jsonl dataset, local or s3://bucket/key")
    p.add_argument("--model", required=True, help=f"one of {known_models()}")
    p.add_argument("--epochs", type=int, default=8, help="training epochs the plan multiplies by (default: 8)")
    p.add_argument("--price-per-1k-tokens", type=float, metavar="PRICE",
                   help="price of 1,000 trained tokens, in your currency (no price is built in)")
    p.add_argument("--offline", action="store_true", help="estimate without calling the API, even with a key")
    p.add_argument("--cache-dir", metavar="DIR",
                   help="where counts are cached by content hash (default: $GX_CLOVA_STATE_DIR or ~/.cache/gx-clova)")
    p.add_argument("--no-cache", action="store_true", help="keep no counts between runs")
    p.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, metavar="N",
                   help=f"messages per tokenizer request (default: {DEFAULT_BATCH_SIZE})")
    p.add_argument("--requests-per-minute", type=float, metavar="N",
                   help="tokenizer requests per minute at most (default: the model's test-app rate limit)")
    p.add_argument("--per-row", action="store_true", help="with --format json: every row's line and tokens")
    extend(p, result_format("plan format on stdout"), studio_options("as for submit (default: bearer)"))
    p.add_argument("--endpoint-url", help="Object Storage endpoint for s3:// datasets")
    p.set_defaults(func=run_tokens)


def run_tokens(args: argparse.Namespace) -> int:
    """The plan on stdout; an error (usage 2, dataset shape 1, source or service 3) is raised and
    reported by cli.exits."""
    plan, method = _plan(args)
    if args.format == "json":
        print(json.dumps(plan.to_dict(per_row=args.per_row), ensure_ascii=False))
    else:
        sys.stdout.write(describe_plan(plan, method))
    return verdict(not plan.over_window)


def check_section(model_name: str, fmt: str) -> None:
    """``validate --tokens MODEL``'s options, checked before the dataset is read."""
    if model_name.strip() not in MODELS:
        raise UsageError(f"--tokens must be one of {known_models()} (got {model_name!r})")
    if fmt not in ("text", "json"):
        raise UsageError("--tokens works with --format text or json")


def report_section(report: Any, source: str, model_name: str, fmt: str, endpoint_url: str | None = None) -> str:
    """``validate --tokens MODEL``: the plan joins the report (``tokens`` in JSON; a text section).

    The verdict stays the validation's; rows over the window are listed, not failed.
    """

    check_section(model_name, fmt)
    args = argparse.Namespace(source=source, model=model_name, epochs=8, price_per_1k_tokens=None, offline=False,
                              cache_dir=None, no_cache=False, batch_size=DEFAULT_BATCH_SIZE, requests_per_minute=None,
                              api_url=None, auth=None, endpoint_url=endpoint_url, format=fmt)
    try:
        plan, method = _plan(args)
    except DatasetError as exc:  # the dataset lacks what a plan needs: validation says why
        return "" if fmt == "json" else f"\ntoken plan skipped: {exc}\n"
    except GxClovaError as exc:
        if exc.exit_status == EXIT_USAGE:
            raise UsageError(str(exc)) from None
        raise SourceError(f"token plan: {exc}") from None
    report.extra["tokens"] = plan.to_dict()
    return "\n" + describe_plan(plan, method) if fmt == "text" else ""


def _plan(args: argparse.Namespace) -> tuple[Any, str]:
    """The plan and how it was counted. Raises UsageError (2), DatasetShapeError (1: the columns a
    plan needs are missing), SourceError (3), a SubmitError (the tokenizer API: its own status) or
    GxClovaError (3: the token cache unusable)."""
    model = MODELS.get(args.model.strip())
    if model is None:
        raise UsageError(f"--model must be one of {known_models()} (got {args.model!r}): the plan needs its window "
                         "and tokenizer")
    for name, value, low in (("--epochs", args.epochs, 1), ("--batch-size", args.batch_size, 1)):
        if value < low:
            raise UsageError(f"{name} must be at least {low} (got {value})")
    for name, value in (("--price-per-1k-tokens", args.price_per_1k_tokens),
                        ("--requests-per-minute", args.requests_per_minute)):
        if value is not None and not (math.isfinite(value) and value > 0):
            raise UsageError(f"{name} must be a positive number (got {value})")
    cache = None
    try:
        counter, cache = _counter(args, model)
        rows = _rows(args)
        from gx_clova.tokens.plan import make_plan

        plan = make_plan(args.source, rows, counter, model, epochs=args.epochs, price_per_1k=args.price_per_1k_tokens)
    except SourceError as exc:
        raise SourceError(f"cannot read the dataset: {exc}") from None
    except (OSError, sqlite3.Error) as exc:
        raise GxClovaError(f"cannot use the token cache ({args.cache_dir or 'default folder'}): "
                           f"{getattr(exc, 'strerror', None) or exc}") from None
    finally:
        if cache is not None:
            cache.close()
    return plan, describe_method(counter)


def _counter(args: argparse.Namespace, model: Any) -> tuple[Counter, Cache]:
    from gx_clova.submitter.api import resolve_api_url
    from gx_clova.submitter.auth import auth_from_env
    from gx_clova.submitter.errors import UsageError as BadConfiguration
    from gx_clova.submitter.ledger import state_dir
    from gx_clova.tokens.count import RateLimit, TokenizerClient

    path = None if args.no_cache else os.path.join(args.cache_dir or str(state_dir()), CACHE_FILE)
    cache = Cache(path)
    client = None
    if not args.offline:
        try:
            auth = auth_from_env(args.auth)
        except BadConfiguration as exc:
            print(f"gx-clova tokens: no API key ({str(exc).split(':')[0]}): printing an offline ESTIMATE "
                  "instead (gx-clova tokens --help)", file=sys.stderr)
        else:
            client = TokenizerClient(resolve_api_url(args.api_url, auth.mode), auth,
                                     notify=lambda m: print(f"gx-clova tokens: {redact.redact(m)}", file=sys.stderr))
    rate = RateLimit(args.requests_per_minute or model.requests_per_minute)
    return Counter(model.name, client=client, path=model.tokenizer_path, cache=cache, batch_size=args.batch_size,
                   rate=rate), cache


def _rows(args: argparse.Namespace) -> list[Any]:
    from gx_clova.reading import read_dataset
    from gx_clova.sources import open_source
    from gx_clova.tokens.plan import rows_of

    options = {"endpoint_url": args.endpoint_url} if args.endpoint_url and args.source.startswith("s3://") else {}
    return rows_of(read_dataset(open_source(args.source, **options)).table)


def describe_plan(plan: Any, method: str) -> str:
    """The plan for people; an estimate says so on every line that carries a number."""
    tag = " (ESTIMATE)" if plan.method == "estimate" else ""
    dist = plan.distribution()
    model = plan.model
    lines = [f"token plan for {redact.redact(plan.source)} · {model.name} · {method}",
             (f"  {len(plan.per_row):,} row(s); tokens per row: median {dist['median']:,}, p99 {dist['p99']:,}, "
              f"max {dist['max']:,}{tag}"),
             f"  {plan.tokens_per_epoch:,} tokens per epoch × {plan.epochs} epoch(s) = {plan.total:,} tokens{tag}"]
    if plan.price_per_1k is not None:
        lines.append(f"  cost at {plan.price_per_1k:g} per 1,000 tokens: {plan.cost():,.2f}{tag}")
    over = plan.over_window
    lines.append(f"  window: {model.context:,} tokens of context, {model.max_input:,} of input ({model.window_source})")
    if over:
        lines.append(f"  {len(over):,} row(s) exceed the window; CLOVA Studio would drop or truncate them{tag}:")
        lines += [f"    line {row['line']}: {row['tokens']:,} tokens ({row['input_tokens']:,} input)"
                  for row in over[:SHOWN_ROWS]]
        if len(over) > SHOWN_ROWS:
            lines.append(f"    … and {len(over) - SHOWN_ROWS:,} more (--format json lists every line)")
    else:
        lines.append(f"  every row fits the window{tag}")
    if plan.method == "api":
        lines.append(f"  {plan.requests:,} tokenizer request(s); {plan.cached:,} message count(s) from the cache")
    return "\n".join(lines) + "\n"
