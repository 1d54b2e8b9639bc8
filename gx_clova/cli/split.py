"""``gx-clova split``: the command (the split itself is :mod:`gx_clova.split`).

Exit status: 0 written, 1 refused, 2 usage error, 3 the input could not be read.
"""

from __future__ import annotations

import argparse
import json
import os
import unicodedata
from typing import Any

from gx_clova import spec
from gx_clova.cli.exits import EXIT_PASSED
from gx_clova.cli.options import extend, result_format
from gx_clova.errors import UsageError
from gx_clova.fix.write import atomic
from gx_clova.split import (
    DEFAULT_TEST_SIZE,
    MAX_VALIDATION_SPLIT,
    default_outputs,
    parse_test_size,
    render,
    renumbered,
    same_file,
    split_file,
)

EXIT_WRITTEN = EXIT_PASSED


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "split",
        help="hold out a test set: seeded, conversations kept whole, stratified by label",
        description="Split DATASET into a training file and a held-out test file. Conversations (C_ID) are "
        "never split; classification is stratified by label and refused when a label would keep fewer "
        f"than {spec.MIN_ROWS_PER_LABEL} training rows. Both outputs are renumbered and pass `validate`.",
        epilog="Exit status: 0 written, 1 refused, 2 usage error, 3 input unreadable.",
    )
    p.add_argument("dataset", metavar="DATASET", help="a local .csv or .jsonl dataset")
    p.add_argument("--task", choices=spec.TASKS, default=spec.DEFAULT_TASK, help="default: %(default)s")
    p.add_argument(
        "--test-size",
        default=DEFAULT_TEST_SIZE,
        metavar="N",
        help="conversations to hold out: a count (100) or a fraction (0.1); default: %(default)s",
    )
    p.add_argument(
        "--stratify",
        action="store_true",
        help="stratify by label (the last Completion of a conversation) for a generation task too; "
        "classification is always stratified",
    )
    p.add_argument("--seed", type=int, default=0, help="random seed; the same seed gives the same split (default: 0)")
    p.add_argument(
        "--validation-split-ratio",
        type=float,
        default=0.0,
        metavar="R",
        help="the validationSplitRatio the tuning task will use (0.0-0.1): the training rows "
        "CLOVA Studio holds back are not counted towards the 200 per label",
    )
    p.add_argument("--train-out", metavar="FILE", help="default: DATASET with .train before the extension")
    p.add_argument("--test-out", metavar="FILE", help="default: DATASET with .test before the extension")
    p.add_argument("--force", action="store_true", help="replace existing output files (never the input)")
    extend(p, result_format("summary format", dest="fmt"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        test_size = parse_test_size(args.test_size)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if not 0.0 <= args.validation_split_ratio <= MAX_VALIDATION_SPLIT:
        raise UsageError(f"--validation-split-ratio must be 0.0-{MAX_VALIDATION_SPLIT:g} (CLOVA Studio's range)")
    if args.dataset.startswith("s3://"):
        raise UsageError("split reads a local file; download the object first")
    defaults = default_outputs(args.dataset)
    train_out, test_out = args.train_out or defaults[0], args.test_out or defaults[1]
    for out in (train_out, test_out):
        if same_file(out, args.dataset):
            raise UsageError(f"{out} is the input file: choose another output name")
        if os.path.exists(out) and not args.force:
            raise UsageError(f"{out} exists; pass --force to replace it")
    if same_file(train_out, test_out):
        raise UsageError("--train-out and --test-out name the same file")
    # SplitRefused (exit 1), SourceError (3): reported by cli.exits.
    result, fmt = split_file(
        args.dataset,
        test_size=test_size,
        task=args.task,
        seed=args.seed,
        validation_split_ratio=args.validation_split_ratio,
        stratify=args.stratify or args.task == "classification",
    )
    for out, part in ((train_out, result.train), (test_out, result.test)):
        with atomic(out) as handle:
            handle.write(render(result.columns, result.header, renumbered(result.columns, part), fmt))
    summary = result.to_dict()
    summary["train"]["path"], summary["test"]["path"] = train_out, test_out
    if args.fmt == "json":
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(_text(summary))
    return EXIT_WRITTEN


def _padded(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (Hangul and other wide characters take two)."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - used)


def _text(summary: dict[str, Any]) -> str:
    lines = [
        f"{name} {summary[part]['rows']:,} rows ({summary[part]['conversations']:,} conversations) "
        f"→ {summary[part]['path']}"
        for part, name in (("train", "train:"), ("test", "test: "))
    ]
    lines += [
        f"seed {summary['seed']}"
        + (f", validationSplitRatio {summary['validation_split_ratio']:g}" if summary["validation_split_ratio"] else "")
    ]
    for label, counts in (summary.get("labels") or {}).items():
        lines.append(f"  {_padded(label, 24)} train {counts['train']:>6,}  test {counts['test']:>5,}")
    return "\n".join(lines)
