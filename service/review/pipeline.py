"""Review orchestration: ingest -> segment -> index -> type -> candidates -> decide -> findings."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from service.backends.base import ReviewContext, get_reviewer
from service.library import get_library
from service.records import Document, DocumentInfo, ReviewResult, ReviewStats
from service.review.candidates import gather_candidates
from service.review.components import Components
from service.review.contract_type import detect_contract_type
from service.review.findings import build_findings
from service.review.keyterms import key_terms
from service.settings import Settings

Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class ReviewOptions:
    """Per-review choices (the rest comes from Settings)."""

    contract_type: str = "auto"
    backend: str | None = None  # None -> settings.backend
    tenant: str = "local"
    min_score: float | None = None  # None -> Settings.threshold_for each entry; evals pass 0.0
    use_index: bool = True  # store chunks in Chroma and retrieve from it


def _noop(stage: str, fraction: float) -> None:
    return None


def review_document(doc: Document, settings: Settings, options: ReviewOptions | None = None,
                    *, components: Components | None = None,
                    progress: Progress = _noop) -> ReviewResult:
    """Review one ingested document and return the findings contract."""
    opts = options or ReviewOptions()
    comps = components or Components.from_settings(settings)
    t0 = time.perf_counter()
    stats = ReviewStats()
    library = get_library(settings.library_dir)
    progress("segment", 0.05)
    seg = comps.segment(doc)
    stats.chunks = len(seg.chunks)
    detected = detect_contract_type(doc.text, settings.library_dir)
    ctype = detected if opts.contract_type in (None, "auto") else opts.contract_type
    entries = {e.id: e for e in library.for_pack(ctype)}
    progress("index", 0.15)
    if opts.use_index:
        stats.embedded = comps.index_document(opts.tenant, doc, seg.chunks)
    progress("candidates", 0.45)
    candidates = gather_candidates(doc, seg, list(entries.values()), comps,
                                   tenant=opts.tenant if opts.use_index else None)
    backend_name = opts.backend or settings.backend
    reviewer = get_reviewer(backend_name, settings)
    ctx = ReviewContext(doc=doc, segmentation=seg, entries=entries, candidates=candidates,
                        settings=settings, stats=stats, contract_type=ctype)
    progress("decide", 0.6)
    judgements = reviewer.judge(ctx)
    progress("findings", 0.9)
    fixed = opts.min_score
    findings = build_findings(ctx, judgements,
                              settings.threshold_for if fixed is None else lambda e: fixed)
    found = {f.clause_id for f in findings}
    stats.elapsed_s = round(time.perf_counter() - t0, 3)
    return ReviewResult(
        document=DocumentInfo(
            filename=doc.filename, sha256=doc.sha256, pages=doc.page_count,
            contract_type=ctype,  # type: ignore[arg-type]
            contract_type_detected=detected,  # type: ignore[arg-type]
            library_version=library.version,
            prompt_version=getattr(reviewer, "prompt_version", None),
            unreadable_pages=doc.unreadable_pages,
        ),
        backend=getattr(reviewer, "label", reviewer.name),
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        findings=findings,
        not_found=sorted(cid for cid in entries if cid not in found),
        key_terms=key_terms(findings, entries),
        stats=stats,
        failed=ctx.failed,
        warnings=ctx.warnings,
    )


def review_path(path: Path, settings: Settings, options: ReviewOptions | None = None,
                *, components: Components | None = None) -> ReviewResult:
    """Ingest a file from disk and review it."""
    from service.ingest import ingest_path

    doc = ingest_path(Path(path), settings)
    return review_document(doc, settings, options, components=components)
