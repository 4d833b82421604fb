"""Parse+segment throughput of text PDFs (10/50/200 pages), including the sandbox child.

Run: .venv/bin/python benchmarks/ingest_bench.py [--json] [--pages 10 50 200] [--repeat 3]
Prints pages/s for ingest (child process included), segment, and both; peak RSS of this
process and of the largest child (ru_maxrss). Target: >= 100 pages/s at 50 pages.
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "fixtures"))


def _pdf(pages: int, folder: Path) -> Path:
    import contract_pdfs as cp

    path = folder / f"contract-{pages}p.pdf"
    # four clauses + an article heading fill one page, as in a typical payer agreement
    path.write_bytes(cp.text_pdf(cp.contract_paragraphs(pages), per_page=5))
    return path


def time_parse_segment(path: Path, repeat: int) -> dict[str, float]:
    """Best of `repeat` ingest (sandbox child included) + segment timings for one file."""
    from service.ingest import ingest_path
    from service.segment import segment
    from service.settings import Settings

    settings = Settings()
    best: dict[str, float] = {}
    for _ in range(repeat):
        t0 = time.perf_counter()
        doc = ingest_path(path, settings)
        t1 = time.perf_counter()
        seg = segment(doc)
        t2 = time.perf_counter()
        run = {"ingest_s": t1 - t0, "segment_s": t2 - t1, "total_s": t2 - t0}
        if not best or run["total_s"] < best["total_s"]:
            best = run | {
                "pages": doc.page_count,
                "sections": len(seg.sections),
                "chunks": len(seg.chunks),
            }
    best["pages_per_s"] = best["pages"] / best["total_s"]
    return best


class ChildRss(logging.Handler):
    """Collects the sandbox child's peak RSS, which it reports in its result (debug log)."""

    peak_kb = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg.startswith("pdf child"):
            ChildRss.peak_kb = max(ChildRss.peak_kb, int(record.args[1]))  # type: ignore[index,arg-type]


def main() -> int:
    """Generate the PDFs, time them, print a table (or JSON with --json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[10, 50, 200])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from service.segment.tokens import default_counter

    default_counter()("warm up")  # load the tokenizer outside the timings
    logger = logging.getLogger("clausewise.ingest")
    logger.setLevel(logging.DEBUG)
    logger.addHandler(ChildRss())
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for pages in args.pages:
            results.append({"requested_pages": pages} | time_parse_segment(_pdf(pages, Path(tmp)), args.repeat))
    peak = {
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "peak_child_rss_mb": ChildRss.peak_kb / 1024,
    }
    if args.json:
        sys.stdout.write(json.dumps({"results": results, **peak}, indent=2) + "\n")
        return 0
    print(
        f"{'pages':>6} {'ingest s':>9} {'segment s':>10} {'pages/s':>8} {'sections':>9} {'chunks':>7}"
    )
    for r in results:
        print(
            f"{r['pages']:>6} {r['ingest_s']:>9.3f} {r['segment_s']:>10.3f} "
            f"{r['pages_per_s']:>8.1f} {r['sections']:>9} {r['chunks']:>7}"
        )
    print(
        f"peak RSS: parent {peak['peak_rss_mb']:.0f} MB, largest child {peak['peak_child_rss_mb']:.0f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
