"""``gx-clova submit`` and ``gx-clova status``: :func:`register` adds them to the main parser.

Exit statuses: 0 launched (or found already launched), dry run fine, or status read;
1 the dataset failed, the gate refused, or the task FAILED; 2 usage error; 3 Object Storage
or the API unreachable or refusing (an earlier create's answer lost included), the source
unreadable. Never a traceback: unexpected
errors are reported in one line (``--verbose`` logs the redacted traceback).

Results go to stdout (one JSON object with ``--format json``); progress and errors to stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import sys
from collections.abc import Iterator
from typing import Any

from gx_clova import redact
from gx_clova.cli import exits
from gx_clova.cli.exits import EXIT_PASSED, verdict
from gx_clova.cli.options import extend, result_format, studio_options
from gx_clova.errors import GxClovaError
from gx_clova.escape import for_terminal
from gx_clova.submitter.api import StudioClient, resolve_api_url
from gx_clova.submitter.auth import auth_from_env
from gx_clova.submitter.errors import UsageError
from gx_clova.submitter.failures import explain_failure
from gx_clova.submitter.params import DEFAULT_EPOCHS, DEFAULT_LEARNING_RATE, TASK_TYPES, TuningParams
from gx_clova.submitter.pipeline import SubmitOutcome, SubmitRequest, submit

log = logging.getLogger("gx_clova.submitter")
PROG = "gx-clova"


def register(subparsers: Any) -> None:
    """Add ``submit`` and ``status`` to an ``argparse`` subparsers object."""
    add_submit = subparsers.add_parser(
        "submit", help="validate a dataset, upload it to Object Storage and create a tuning task",
        description="Validate SOURCE; if it passes, upload it (local file) or verify it in place "
                    "(s3://bucket/key), then create a CLOVA Studio tuning task for exactly those bytes.")
    add_submit.add_argument("source", metavar="SOURCE", help="a local .csv/.jsonl file or s3://bucket/key")
    add_submit.add_argument("--name", required=True, help="tuning task name")
    add_submit.add_argument("--model", required=True, help="model to tune, e.g. HCX-003")
    add_submit.add_argument("--task", choices=tuple(TASK_TYPES), default="generation",
                            help="validation rules and taskType (default: generation)")
    add_submit.add_argument("--bucket", help="bucket to upload a local file to")
    add_submit.add_argument("--key", help="object key for a local file (default: its file name)")
    add_submit.add_argument("--epochs", default=DEFAULT_EPOCHS, help="trainEpochs, 1-20 (default: 8)")
    add_submit.add_argument("--learning-rate", default=DEFAULT_LEARNING_RATE,
                            help="learningRate, 1e-6 to 1 (default: 1e-4)")
    add_submit.add_argument("--validation-split-ratio", metavar="R",
                            help="validationSplitRatio, 0.0-0.1: the share held out for validation (default: not "
                                 "sent; the API uses 0.0)")
    add_submit.add_argument("--lora-r", metavar="N", help="loraR, 2-8 (2-64 with --allow-wider-ranges)")
    add_submit.add_argument("--lora-alpha", metavar="N", help="loraAlpha, a whole number of at least 2")
    add_submit.add_argument("--allow-wider-ranges", action="store_true",
                            help="where the guide's pages disagree, accept the wider reading (loraR up to 64; "
                                 "HCX-005 and HCX-DASH-002; a model not in gx-clova's table)")
    add_submit.add_argument("--part-size", type=int, metavar="MIB",
                            help="multipart part size in MiB, 5-5120 (default: 16, raised to fit 10,000 "
                                 "parts); memory use is about one part")
    add_submit.add_argument("--dry-run", action="store_true",
                            help="validate and print the request, secrets masked; upload and create nothing")
    add_submit.add_argument("--force", action="store_true",
                            help="create a task even if this dataset and these parameters were submitted before")
    extend(add_submit, _service_options(storage=True))
    add_submit.set_defaults(func=run_submit)

    add_status = subparsers.add_parser(
        "status", help="show (or wait for) a tuning task's status",
        description="Show a tuning task's status; for a FAILED task, the gx-clova rule that checks its "
                    "failureReason before upload.")
    add_status.add_argument("task_id", metavar="TASK_ID")
    add_status.add_argument("--wait", action="store_true", help="poll until SUCCEEDED or FAILED")
    add_status.add_argument("--interval", type=float, default=30.0, metavar="S", help="seconds between polls")
    add_status.add_argument("--timeout", type=float, metavar="S", help="give up waiting after S seconds")
    extend(add_status, _service_options(storage=False))
    add_status.set_defaults(func=run_status)


def _service_options(*, storage: bool) -> argparse.ArgumentParser:
    """What ``submit`` and ``status`` share: the CLOVA Studio options, the result format, ``--verbose``
    (``submit`` also reaches Object Storage)."""
    p = argparse.ArgumentParser(add_help=False)
    if storage:
        p.add_argument("--endpoint-url", help="Object Storage endpoint (default: GX_CLOVA_ENDPOINT_URL "
                                              "or https://kr.object.ncloudstorage.com)")
    extend(p, studio_options("bearer (CLOVASTUDIO_API_KEY, default) or apigw (NCP_IAM_ACCESS_KEY/NCP_IAM_SECRET_KEY)"),
           result_format("result format on stdout"))
    p.add_argument("--verbose", "-v", action="store_true", help="log details to stderr (secrets masked)")
    return p


# -- commands ------------------------------------------------------------------------------------
# Every error is raised (gx_clova.errors, gx_clova.submitter.errors) and reported by cli.exits:
# "gx-clova submit: error: …" and, with --format json, {"error": …, "exit_status": …} on stdout.
def run_submit(args: argparse.Namespace) -> int:
    with _verbose(args):
        params = TuningParams(name=args.name, model=args.model, task=args.task, epochs=args.epochs,
                              learning_rate=args.learning_rate,
                              validation_split_ratio=args.validation_split_ratio, lora_r=args.lora_r,
                              lora_alpha=args.lora_alpha, allow_wider_ranges=args.allow_wider_ranges)
        request = SubmitRequest(
            source=args.source, params=params, bucket=args.bucket, key=args.key,
            endpoint_url=args.endpoint_url, api_url=args.api_url, auth=args.auth,
            part_size=args.part_size * (1 << 20) if args.part_size is not None else None,
            dry_run=args.dry_run, force=args.force)
        outcome = submit(request, notify=_progress)
        _result(args, outcome.to_dict(), _describe_outcome(outcome))
    return EXIT_PASSED


def run_status(args: argparse.Namespace) -> int:
    with _verbose(args):
        if args.interval <= 0 or (args.timeout is not None and args.timeout <= 0):
            raise UsageError("--interval and --timeout must be positive numbers of seconds")
        auth = auth_from_env(args.auth)
        client = StudioClient(resolve_api_url(args.api_url, auth.mode), auth, notify=_progress)
        def show(status: str) -> None:
            _progress(f"task {args.task_id}: {status}")

        result = client.status(args.task_id, wait=args.wait, interval=args.interval, timeout=args.timeout,
                               on_change=show if args.wait else None)
        status = str(result.get("status"))
        data: dict[str, Any] = {"task_id": args.task_id, "status": status, "result": redact.redact(result)}
        text = for_terminal(f"task {args.task_id}: {status}")
        if status == "FAILED":
            why = explain_failure(result.get("statusInfo"))
            data["failure"] = {"reason": why.reason, "message": why.message, "local_codes": list(why.local_codes),
                               "retryable": why.retryable, "advice": why.advice}
            text += "\n  " + for_terminal(f"failureReason: {why.reason}" + (f" ({why.message})" if why.message else ""))
            text += f"\n  {for_terminal(why.advice)}"
        _result(args, data, text)
    return verdict(status != "FAILED")


def _describe_outcome(outcome: SubmitOutcome) -> str:
    where = for_terminal(f"s3://{outcome.bucket}/{outcome.key}")
    if outcome.action == "dry-run":
        request = outcome.request or {}
        return (f"dry run: {where} (sha256 {outcome.sha256[:12]}…) passed; nothing was uploaded and no "
                f"task was created. The request would be:\n{request.get('method')} {request.get('url')}\n"
                + json.dumps({"headers": request.get("headers"), "body": request.get("body")},
                             indent=2, ensure_ascii=False))
    if outcome.action == "created":
        head = f"tuning task {outcome.task_id} created ({outcome.status}) for {where}"
    else:
        head = f"tuning task {outcome.task_id} already exists for {where}; no second task was created"
    return (f"{head} (sha256 {outcome.sha256[:12]}…)\n"
            f"follow it with: {PROG} status {outcome.task_id} --wait")


# -- console -------------------------------------------------------------------------------------
def _progress(message: str) -> None:
    print(f"{PROG}: {for_terminal(redact.redact(message))}", file=sys.stderr, flush=True)


def _result(args: argparse.Namespace, data: dict[str, Any], text: str) -> None:
    # The text's own lines are kept; names and service texts in it were escaped where they went in.
    shown = for_terminal(redact.redact(text), keep_newlines=True)
    print(json.dumps(redact.redact(data), ensure_ascii=False) if args.format == "json" else shown, flush=True)


@contextlib.contextmanager
def _verbose(args: argparse.Namespace) -> Iterator[None]:
    """With ``--verbose``, details (and an unexpected error's redacted traceback) on stderr; the
    logging set-up is undone after."""
    handler = _verbose_logging() if getattr(args, "verbose", False) else None
    try:
        yield
    except GxClovaError:
        raise
    except Exception:  # a bug: cli.exits reports it in one line, the traceback only with --verbose
        log.debug("unexpected error", exc_info=True)
        raise
    finally:
        if handler is not None:
            logging.getLogger("gx_clova").removeHandler(handler)


def _verbose_logging() -> logging.Handler:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(redact.RedactingFormatter("%(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("gx_clova")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    return handler


def run(argv: list[str] | None = None) -> int:
    """A stand-alone ``gx-clova`` with only these two commands (tests, ``python -m``)."""
    parser = argparse.ArgumentParser(prog=PROG)
    register(parser.add_subparsers(dest="command", required=True))
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage error
        return int(exc.code or 0)
    return exits.run(args)
