"""Quote verification: every quote shown to a lawyer is verbatim document text."""

from __future__ import annotations

import re

_WS = re.compile(r"\s+")


def _normalise_with_map(text: str) -> tuple[str, list[int]]:
    """Collapse whitespace runs to one space; return the new text and new->old index map."""
    out: list[str] = []
    index: list[int] = []
    prev_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if prev_space:
                continue
            out.append(" ")
            prev_space = True
        else:
            out.append(ch)
            prev_space = False
        index.append(i)
    return "".join(out), index


def locate_quote(text: str, quote: str, *, near: int | None = None) -> tuple[int, int] | None:
    """Find `quote` in `text` (exactly, else modulo whitespace); return its original span."""
    quote = quote.strip()
    if not quote:
        return None
    hits = [m.start() for m in re.finditer(re.escape(quote), text)]
    if hits:
        start = min(hits, key=lambda h: abs(h - near)) if near is not None else hits[0]
        return start, start + len(quote)
    norm_text, index = _normalise_with_map(text)
    norm_quote = _WS.sub(" ", quote)
    positions = [m.start() for m in re.finditer(re.escape(norm_quote), norm_text)]
    if not positions:
        return None
    pos = min(positions, key=lambda p: abs(index[p] - near)) if near is not None else positions[0]
    start = index[pos]
    end = index[pos + len(norm_quote) - 1] + 1
    return start, end


def is_verbatim(text: str, start: int, end: int, quote: str) -> bool:
    """True only if the quote is exactly the document text at [start, end)."""
    return 0 <= start < end <= len(text) and text[start:end] == quote
