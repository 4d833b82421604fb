"""`clausewise ingest FILE` (pages, sections, chunks) and `clausewise text FILE`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from service.errors import NotFound
from service.records import Document
from service.settings import load_settings

MAX_SECTIONS_SHOWN = 40


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", help="parse a contract and show pages, sections and chunks")
    p.add_argument("file", type=Path)
    p.set_defaults(func=_ingest)
    t = sub.add_parser("text", help="print the extracted text exactly as offsets index it")
    t.add_argument("file", type=Path)
    t.set_defaults(func=_text)


def _load(path: Path) -> Document:
    from service.ingest import ingest_path

    if not path.is_file():
        raise NotFound(f"No such file: {path}")
    return ingest_path(path, load_settings())


def _ingest(args: argparse.Namespace) -> int:
    from service.segment import segment

    doc = _load(args.file)
    seg = segment(doc)
    print(f"{doc.filename}: {doc.media_type}, {doc.page_count} pages, {len(doc.text):,} chars")
    print(f"unreadable pages: {', '.join(map(str, doc.unreadable_pages)) or 'none'}")
    print(f"header/footer lines excluded: {len(doc.excluded)}")
    print(f"sections: {len(seg.sections)}")
    for s in seg.sections[:MAX_SECTIONS_SHOWN]:
        number = f"Article {s.number}" if s.kind == "article" else s.number
        label = " ".join(x for x in (number, s.title) if x) or s.kind
        print(f"  {'  ' * s.level}{label}  [{s.kind}, p.{s.page_start}]")
    if len(seg.sections) > MAX_SECTIONS_SHOWN:
        print(f"  ... {len(seg.sections) - MAX_SECTIONS_SHOWN} more")
    print(f"chunks: {len(seg.chunks)}")
    return 0


def _text(args: argparse.Namespace) -> int:
    sys.stdout.write(_load(args.file).text)
    return 0
