"""`clausewise review FILE [--type ...] [--backend ...] [--format ...] [-o OUT]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from service.records import CONTRACT_TYPES
from service.settings import load_settings

FORMATS = ("json", "html", "md", "docx")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("review", help="review a contract (PDF, DOCX or TXT)")
    p.add_argument("file", type=Path)
    p.add_argument("--type", dest="contract_type", default="auto",
                   choices=("auto", *CONTRACT_TYPES), help="contract type (default: detect)")
    p.add_argument("--backend", choices=("offline", "llm"), default=None,
                   help="reviewer (default: CLAUSEWISE_BACKEND or offline)")
    p.add_argument("--format", dest="fmt", choices=FORMATS, default="json")
    p.add_argument("-o", "--output", type=Path, default=None,
                   help="output file (default: stdout for json/md; FILE.<fmt> otherwise)")
    p.add_argument("--min-score", type=float, default=None, help="reporting threshold 0..1")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from service.ingest import ingest_path
    from service.report import render
    from service.review.pipeline import ReviewOptions, review_document

    settings = load_settings(backend=args.backend)
    if not args.file.is_file():
        print(f"clausewise: error [not_found]: no such file: {args.file}", file=sys.stderr)
        return 1
    doc = ingest_path(args.file, settings)
    options = ReviewOptions(contract_type=args.contract_type, backend=args.backend,
                            min_score=args.min_score)
    result = review_document(doc, settings, options)
    data = render(result, args.fmt, doc=doc, source=args.file.read_bytes(), settings=settings)
    out = args.output
    if out is None and args.fmt in ("json", "md"):
        sys.stdout.write(data.decode("utf-8"))
        return 0
    out = out or args.file.with_suffix(f".review.{args.fmt}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    n = len([f for f in result.findings if f.kind == "risk"])
    print(f"{n} risk finding(s) in {doc.filename} ({result.document.contract_type}); "
          f"report: {out}", file=sys.stderr)
    return 0
