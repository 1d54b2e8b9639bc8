"""``gx-clova convert SOURCE --from openai|sharegpt|alpaca|auto --output FILE``.

Exit status: 0 every record converted; 1 some records could not be represented (they are in
the rejects file, the rest in the output) or ``--from auto`` found mixed formats (nothing
written); 2 usage error (the output is the source, an unknown extension); 3 the source could
not be read; 4 the output could not be written.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from gx_clova.cli.exits import verdict
from gx_clova.cli.options import extend, result_format
from gx_clova.convert.formats import FORMATS
from gx_clova.convert.run import AUTO, convert, default_rejects_path, describe


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "convert", help="convert OpenAI chat / ShareGPT / Alpaca JSONL into a CLOVA Studio dataset",
        description="Write a CLOVA Studio dataset (CSV or JSONL by the output's extension): the system "
                    "message becomes System_Prompt, one C_ID per conversation, one T_ID per user->assistant "
                    "exchange. Records that cannot be represented (tool calls, images, turns that do not "
                    "alternate, empty messages) go to a rejects file with their source line.")
    p.add_argument("source", metavar="SOURCE", help="a JSON Lines file, one conversation per line")
    p.add_argument("--from", dest="fmt", choices=(AUTO, *FORMATS), default=AUTO,
                   help="source format (default: auto, detected from the records; mixed formats are an error)")
    p.add_argument("--output", "-o", required=True, metavar="FILE", help="the dataset to write: .csv or .jsonl")
    p.add_argument("--rejects", metavar="FILE",
                   help="where rejected records go, as JSON Lines (default: OUTPUT's name + .rejects.jsonl)")
    extend(p, result_format("summary format on stdout"))
    p.set_defaults(func=run_convert)


def run_convert(args: argparse.Namespace) -> int:
    # ConvertUsageError (2), MixedFormats (1), ConvertSourceError (3), OutputError (4): cli.exits reports them.
    summary = convert(args.source, args.output, fmt=args.fmt, rejects=args.rejects)
    if args.format == "json":
        print(json.dumps(summary.to_dict(), ensure_ascii=False))
    else:
        sys.stdout.write(describe(summary))
    if summary.rejected_count and not args.rejects:
        print(f"gx-clova convert: {summary.rejected_count:,} record(s) rejected; see "
              f"{default_rejects_path(args.output)}", file=sys.stderr)
    return verdict(not summary.rejected_count)
