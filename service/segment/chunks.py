"""Chunks for the index: follow clause boundaries, never exceed the embedding window.

Each section's own text (heading to next heading) is a unit. Tiny units (a lone heading) merge
into the next one; short units pack together while they stay inside the first unit's clause
(its sub-items or siblings). Long units split on sentence boundaries with one sentence of
overlap; an over-long sentence splits on words. Chunk.text drops header/footer spans.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

from service.records import Chunk, Document, Section
from service.segment.sentences import sentences
from service.segment.tokens import SPECIAL_TOKENS, TokenCounter

TINY_TOKENS = 24  # a heading alone; merged forward
PACK_FRACTION = 0.75  # pack short clauses up to this share of the window
_BLANKS = re.compile(r"\n\s*\n(\s*\n)+")


@dataclass
class Unit:
    section: int | None
    start: int
    end: int


class TextView:
    """Document.text seen without header/footer spans, with memoised token counts."""

    def __init__(self, doc: Document, count: TokenCounter):
        self.doc = doc
        spans = sorted((s.start, s.end) for s in doc.excluded)
        self._starts = [a for a, _ in spans]
        self._spans = spans
        self._count = count
        self._memo: dict[tuple[int, int], int] = {}

    def visible(self, start: int, end: int) -> str:
        """Document.text[start:end] minus excluded spans, blank-line runs squeezed."""
        parts, pos = [], start
        i = max(0, bisect.bisect_right(self._starts, start) - 1)
        while i < len(self._spans) and self._spans[i][0] < end:
            a, b = self._spans[i]
            if b > pos:
                parts.append(self.doc.text[pos : max(pos, a)])
                pos = max(pos, b)
            i += 1
        if pos < end:
            parts.append(self.doc.text[pos:end])
        return _BLANKS.sub("\n\n", "".join(parts)).strip()

    def remember(self, a: Unit, b: Unit, merged: Unit) -> None:
        """Record the merged unit's count as the sum of its parts (see _mergeable)."""
        total = self.tokens(a.start, a.end) + self.tokens(b.start, b.end) - SPECIAL_TOKENS
        self._memo.setdefault((merged.start, merged.end), total)

    def exact_tokens(self, start: int, end: int) -> int:
        """Token count of the final text; a sum of parts only for whitespace-additive counters."""
        if getattr(self._count, "additive", False):
            return self.tokens(start, end)
        return self._count(self.visible(start, end))

    def tokens(self, start: int, end: int) -> int:
        """Token count of the visible text of [start, end)."""
        key = (start, end)
        if key not in self._memo:
            self._memo[key] = self._count(self.visible(start, end))
        return self._memo[key]


def visible_text(doc: Document, start: int, end: int) -> str:
    """Document.text[start:end] without header/footer spans, blank-line runs squeezed."""
    return TextView(doc, len).visible(start, end)


def pack_units(
    view: TextView, units: list[Unit], sections: list[Section], max_tokens: int
) -> list[Unit]:
    """Merge tiny units forward and pack short sibling/child units."""
    out: list[Unit] = []
    for unit in units:
        if not view.visible(unit.start, unit.end):
            continue
        prev = out[-1] if out else None
        if prev is not None and _mergeable(view, prev, unit, sections, max_tokens):
            head_tiny = _is_tiny(view, prev)
            at_heading = prev.section is not None and prev.start == sections[prev.section].start
            out[-1] = Unit(
                unit.section if head_tiny and at_heading else prev.section, prev.start, unit.end
            )
            view.remember(prev, unit, out[-1])
        else:
            out.append(unit)
    return out


def _is_tiny(view: TextView, unit: Unit) -> bool:
    """A lone heading: short and not ending like a sentence ("ARTICLE VI – TERM")."""
    text = view.visible(unit.start, unit.end)
    return (
        not text.endswith((".", ";", ":", "?", "!"))
        and view.tokens(unit.start, unit.end) <= TINY_TOKENS
    )


def _mergeable(
    view: TextView, prev: Unit, unit: Unit, sections: list[Section], max_tokens: int
) -> bool:
    if _is_tiny(view, prev):
        return True  # a lone heading always joins the clause after it (split_unit cuts later)
    # WordPiece never joins across whitespace, so adjacent clauses' counts add up (minus one
    # [CLS]/[SEP] pair); split_unit re-counts every final chunk exactly anyway.
    merged = view.tokens(prev.start, prev.end) + view.tokens(unit.start, unit.end) - SPECIAL_TOKENS
    if merged > max_tokens:
        return False
    if merged > PACK_FRACTION * max_tokens or prev.section is None or unit.section is None:
        return False
    return _within(sections, unit.section, prev.section)


_ITEM_KINDS = ("paragraph", "definition", "recital")


def _within(sections: list[Section], index: int, anchor: int) -> bool:
    """True if section `index` is inside `anchor`, or both are list items of one parent."""
    node: int | None = index
    while node is not None:
        if node == anchor:
            return True
        node = sections[node].parent
    a, b = sections[anchor], sections[index]
    return a.kind in _ITEM_KINDS and b.kind in _ITEM_KINDS and a.parent == b.parent


def split_unit(view: TextView, unit: Unit, max_tokens: int) -> list[tuple[int, int]]:
    """Spans of a unit cut on sentence boundaries, one sentence overlap, each within budget."""
    if view.exact_tokens(unit.start, unit.end) <= max_tokens:
        return [(unit.start, unit.end)]
    pieces: list[tuple[int, int]] = []
    for s in sentences(view.doc, unit.start, unit.end):
        if view.tokens(s.start, s.end) <= max_tokens:
            pieces.append((s.start, s.end))
        else:
            pieces.extend(_split_words(view, s.start, s.end, max_tokens))
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(pieces):
        def fits(j: int, a: int = pieces[i][0]) -> bool:
            return view.tokens(a, pieces[j][1]) <= max_tokens

        j = _first_unfit(fits, i + 1, len(pieces))
        spans.append((pieces[i][0], pieces[j - 1][1]))
        i = j - 1 if j - 1 > i and j < len(pieces) else j  # restart on the last sentence: overlap
    return spans


def _first_unfit(fits: Callable[[int], bool], lo: int, hi: int) -> int:
    """First j in [lo, hi) with not fits(j), else hi; `fits` is true then false (token counts
    only grow as a span grows). Galloping then bisecting: O(log n) token counts per chunk instead
    of one per word, which made long clauses quadratic."""
    prev, probe, step = lo, lo, 1
    while probe < hi and fits(probe):
        prev, probe, step = probe + 1, probe + step, step * 2
    hi = min(probe, hi)
    while prev < hi:
        mid = (prev + hi) // 2
        if fits(mid):
            prev = mid + 1
        else:
            hi = mid
    return prev


def _split_words(view: TextView, start: int, end: int, max_tokens: int) -> list[tuple[int, int]]:
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", view.doc.text[start:end])]
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        def fits(j: int, a: int = start + words[i][0]) -> bool:
            return view.tokens(a, start + words[j][1]) <= max_tokens

        j = _first_unfit(fits, i + 1, len(words))
        a, b = start + words[i][0], start + words[j - 1][1]
        if view.tokens(a, b) > max_tokens:  # one enormous "word": cut by characters
            step = max(1, max_tokens - 2)  # n non-space chars -> at most n + 2 tokens
            out.extend((k, min(k + step, b)) for k in range(a, b, step))
        else:
            out.append((a, b))
        i = j
    return out


def make_chunk(
    view: TextView, ordinal: int, span: tuple[int, int], section: Section | None
) -> Chunk:
    """A Chunk record for Document.text[span] attributed to `section`."""
    doc, (start, end) = view.doc, span
    return Chunk(
        chunk_id=f"{doc.doc_id}:{ordinal}",
        doc_id=doc.doc_id,
        ordinal=ordinal,
        text=view.visible(start, end),
        start=start,
        end=end,
        section_index=section.index if section else None,
        section_number=section.number if section else None,
        section_title=section.title if section else None,
        page_start=doc.page_at(start),
        page_end=doc.page_at(max(start, end - 1)),
    )
