"""Report view model shared by HTML, Markdown and Word: ordering, highlights, diffs, checklist."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from service.library.loader import ClauseLibrary
from service.library.schema import ClauseEntry
from service.records import Finding, ReviewResult

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Segment:
    """A piece of text with a role: plain, mark (highlight), del or ins."""

    text: str
    role: str = "plain"


@dataclass
class FindingView:
    finding: Finding
    entry: ClauseEntry | None
    anchor: str
    quote: list[Segment]
    redline: list[Segment] = field(default_factory=list)


@dataclass
class ChecklistItem:
    clause_id: str
    title: str
    label: str
    status: str  # met | not met


@dataclass
class ReportView:
    result: ReviewResult
    risks: list[FindingView]
    counts: dict[str, int]
    not_found: list[tuple[str, str]]  # (id, title)
    checklist: list[ChecklistItem]
    caveat: str


def highlight(text: str, patterns: list[str]) -> list[Segment]:
    """Split `text` into plain and marked segments where any pattern/cue matches."""
    spans: list[tuple[int, int]] = []
    for p in patterns:
        try:
            spans.extend(m.span() for m in re.finditer(p, text, re.I) if m.end() > m.start())
        except re.error:
            continue
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    out, pos = [], 0
    for s, e in merged:
        if s > pos:
            out.append(Segment(text[pos:s]))
        out.append(Segment(text[s:e], "mark"))
        pos = e
    if pos < len(text):
        out.append(Segment(text[pos:]))
    return out


REWRITE_BELOW = 0.5  # word similarity under which a redline reads as one rewrite, not a diff


def word_diff(original: str, proposed: str) -> list[Segment]:
    """Word-level tracked changes for edits; one deletion + one insertion for rewrites."""
    a, b = TOKEN.findall(original), TOKEN.findall(proposed)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    if matcher.ratio() < REWRITE_BELOW:
        return [Segment(original, "del"), Segment(" ", "ins"), Segment(proposed, "ins")]
    out: list[Segment] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(Segment("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(Segment("".join(a[i1:i2]), "del"))
        if op in ("insert", "replace"):
            out.append(Segment("".join(b[j1:j2]), "ins"))
    return out


def _patterns(entry: ClauseEntry | None) -> list[str]:
    if entry is None:
        return []
    worse = [s.pattern for s in entry.risk_signals if s.effect == "worse" and s.when == "present"]
    return [re.escape(c) for c in entry.detection.cues] + worse


def _checklist(result: ReviewResult, library: ClauseLibrary) -> list[ChecklistItem]:
    quotes: dict[str, list[str]] = {}
    for f in result.findings:
        quotes.setdefault(f.clause_id, []).append(f.quote)
    applicable = [*{f.clause_id for f in result.findings}, *result.not_found]
    items = []
    for cid in sorted(set(applicable)):
        entry = library.entries.get(cid)
        if entry is None or entry.must_have is None:
            continue
        mh, found = entry.must_have, quotes.get(cid, [])
        if mh.met_when == "absent":
            met = not found
        else:
            met = not found or any(re.search(mh.pattern or "", q, re.I) for q in found)
        items.append(ChecklistItem(cid, entry.title, mh.label, "met" if met else "not met"))
    return sorted(items, key=lambda i: (i.status == "met", i.title))


def build_view(result: ReviewResult, library: ClauseLibrary) -> ReportView:
    """Everything the templates show, computed once."""
    risks = sorted((f for f in result.findings if f.kind == "risk"),
                   key=lambda f: (SEVERITY_ORDER[f.severity], f.start))
    views = []
    for i, f in enumerate(risks, 1):
        entry = library.entries.get(f.clause_id)
        redline = word_diff(f.redline.original, f.redline.proposed) if f.redline else []
        views.append(FindingView(f, entry, f"finding-{i}", highlight(f.quote, _patterns(entry)),
                                 redline))
    counts = {s: sum(v.finding.severity == s for v in views) for s in ("high", "medium", "low")}
    not_found = [(cid, library.entries[cid].title if cid in library.entries else cid)
                 for cid in result.not_found]
    return ReportView(result=result, risks=views, counts=counts, not_found=not_found,
                      checklist=_checklist(result, library), caveat=library.manifest.caveat)
