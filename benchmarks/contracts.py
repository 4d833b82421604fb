"""Benchmark contracts: realistic N-page payer agreements built from the gold corpus's text.

Paragraphs of the payer contracts in evals/payer/contracts/ are cycled until the rendered PDF has
exactly N pages. A per-run salt tags clause paragraphs every 30 words, so each run's chunks are new
text and the embedding cache cannot hide the embedding cost.
"""

from __future__ import annotations

import io
import json
import textwrap
from collections.abc import Iterator
from functools import lru_cache
from itertools import cycle
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "evals" / "payer"
WRAP = 80  # characters per line (Times 11 pt on US letter with 1" margins)
TOP, BOTTOM, LEADING, GAP = 730.0, 60.0, 15.5, 8.0
HEADER = "Participating Provider Agreement – Confidential"
TAGGED_MIN = 100  # paragraphs this long (or ending a sentence) are clause text, not headings
TAG_EVERY = 30  # words between tags: no chunk of a long clause repeats across runs


@lru_cache(maxsize=2)
def corpus_paragraphs(contract_type: str = "payer") -> tuple[str, ...]:
    """Non-empty paragraphs of the corpus contracts of one type, in corpus order."""
    out: list[str] = []
    for line in (CORPUS / "manifest.jsonl").read_text("utf-8").splitlines():
        meta = json.loads(line)
        if meta.get("contract_type") != contract_type:
            continue
        text = (CORPUS / "contracts" / f"{meta['contract_id']}.txt").read_text("utf-8")
        out += [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]
    return tuple(out)


def _tagged(para: str, tag: str) -> str:
    """The paragraph with a document-control tag every TAG_EVERY words and at its end."""
    words = para.split(" ")
    for k in range(len(words) - TAG_EVERY, 0, -TAG_EVERY):
        words.insert(k, f"[{tag}.{k}]")
    return " ".join(words) + f" [{tag}]"


def _paragraphs(salt: str) -> Iterator[str]:
    for k, para in enumerate(cycle(corpus_paragraphs())):
        # Tags make every chunk new text per run; headings stay untouched (segmentation).
        clause = len(para) >= TAGGED_MIN or para.endswith((".", ";"))
        yield _tagged(para, f"{salt}-{k}") if clause else para


def _layout(pages: int, salt: str) -> list[list[str]]:
    """Lines per page for exactly `pages` pages of flowing text."""
    out: list[list[str]] = [[]]
    y = TOP
    for para in _paragraphs(salt):
        lines = textwrap.wrap(para, WRAP) or [""]
        for line in lines:
            if y < BOTTOM:
                if len(out) == pages:
                    return out
                out.append([])
                y = TOP
            out[-1].append(line)
            y -= LEADING
        out[-1].append("")  # paragraph gap
        y -= GAP
    return out


def contract_pdf(pages: int, salt: str) -> bytes:
    """A text PDF of `pages` pages with a running header and 'Page i of n' footer."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter)
    layout = _layout(pages, salt)
    for n, lines in enumerate(layout, start=1):
        c.setFont("Helvetica", 8)
        c.drawString(72, 760, HEADER)
        c.drawCentredString(306, 30, f"Page {n} of {len(layout)}")
        c.setFont("Times-Roman", 11)
        y = TOP
        for line in lines:
            if line:
                c.drawString(72, y, line)
                y -= LEADING
            else:
                y -= GAP
        c.showPage()
    c.save()
    return buf.getvalue()


def write_contract(folder: Path, pages: int, salt: str) -> Path:
    """Write contract_pdf(pages, salt) under `folder` and return its path."""
    path = folder / f"contract-{pages}p-{salt}.pdf"
    path.write_bytes(contract_pdf(pages, salt))
    return path
