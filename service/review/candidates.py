"""Candidate generation: the offline detector's hits plus retrieval from the Chroma index."""

from __future__ import annotations

from service.backends.base import Candidate
from service.library.schema import ClauseEntry
from service.records import Document, Segmentation
from service.review.components import Components

RETRIEVE_K = 3


def _detector_candidates(doc: Document, seg: Segmentation, entries: list[ClauseEntry],
                         comps: Components) -> list[Candidate]:
    detections = comps.detector.detect(doc.text, [e.id for e in entries], sections=seg.sections)
    return [
        Candidate(clause_id=d.clause_id, start=d.start, end=d.end,
                  score=float(min(1.0, max(0.0, d.score))), sources=["detector"])
        for d in detections
    ]


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
    cands = _detector_candidates(doc, seg, entries, comps)
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
