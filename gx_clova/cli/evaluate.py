"""``gx-clova evaluate TEST_FILE --task-id ID [--baseline MODEL …]``: the held-out test set
through the tuned task and base models, scored, and validated as the ``evaluation`` suite.

Exit status (as ``validate``): 0 the gate passed; 1 the gate failed (accuracy under
``--min-accuracy``, a class under ``--min-recall``, the tuned task not ``--min-delta`` ahead
of a baseline); 2 usage error (bad options, missing API key, unknown task or model); 3 the
evaluation is incomplete — CLOVA Studio unreachable or refusing, the task not SUCCEEDED, or a
row left without an answer after retries. An incomplete evaluation never passes: the scores of
the rows that were answered are reported, the run exits 3, and running the same command again
asks only the rows that have no answer yet (the answer cache).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from gx_clova import redact, spec
from gx_clova.cli.emit import check_outputs, emit
from gx_clova.cli.exits import EXIT_UNREADABLE as EXIT_INCOMPLETE
from gx_clova.cli.exits import verdict
from gx_clova.cli.options import extend, studio_options
from gx_clova.errors import ServiceError, UsageError
from gx_clova.formats.evaluation import render

#: The CLOVA Studio cookbook's inference parameter; the others are sent only when given.
DEFAULT_MAX_TOKENS = 256
DEFAULT_CONCURRENCY = 4


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "evaluate",
        help="run a test set through the tuned task and base models; gate on the scores",
        description="Send every row of TEST_FILE (messages as training saw them) to the tuned task and each "
        "--baseline model, score the answers against Completion, and validate the scores with the GX "
        "'evaluation' suite.",
        epilog="Exit status: 0 gate passed, 1 gate failed, 2 usage error, 3 evaluation incomplete "
        "(service unreachable, or rows without an answer: run again to resume).",
    )
    p.add_argument("test_file", metavar="TEST_FILE", help="held-out .csv/.jsonl test set (e.g. from gx-clova split)")
    p.add_argument("--task-id", help="the tuned task (POST /v3/tasks/{taskId}/chat-completions)")
    p.add_argument(
        "--baseline",
        action="append",
        default=[],
        metavar="MODEL",
        help="a base model to compare with, e.g. HCX-DASH-001 (repeatable)",
    )
    p.add_argument(
        "--task",
        choices=spec.TASKS,
        default=spec.DEFAULT_TASK,
        help="classification: answers matched to the label set; generation: chrF beside exact match",
    )
    p.add_argument(
        "--labels-from",
        metavar="TRAIN_FILE",
        help="label set: the training file's Completion values (default: the task's statusInfo.label, "
        "else the test file's)",
    )
    p.add_argument(
        "--min-accuracy",
        type=float,
        default=0.0,
        metavar="X",
        help="gate: the tuned task's accuracy ≥ X, 0-1 (the first baseline's without --task-id)",
    )
    p.add_argument("--min-recall", type=float, metavar="X", help="gate: every class's recall ≥ X (classification)")
    p.add_argument(
        "--min-delta",
        type=float,
        default=0.0,
        metavar="X",
        help="gate: tuned accuracy − each baseline's ≥ X (default 0: never worse than a baseline)",
    )
    p.add_argument(
        "--max-tokens", type=int, default=DEFAULT_MAX_TOKENS, help="maxTokens (default: %(default)s, the cookbook's)"
    )
    p.add_argument("--temperature", type=float)
    p.add_argument("--top-p", type=float)
    p.add_argument("--top-k", type=int)
    p.add_argument("--repetition-penalty", type=float)
    p.add_argument("--seed", type=int, help="seed sent with every request")
    p.add_argument("--rpm", type=int, help="requests per minute per model (default: the model's limit in the table)")
    p.add_argument("--tpm", type=int, help="tokens per minute per model (default: the model's limit in the table)")
    p.add_argument(
        "--concurrency", type=int, default=DEFAULT_CONCURRENCY, help="requests in flight (default: %(default)s)"
    )
    p.add_argument("--cache", metavar="FILE", help="answer cache (default: TEST_FILE with .answers.jsonl)")
    p.add_argument("--format", dest="fmt", choices=("text", "json", "junit"), default="text")
    p.add_argument("--output", metavar="FILE", help="write the report here instead of stdout")
    p.add_argument("--docs", metavar="DIR", help="write the evaluation's Data Docs page into DIR")
    p.add_argument(
        "--progress",
        choices=("auto", "always", "never"),
        default="auto",
        help="rows done, rate and ETA on stderr (auto: when stderr is a terminal)",
    )
    extend(p, studio_options("default: bearer (CLOVASTUDIO_API_KEY)"))
    p.set_defaults(func=run)


def inference_params(args: argparse.Namespace) -> dict[str, Any]:
    params: dict[str, Any] = {"maxTokens": args.max_tokens}
    for name, value in (
        ("temperature", args.temperature),
        ("topP", args.top_p),
        ("topK", args.top_k),
        ("repetitionPenalty", args.repetition_penalty),
        ("seed", args.seed),
    ):
        if value is not None:
            params[name] = value
    return params


def _check(args: argparse.Namespace) -> None:
    """The options, before anything is read (UsageError)."""
    if not args.task_id and not args.baseline:
        raise UsageError("nothing to evaluate: give --task-id and/or --baseline MODEL")
    for name in ("min_accuracy", "min_recall"):
        value = getattr(args, name)
        if value is not None and not 0.0 <= value <= 1.0:
            raise UsageError(f"--{name.replace('_', '-')} must be between 0 and 1")
    if not -1.0 <= args.min_delta <= 1.0:
        raise UsageError("--min-delta must be between -1 and 1")
    for name in ("concurrency", "rpm", "tpm", "max_tokens"):
        value = getattr(args, name)
        if value is not None and value < 1:
            raise UsageError(f"--{name.replace('_', '-')} must be a positive number")
    if args.min_recall is not None and args.task != "classification":
        raise UsageError("--min-recall needs --task classification")


def default_cache(test_file: str) -> str:
    """Next to a local test file; in the working directory for ``s3://bucket/key``."""
    local = os.path.basename(test_file) if test_file.startswith("s3://") else test_file
    stem, _ = os.path.splitext(local)
    return f"{stem}.answers.jsonl"


def run(args: argparse.Namespace) -> int:
    """Usage errors (2), CLOVA Studio unreachable or refusing (a SubmitError: 2 or 3) and the task
    not ready (3) are raised and reported by cli.exits; an incomplete run has a report and exits 3."""
    from gx_clova.evaluate import engine, limits
    from gx_clova.evaluate.cache import AnswerCache
    from gx_clova.evaluate.client import ChatClient, Target
    from gx_clova.evaluate.messages import labels_of, read_test_file
    from gx_clova.submitter.api import resolve_api_url
    from gx_clova.submitter.auth import auth_from_env

    _check(args)
    cache_path = args.cache or default_cache(args.test_file)
    # Before anything is read: no output onto an input or another output, a --docs folder of its own.
    check_outputs([("test file", args.test_file), ("--labels-from", args.labels_from)],
                  [("--cache", cache_path), ("--output", args.output)], args.docs)
    try:
        rows = read_test_file(args.test_file)
        labels = labels_of(args.labels_from) if args.labels_from else []
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    auth = auth_from_env(args.auth)
    client = ChatClient(resolve_api_url(args.api_url, auth.mode), auth)
    targets: list[Target] = []
    if args.task_id:
        info = client.task_info(args.task_id)
        status = str(info.get("status"))
        if status != "SUCCEEDED":
            raise ServiceError(
                f"task {args.task_id} is {status}, not SUCCEEDED: "
                f"wait for it with `gx-clova status {args.task_id} --wait`"
            )
        targets.append(Target("task", args.task_id, str(info.get("model") or "")))
        if not labels and args.task == "classification":
            labels = [str(v) for v in ((info.get("statusInfo") or {}).get("label") or [])]
    targets += [Target("model", model, model) for model in dict.fromkeys(args.baseline)]
    if not labels:
        labels = list(dict.fromkeys(row.expected for row in rows))
    limiters = {t.model: limits.RateLimiter(limits.limit_for(t.model, args.rpm, args.tpm)) for t in targets}
    params = inference_params(args)
    with AnswerCache(cache_path) as cache:
        answers, stats = engine.run(
            rows,
            targets,
            params,
            client,
            cache,
            limiters,
            concurrency=args.concurrency,
            progress_stream=engine.progress_stream(args.progress),
        )
    report = evaluate_answers(rows, answers, targets, labels, args)
    report["run"] = stats.to_dict()
    report["cache"] = cache_path
    report["parameters"] = params
    report["rate_limits"] = {
        model: {"requests_per_minute": lim.limit.requests_per_minute, "tokens_per_minute": lim.limit.tokens_per_minute}
        for model, lim in limiters.items()
    }
    report = redact.redact(report)
    emit(render(report, args.fmt), args.output)
    if args.output:
        print(f"report written to {args.output}", file=sys.stderr)
    if not report["complete"]:
        missing = sum(len(v["errors"]) for v in report["targets"].values())
        print(
            f"gx-clova evaluate: incomplete: {missing:,} answer(s) missing; run the same command again to "
            f"ask only those (answers so far are in {cache_path})",
            file=sys.stderr,
        )
        return EXIT_INCOMPLETE
    return verdict(report["success"])


def evaluate_answers(
    rows: list[Any], answers: dict[str, list[Any]], targets: list[Any], labels: list[str], args: argparse.Namespace
) -> dict[str, Any]:
    """Validate the answers with the evaluation suite; the report as a dict."""
    from gx_clova.gx.evaluate.suite import answers_frame, build_suite, run_evaluation_suite

    tuned = next((t.name for t in targets if t.kind == "task"), None)
    baselines = [t.name for t in targets if t.kind == "model"]
    frame = answers_frame(rows, answers, labels, args.task)
    suite = build_suite(
        tuned,
        baselines,
        min_accuracy=args.min_accuracy,
        min_recall=args.min_recall,
        min_delta=args.min_delta if tuned and baselines else None,
        task=args.task,
    )
    expected = len(suite.expectations)
    result = run_evaluation_suite(frame, suite, docs_dir=args.docs, run_name=_run_name(args.test_file))
    if len(result.results) != expected:  # GX drops expectations it cannot resolve, silently
        raise RuntimeError(f"the evaluation suite ran {len(result.results)} of its {expected} expectations")
    report: dict[str, Any] = {
        "task": args.task,
        "test_file": {"path": args.test_file, "rows": len(rows)},
        "labels": labels,
        "targets": {},
        "comparisons": [],
        "expectations": [],
    }
    for evr in result.results:
        config = evr.expectation_config
        details = (evr.result or {}).get("details") or {}
        if evr.exception_info and evr.exception_info.get("raised_exception"):
            raise RuntimeError(f"{config.type} raised: {evr.exception_info.get('exception_message')}")
        report["expectations"].append(
            {
                "type": config.type,
                "kwargs": {k: v for k, v in config.kwargs.items() if k != "batch_id"},
                "success": bool(evr.success),
                "observed": (evr.result or {}).get("observed_value"),
            }
        )
        if "evaluation" in details:
            scores = dict(details["evaluation"])
            scores.pop("hits", None)
            report["targets"][scores["target"]] = scores
        if "comparison" in details:
            report["comparisons"].append({"tuned": config.kwargs["target"], **details["comparison"]})
    for target, given in answers.items():
        report["targets"][target]["errors"] = [
            {"line": row.line, "error": a.error} for row, a in zip(rows, given, strict=False) if a.content is None
        ]
    report["complete"] = all(not v["errors"] for v in report["targets"].values())
    report["success"] = bool(result.success) and report["complete"]
    if args.docs:
        report["data_docs"] = os.path.join(os.path.abspath(args.docs), "index.html")
    return report


def _run_name(path: str) -> str:
    name = "evaluation › " + os.path.basename(path)
    return name if len(name) <= 80 else name[:79] + "…"
