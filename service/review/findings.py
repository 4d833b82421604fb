"""Judgements -> verified, graded findings with redlines (the findings contract)."""

from __future__ import annotations

from collections.abc import Callable

from service.backends.base import Judgement, ReviewContext
from service.detect.units import heading_prefix_length, trim_span
from service.library.schema import ClauseEntry
from service.records import Document, Finding, Redline, Section
from service.review.grading import grade
from service.review.redline import ladder_lines, propose
from service.review.verify import is_verbatim, locate_quote

CONTEXT_CHARS = 1500  # how much of the enclosing section risk signals are read from
MIN_RISK_WORDS = 6  # a shorter "quote" is a heading or fragment, not an operative clause
# Locations reported per clause id: a clause type can recur (every rate exhibit restates "lesser
# of"; a lease carries FMV terms in rent, allowance, opex, holdover and restoration sections, 20-34
# of them in some train leases). The threshold, not this cap, decides what is reported; the cap
# only stops one id flooding a report. Chosen on payer train-split CV: 5 -> 10 (session 3), then
# 10 -> 20 on 27 contracts (AUPR 0.762 -> 0.782) and 20 -> 40 on 55 contracts (AUPR 0.809 ->
# 0.823, recall 0.811 -> 0.821 and precision 0.734 -> 0.721 at 0.35; see README).
MAX_LOCATIONS = 40


def enclosing_section(sections: list[Section], start: int) -> Section | None:
    """The innermost section containing `start`."""
    best: Section | None = None
    for s in sections:
        if s.start <= start < s.end and (best is None or s.end - s.start <= best.end - best.start):
            best = s
    return best


def _numbered_section(sections: list[Section], sec: Section | None) -> Section | None:
    """Walk up to the nearest section that has a printed number."""
    while sec is not None and not sec.number:
        sec = sections[sec.parent] if sec.parent is not None else None
    return sec


def _span(doc: Document, j: Judgement) -> tuple[int, int] | None:
    if j.start is not None and j.end is not None:
        return trim_span(doc.text, j.start, j.end)
    if j.quote:
        return locate_quote(doc.text, j.quote)
    return None


def _operative(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop an inline section heading ("6.1 Amendment. ") from the front of a clause quote: the
    heading is not operative text, and whether a neighbouring sentence pulled it in must not
    change the quote."""
    cut = heading_prefix_length(text[start:end])
    if cut and len(text[start + cut:end].split()) >= MIN_RISK_WORDS:
        return trim_span(text, start + cut, end)
    return start, end


def _grading_context(doc: Document, sec: Section | None, start: int, end: int) -> str:
    lo, hi = (sec.start, sec.end) if sec else (start, end)
    lo = max(lo, start - CONTEXT_CHARS)
    hi = min(hi, end + CONTEXT_CHARS)
    return doc.text[min(lo, start):max(hi, end)]


def _references(entry: ClauseEntry) -> list[str]:
    return [f"{r.title} — {r.url}" for r in entry.references]


def make_finding(ctx: ReviewContext, j: Judgement) -> Finding | None:
    """One verified finding, or None when the quote cannot be found verbatim."""
    entry = ctx.entries[j.clause_id]
    doc = ctx.doc
    span = _span(doc, j)
    if span is None or span[0] >= span[1]:
        ctx.warnings.append(f"{j.clause_id}: dropped an unverifiable quote from {j.source}")
        return None
    start, end = _operative(doc.text, *span) if entry.kind == "risk" else span
    quote = doc.text[start:end]
    sections = ctx.segmentation.sections
    sec = enclosing_section(sections, start)
    numbered = _numbered_section(sections, sec)
    graded = grade(entry, _grading_context(doc, sec, start, end))
    severity = j.severity if j.severity in ("high", "medium", "low") else graded.severity
    redline = (Redline(original=quote, proposed=j.proposed) if j.proposed
               else propose(entry, quote, severity))
    rationale = entry.why_it_matters.strip()
    if j.reasons:
        rationale = " ".join(j.reasons) + "\n\n" + rationale
    return Finding(
        clause_id=entry.id, title=entry.title, kind=entry.kind, category=entry.category,
        severity=severity if entry.kind == "risk" else "low",  # type: ignore[arg-type]
        score=round(j.score, 4), page=doc.page_at(start),
        section=numbered.number if numbered else None,
        quote=quote, start=start, end=end, verified=is_verbatim(doc.text, start, end, quote),
        rationale=rationale, risk_signals=graded.reasons, redline=redline,
        fallbacks=ladder_lines(entry), references=_references(entry),
        needs_human_review=j.needs_human_review, source=j.source,
    )


def _overlaps(a: Finding, b: Finding) -> bool:
    return a.start < b.end and b.start < a.end


def dedupe(findings: list[Finding], per_clause: int = MAX_LOCATIONS) -> list[Finding]:
    """Per clause id keep the best non-overlapping locations (at most `per_clause`)."""
    kept: list[Finding] = []
    for f in sorted(findings, key=lambda f: -f.score):
        same = [k for k in kept if k.clause_id == f.clause_id]
        if len(same) >= per_clause or any(_overlaps(f, k) for k in same):
            continue
        kept.append(f)
    return sorted(kept, key=lambda f: (f.start, f.clause_id))


def build_findings(ctx: ReviewContext, judgements: list[Judgement],
                   threshold: Callable[[ClauseEntry], float]) -> list[Finding]:
    """Verify, grade, propose redlines; drop what is absent, unverifiable or scored below its
    entry's `threshold`."""
    made = []
    for j in judgements:
        if not j.present or j.clause_id not in ctx.entries:
            continue
        if j.score < threshold(ctx.entries[j.clause_id]):
            continue
        finding = make_finding(ctx, j)
        if finding is None or not finding.verified:
            continue
        if finding.kind == "risk" and len(finding.quote.split()) < MIN_RISK_WORDS:
            continue
        made.append(finding)
    return dedupe(made)
