"""Candidate generation: the offline detector's hits plus retrieval from the Chroma index."""

from __future__ import annotations

import re

from service.backends.base import Candidate
from service.library.schema import ClauseEntry
from service.records import Document, Segmentation
from service.review.components import Components
from service.review.findings import MAX_LOCATIONS, enclosing_section
from service.segment.wraps import unwrapped_text

RETRIEVE_K = 3
PATTERN_FLOOR = 0.9  # score of an integrity-pattern hit (reported whatever the model says)
MAX_SNAPPED = 1500  # a "sentence" longer than this is a parsing accident: keep the raw span


def _detector_candidates(doc: Document, seg: Segmentation, entries: list[ClauseEntry],
                         comps: Components) -> list[Candidate]:
    text = unwrapped_text(doc)
    detections = comps.detector.detect(text, [e.id for e in entries], sections=seg.sections,
                                       max_per_clause=MAX_LOCATIONS)
    return [
        Candidate(clause_id=d.clause_id, start=d.start, end=d.end,
                  score=float(min(1.0, max(0.0, d.score))), sources=["detector"])
        for d in detections
    ]


def _snap_to_sentences(doc: Document, seg: Segmentation, cands: list[Candidate],
                       kinds: dict[str, str]) -> list[Candidate]:
    """Risk spans grow to whole sentences (PDF line wraps split them); overlaps merge."""
    from service.segment import sentences

    cache: dict[tuple[int, int], list] = {}
    for c in cands:
        if kinds.get(c.clause_id) != "risk":
            continue
        sec = enclosing_section(seg.sections, c.start)
        lo, hi = (sec.start, sec.end) if sec else (max(0, c.start - 2000), min(len(doc.text), c.end + 2000))
        if (lo, hi) not in cache:
            cache[(lo, hi)] = sentences(doc, lo, hi)
        hit = [s for s in cache[(lo, hi)] if s.start < c.end and c.start < s.end]
        if hit:
            start, end = min(s.start for s in hit), max(s.end for s in hit)
            if end - start <= MAX_SNAPPED:
                c.start, c.end = min(start, c.start), max(end, c.end)
    return _merge_overlaps(cands, doc.text)


def _merge_overlaps(cands: list[Candidate], text: str = "") -> list[Candidate]:
    """One candidate per overlapping or adjacent group of the same clause id (best score,
    union span): consecutive sentences of one clause are one finding for a lawyer."""
    out: list[Candidate] = []
    for c in sorted(cands, key=lambda c: (c.clause_id, c.start)):
        last = out[-1] if out else None
        adjacent = last is not None and 0 <= c.start - last.end <= 3 and not text[last.end:c.start].strip()
        if last and last.clause_id == c.clause_id and (c.start < last.end or adjacent):
            best = max(last.score, c.score)
            last.start, last.end = min(last.start, c.start), max(last.end, c.end)
            last.score = best
            continue
        out.append(c)
    return out


def _pattern_candidates(doc: Document, entries: list[ClauseEntry]) -> list[Candidate]:
    """Integrity entries (text aimed at automated reviewers) are flagged on any pattern match."""
    out = []
    for e in entries:
        if e.category != "integrity":
            continue
        for pattern in e.detection.patterns:
            for m in re.finditer(pattern, doc.text, re.I):
                out.append(Candidate(clause_id=e.id, start=m.start(), end=m.end(),
                                     score=PATTERN_FLOOR, sources=["pattern"]))
    return out


def _chunk_of(seg: Segmentation, start: int) -> str | None:
    for c in seg.chunks:
        if c.start <= start < c.end:
            return c.chunk_id
    return None


def _retrieval(doc: Document, seg: Segmentation, entries: list[ClauseEntry],
               comps: Components, tenant: str) -> dict[str, dict[str, float]]:
    """clause id -> {chunk id: similarity} for the top chunks of this document."""
    out: dict[str, dict[str, float]] = {}
    queries = [(e.id, q) for e in entries for q in (e.detection.queries or e.detection.exemplars[:2])]
    if not queries:
        return out
    hits = comps.index.query(tenant, [q for _, q in queries], doc_id=doc.doc_id, k=RETRIEVE_K)
    for (cid, _), row in zip(queries, hits, strict=True):
        best = out.setdefault(cid, {})
        for h in row:
            best[h.chunk_id] = max(best.get(h.chunk_id, 0.0), float(h.similarity))
    return out


def gather_candidates(doc: Document, seg: Segmentation, entries: list[ClauseEntry],
                      comps: Components, *, tenant: str | None) -> list[Candidate]:
    """Detector candidates annotated with retrieval similarity; retrieval-only chunks added."""
    cands = _detector_candidates(doc, seg, entries, comps) + _pattern_candidates(doc, entries)
    cands = _snap_to_sentences(doc, seg, cands, {e.id: e.kind for e in entries})
    for c in cands:
        c.chunk_id = _chunk_of(seg, c.start)
    if tenant is None:
        return cands
    sims = _retrieval(doc, seg, entries, comps, tenant)
    by_chunk = {c.chunk_id: c for c in seg.chunks}
    for c in cands:
        c.similarity = sims.get(c.clause_id, {}).get(c.chunk_id or "", 0.0)
        if c.similarity:
            c.sources.append("retrieval")
    covered = {(c.clause_id, c.chunk_id) for c in cands}
    for cid, chunks in sims.items():
        for chunk_id, sim in chunks.items():
            if (cid, chunk_id) in covered or chunk_id not in by_chunk:
                continue
            ch = by_chunk[chunk_id]
            cands.append(Candidate(clause_id=cid, start=ch.start, end=ch.end, score=0.0,
                                   similarity=sim, chunk_id=chunk_id, sources=["retrieval"]))
    return cands
