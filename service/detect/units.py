"""Split contract text into legal-aware sentence units with exact character spans."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words that end with a period but rarely end a sentence in contracts.
_ABBREV = frozenset(
    ["inc", "ltd", "co", "corp", "llc", "l.l.c", "no", "nos", "sec", "secs", "art", "arts", "para", "p", "pp", "u.s", "u.k", "e.g", "i.e", "etc", "vs", "v", "mr", "mrs", "ms", "dr", "st", "jr", "sr", "s.a", "n.v", "b.v", "gmbh", "ag", "plc", "l.p", "lp", "pty", "bhd", "s.r.l", "s.p.a", "approx", "dept", "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "ch", "cl", "subsec", "govt", "intl", "assoc", "bros"]
)
# A sentence ends after . ! ? (optionally closing quote/paren) followed by whitespace.
_END = re.compile(r"[.!?][\"'\u201d)]?(?=\s+[\"'\u201c(\[A-Z0-9])")
# Hard breaks: newlines and runs of 3+ spaces (CUAD's flattened layout uses them for paragraphs).
_HARD = re.compile(r"\s*\n\s*|[ \t\u00a0]{3,}")
# Sub-sentence clause breaks: after ';' or before an enumerator like "(a)" / "(ii)".
_CLAUSE = re.compile(r";\s+|(?<=[:,])\s+(?=\([a-z0-9ivx]{1,4}\)\s)|\s+(?=\([a-z0-9ivx]{1,4}\)\s)")
_WORD_BEFORE = re.compile(r"([A-Za-z0-9.&]+)$")
_HEADING = re.compile(
    r"^(?:(?:article|section|schedule|exhibit)\s+)?[0-9ivxlcIVXLC]+(?:\.[0-9]+)*\.?\s+[A-Z][^.]{0,80}$"
    r"|^[A-Z][A-Z0-9 ,&/'\-()]{3,80}$",
)


@dataclass(frozen=True, slots=True)
class Unit:
    """A text unit: `text == source[start:end]`; `kind` is sentence, clause or merged."""

    start: int
    end: int
    text: str
    kind: str = "sentence"


def _is_abbrev_end(text: str, dot: int) -> bool:
    m = _WORD_BEFORE.search(text, max(0, dot - 24), dot)
    if not m:
        return False
    word = m.group(1).lower().rstrip(".")
    if word in _ABBREV or (len(word) == 1 and word.isalpha()):
        return True
    # Section numbers ("1.", "2.3.") are headings glued to their sentence, not ends.
    return bool(re.fullmatch(r"[0-9]{1,2}(?:\.[0-9]{1,3})*", word))


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span so it neither starts nor ends with whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _pieces(text: str, start: int, end: int, breaks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    cur = start
    for b0, b1 in breaks:
        s, e = trim_span(text, cur, b0)
        if e > s:
            out.append((s, e))
        cur = b1
    s, e = trim_span(text, cur, end)
    if e > s:
        out.append((s, e))
    return out


def split_sentences(text: str, min_chars: int = 2) -> list[Unit]:
    """Sentence units over the raw text (hard breaks first, then sentence ends)."""
    blocks = _pieces(text, 0, len(text), [(m.start(), m.end()) for m in _HARD.finditer(text)])
    units: list[Unit] = []
    for b0, b1 in blocks:
        breaks = [
            (m.end(), m.end()) for m in _END.finditer(text, b0, b1)
            if not (text[m.start()] == "." and _is_abbrev_end(text, m.start()))
        ]
        for s, e in _pieces(text, b0, b1, breaks):
            if e - s >= min_chars:
                units.append(Unit(s, e, text[s:e], "sentence"))
    return units


def split_clauses(text: str, sentence: Unit, min_chars: int = 25) -> list[Unit]:
    """Sub-sentence clauses of a long sentence (split at ';' and list enumerators)."""
    breaks = [(m.start(), m.end()) for m in _CLAUSE.finditer(text, sentence.start, sentence.end)]
    if not breaks:
        return []
    parts = _pieces(text, sentence.start, sentence.end, breaks)
    return [Unit(s, e, text[s:e], "clause") for s, e in parts if e - s >= min_chars]


def is_heading(unit_text: str) -> bool:
    """True for short heading-like units ("12. GOVERNING LAW", "ASSIGNMENT")."""
    t = unit_text.strip()
    return 3 <= len(t) <= 90 and bool(_HEADING.match(t)) and len(t.split()) <= 10


_INLINE_HEADING = re.compile(
    r"^(?:(?:section|article)\s+)?[0-9]+(?:\.[0-9]+)*\.?\s+([A-Z][\w ,&/'\-]{2,60}?)[.:]\s")


def leading_heading(unit_text: str) -> str:
    """Inline heading at the start of a sentence ("12.3 Assignment. Neither party...")."""
    m = _INLINE_HEADING.match(unit_text)
    return m.group(1) if m else ""


def heading_prefix_length(unit_text: str) -> int:
    """Characters of that inline heading, number included (0 when there is none)."""
    m = _INLINE_HEADING.match(unit_text)
    return m.end() if m else 0
