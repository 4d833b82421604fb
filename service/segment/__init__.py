"""Segment stage: Document -> nested clause sections + index chunks (see sections/chunks)."""

from __future__ import annotations

from service.records import Chunk, Document, Segmentation
from service.segment.chunks import TextView, Unit, make_chunk, pack_units, split_unit
from service.segment.sections import build_sections, own_spans
from service.segment.sentences import sentences
from service.segment.tokens import (
    TokenCounter,
    default_counter,
    upper_bound_tokens,
    wordpiece_counter,
)

__all__ = ["default_counter", "segment", "sentences", "upper_bound_tokens", "wordpiece_counter"]


def segment(
    doc: Document, *, max_tokens: int = 256, token_counter: TokenCounter | None = None
) -> Segmentation:
    """Split a Document into sections (numbers, titles, nesting) and window-sized chunks."""
    count = token_counter or default_counter()
    sections = build_sections(doc)
    units = [Unit(i, a, b) for i, a, b in own_spans(sections, len(doc.text))]
    if not sections:
        units = [Unit(None, 0, len(doc.text))]
    view = TextView(doc, count)
    chunks: list[Chunk] = []
    for unit in pack_units(view, units, sections, max_tokens):
        section = sections[unit.section] if unit.section is not None else None
        for span in split_unit(view, unit, max_tokens):
            chunk = make_chunk(view, len(chunks), span, section)
            if chunk.text:
                chunks.append(chunk)
    return Segmentation(sections=sections, chunks=chunks)
