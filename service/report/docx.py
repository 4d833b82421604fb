"""Word report: the contract with each finding's redline as tracked changes plus a comment."""

from __future__ import annotations

import io
import re
from typing import Any

from service.library import get_library
from service.records import Document, Finding, ReviewResult
from service.report.revisions import Edit, RevisionWriter, apply_edit
from service.settings import Settings

DOCX_MEDIA = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SEVERITY_RANK = {"high": 0, "medium": 1, "low": 2}
Block = tuple[int, int, Any]  # (start, end) in Document.text, paragraph element


def _comment(f: Finding, also: list[Finding]) -> str:
    why = " ".join(f.rationale.split("\n\n")[-1].split())
    why = why if len(why) <= 600 else why[:597] + "…"
    text = f"Clausewise — {f.title} ({f.severity} risk, §{f.section or '?'}, p. {f.page}). {why}"
    if f.needs_human_review:
        text += " Needs human review."
    if also:
        text += " Also flagged here: " + "; ".join(a.title for a in also) + "."
    return text


def _text_blocks(doc: Document) -> list[tuple[int, int]]:
    """Paragraphs of a TXT/PDF text, skipping header/footer-only ones. PDF text breaks at every
    line, so its soft wraps are joined first (same length: offsets stay true)."""
    from service.segment.wraps import unwrapped_text

    text = unwrapped_text(doc)
    pattern = r"[^\n]*\S[^\n]*" if doc.media_type == "application/pdf" else \
        r"\S(?:.*?\S)?(?=\n[ \t]*\n|\s*\Z)"
    out = []
    for m in re.finditer(pattern, text, re.S):
        start, end = m.span()
        inside = any(x.start <= start and end <= x.end for x in doc.excluded)
        if not inside:
            out.append((start, end))
    return out


def _clean_docx(doc: Document) -> tuple[Any, list[Block]]:
    """A plain DOCX of the contract text; line breaks inside a paragraph become spaces."""
    from docx import Document as new_docx
    from docx.shared import Pt

    d = new_docx()
    d.styles["Normal"].font.name = "Times New Roman"
    d.styles["Normal"].font.size = Pt(11)
    d.add_heading(doc.filename, level=1)
    blocks = []
    for start, end in _text_blocks(doc):
        p = d.add_paragraph(doc.text[start:end].replace("\n", " ").replace("\r", " "))
        blocks.append((start, end, p._p))
    return d, blocks


def _original_docx(doc: Document, source: bytes) -> tuple[Any, list[Block]]:
    """The uploaded DOCX itself, its paragraphs mapped to Document.text offsets.

    Ingestion's blocks give each paragraph's offsets (including any rendered auto-number such
    as "2.7 ", which is not run text); zipping them with our own tree's paragraphs, walked in
    the same order, maps offsets onto the elements we edit.
    """
    from docx import Document as open_docx

    from service.ingest.docx import iter_docx_blocks, iter_docx_paragraphs, paragraph_text

    d = open_docx(io.BytesIO(source))
    blocks: list[Block] = []
    pairs = zip(iter_docx_blocks(source), iter_docx_paragraphs(d.element.body), strict=True)
    for (_kind, _p, text, start, end), (_k, own) in pairs:
        label = len(text) - len(paragraph_text(own))
        blocks.append((start + label, end, own))
    return d, blocks


def _groups(findings: list[Finding]) -> list[list[Finding]]:
    """Findings with redlines grouped by overlap; the most severe leads each group."""
    ordered = sorted((f for f in findings if f.kind == "risk"),
                     key=lambda f: (SEVERITY_RANK[f.severity], -f.score))
    groups: list[list[Finding]] = []
    for f in ordered:
        for g in groups:
            if any(f.start < o.end and o.start < f.end for o in g):
                g.append(f)
                break
        else:
            groups.append([f])
    return groups


def _edits_for(lead: Finding, also: list[Finding], blocks: list[Block],
               text: str) -> list[tuple[Any, Edit]]:
    touched = [(s, e, el) for s, e, el in blocks if s < lead.end and lead.start < e]
    out: list[tuple[Any, Edit]] = []
    for i, (s, _e, el) in enumerate(touched):
        lo, hi = max(s, lead.start), min(_e, lead.end)
        original = text[lo:hi].replace("\n", " ") if el is not None else ""
        proposed = None
        if lead.redline is not None:
            proposed = lead.redline.proposed if i == 0 else ""
        comment = _comment(lead, also) if i == 0 else None
        out.append((el, Edit(lo - s, hi - s, original, proposed, comment)))
    return out


def render_docx(result: ReviewResult, *, doc: Document | None = None, source: bytes | None = None,
                settings: Settings | None = None) -> bytes:
    """DOCX with real revisions (author Clausewise) and a comment on each changed clause."""
    if doc is None:
        raise ValueError("the Word report needs the ingested document")
    settings = settings or Settings()
    get_library(settings.library_dir)  # validates the library the comments come from
    if doc.media_type == DOCX_MEDIA and source:
        d, blocks = _original_docx(doc, source)
    else:
        d, blocks = _clean_docx(doc)
    writer = RevisionWriter(d)
    for group in _groups(result.findings):
        lead, also = group[0], group[1:]
        for el, edit in _edits_for(lead, also, blocks, doc.text):
            apply_edit(el, edit, writer)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()
