"""Render a parsed contract to PDF with reportlab (Letter, Times, running header/footer)."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from corpus_build.scan import scanned_pages
from corpus_build.source import Block, Contract

rl_config.invariant = 1  # fixed creation date and document id: identical bytes on rebuild
W, H = LETTER
MARGIN = 72
BODY = ParagraphStyle("body", fontName="Times-Roman", fontSize=11, leading=14,
                      alignment=TA_JUSTIFY, spaceAfter=7)
STYLES = {
    "title": ParagraphStyle("title", parent=BODY, fontName="Times-Bold", fontSize=14,
                            leading=18, alignment=TA_CENTER, spaceAfter=12),
    "heading": ParagraphStyle("heading", parent=BODY, fontName="Times-Bold", fontSize=11.5,
                              alignment=TA_LEFT, spaceBefore=8, keepWithNext=1),
    "subheading": ParagraphStyle("subheading", parent=BODY, fontName="Times-Bold",
                                 alignment=TA_LEFT, keepWithNext=1),
    "lines": ParagraphStyle("lines", parent=BODY, alignment=TA_LEFT),
    "cell": ParagraphStyle("cell", fontName="Times-Roman", fontSize=8.5, leading=10),
    "cellhead": ParagraphStyle("cellhead", fontName="Times-Bold", fontSize=8.5, leading=10),
}
INDENT_RE = [(re.compile(r"^\s*\((?:[ivx]+|[A-Z]|\d+)\)"), 36), (re.compile(r"^\s*\([a-z]{1,2}\)"), 18),
             (re.compile(r"^\s*\d+\.\d+\.\d+"), 18)]


class ScanMarker(Flowable):
    """Zero-size flowable that records the page it lands on (pages to leave undecorated)."""

    def __init__(self, record: list[int]) -> None:
        super().__init__()
        self.record = record

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.record.append(self.canv.getPageNumber())


def _canvas_class(header: str, footer: str, skip: list[int]) -> type[canvas.Canvas]:
    class Decorated(canvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._states: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._states.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._states)
            for state in self._states:
                self.__dict__.update(state)
                if self._pageNumber not in skip:
                    self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            self.setFont("Times-Italic", 8.5)
            self.drawString(MARGIN, H - 44, header)
            self.setLineWidth(0.4)
            self.line(MARGIN, H - 48, W - MARGIN, H - 48)
            self.line(MARGIN, 50, W - MARGIN, 50)
            self.drawString(MARGIN, 38, footer)
            self.drawRightString(W - MARGIN, 38, f"Page {self._pageNumber} of {total}")

    return Decorated


def _para(block: Block) -> Paragraph:
    if block.kind in STYLES:
        return Paragraph(escape(" ".join(block.lines)), STYLES[block.kind])
    if len(block.lines) > 1:
        return Paragraph("<br/>".join(escape(x) for x in block.lines), STYLES["lines"])
    indent = next((n for rx, n in INDENT_RE if rx.match(block.lines[0])), 0)
    style = ParagraphStyle(f"b{indent}", parent=BODY, leftIndent=indent) if indent else BODY
    return Paragraph(escape(block.lines[0].strip()), style)


def table_flowable(rows: list[list[str]], width: float) -> Table:
    """A grid table with a bold repeating header row."""
    data = [[Paragraph(escape(c), STYLES["cellhead" if i == 0 else "cell"]) for c in r]
            for i, r in enumerate(rows)]
    # Column width follows the longest cell, capped so descriptions wrap instead of squeezing.
    weights = [min(max(len(r[j]) for r in rows if j < len(r)), 45) + 4 for j in range(len(rows[0]))]
    widths = [width * w / sum(weights) for w in weights]
    t = Table(data, colWidths=widths, repeatRows=1)
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                           ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
                           ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return t


def _scan_flowables(paras: list[str], contract: Contract, n: int,
                    record: list[int]) -> list[Flowable]:
    stamp = f"FAX  {contract.meta.get('scan_stamp', contract.meta['header'])}"
    out: list[Flowable] = [PageBreak()]
    for img in scanned_pages(paras, stamp, seed=n * 97 + len(contract.id)):
        w, h = 6.5 * 72, 9.0 * 72
        out += [ScanMarker(record), Image(io.BytesIO(img), width=w - 2, height=h - 2), PageBreak()]
    return out


def _flowables(contract: Contract, scan_pages: list[int],
               scan_first: list[tuple[int, int]]) -> list[Flowable]:
    out: list[Flowable] = []
    scan_paras: list[str] | None = None
    for b in contract.blocks:
        if b.kind == "scanned_start":
            scan_paras = []
        elif b.kind == "scanned_end":
            assert scan_paras is not None
            scan_first.append((b.start, len(scan_pages)))
            out += _scan_flowables(scan_paras, contract, len(scan_first), scan_pages)
            scan_paras = None
        elif scan_paras is not None:
            scan_paras.extend(b.lines if b.kind != "table" else [" ".join(r) for r in b.rows])
        elif b.kind == "page_break":
            out.append(PageBreak())
        elif b.kind in ("two_col_start", "two_col_end"):
            out += [NextPageTemplate("two" if b.kind == "two_col_start" else "one"), PageBreak()]
        elif b.kind == "table":
            out += [Spacer(1, 4), table_flowable(b.rows, W - 2 * MARGIN), Spacer(1, 8)]
        else:
            out.append(_para(b))
    return out


def render_pdf(contract: Contract, path: Path) -> list[tuple[int, int]]:
    """Write the PDF; returns (scanned block end offset, first page) pairs for scanned blocks."""
    scan_pages: list[int] = []
    scan_first: list[tuple[int, int]] = []
    story = _flowables(contract, scan_pages, scan_first)
    doc = BaseDocTemplate(str(path), pagesize=LETTER, title=str(contract.meta["title"]),
                          author="Clausewise eval corpus", subject=contract.id)
    bh = H - 2 * MARGIN
    gap = 18
    cw = (W - 2 * MARGIN - gap) / 2
    one = Frame(MARGIN, MARGIN, W - 2 * MARGIN, bh, id="one", leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    left = Frame(MARGIN, MARGIN, cw, bh, id="left", leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    right = Frame(MARGIN + cw + gap, MARGIN, cw, bh, id="right", leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate("one", [one]), PageTemplate("two", [left, right])])
    maker = _canvas_class(str(contract.meta["header"]), str(contract.meta["footer"]), scan_pages)
    doc.build(story, canvasmaker=maker)
    # scan_first holds indexes into scan_pages, resolved only after layout.
    return [(end, scan_pages[i]) for end, i in scan_first]
