"""Build the README demo contract (samples/sample-payer-agreement.{pdf,txt,labels.json}).

Run from the repo root: .venv/bin/python samples/build_sample.py
Uses the eval-corpus renderer (evals/payer/corpus_build); the sample is NOT part of the corpus.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "evals" / "payer"))

from corpus_build.locate import locate_pages, page_count  # noqa: E402
from corpus_build.render_pdf import render_pdf  # noqa: E402
from corpus_build.source import parse_source  # noqa: E402

NAME = "sample-payer-agreement"


def main() -> int:
    """Render the sample PDF, its plain text and the expected findings (label spans)."""
    contract = parse_source(HERE / "source" / f"{NAME}.txt")
    pdf = HERE / f"{NAME}.pdf"
    pages = locate_pages(contract, pdf, render_pdf(contract, pdf))
    (HERE / f"{NAME}.txt").write_text(contract.text, encoding="utf-8")
    expected = [{"category": s.category, "start": s.start, "end": s.end,
                 "text": contract.text[s.start:s.end], "page": pages[(s.start, s.end, s.category)]}
                for s in contract.spans]
    (HERE / f"{NAME}.labels.json").write_text(json.dumps(expected, indent=1) + "\n",
                                              encoding="utf-8")
    risky = sorted({s.category for s in contract.spans} - KEY_TERMS)
    print(f"{pdf.name}: {page_count(pdf)} pages, {len(risky)} risky clause types: {', '.join(risky)}")
    return 0


KEY_TERMS = {"document_name", "parties", "agreement_date", "effective_date", "expiration_date",
             "renewal_term", "notice_period_to_terminate_renewal", "governing_law"}

if __name__ == "__main__":
    raise SystemExit(main())
