"""Reading order for two-column pages whose content stream interleaves the columns.

pypdf's plain mode follows the content stream. Most generators (Word, LaTeX) draw a column at a
time, which reads fine; some draw line by line across the page, which interleaves the columns.
Only when a page clearly has two text columns *and* the stream alternates between them is the
text rebuilt column by column from positioned fragments; anything else (tables, right-aligned
signature blocks) keeps pypdf's plain text.
"""

from __future__ import annotations

import itertools
from collections import Counter

Fragment = tuple[float, float, float, str]  # x, y, font size, text
MIN_SWITCHES = 4  # left->right->left... alternations that prove interleaving
MIN_COLUMN_CHARS = 15  # average right-column fragment length: prose, not table cells


def fragment(text: str, cm: list[float], tm: list[float], size: float) -> Fragment:
    """Page-space position of a text-show operation (text matrix composed with the CTM)."""
    x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
    y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
    scale = abs(tm[3] * cm[3]) or 1.0
    return x, y, size * scale, text


def _right_edge(frags: list[Fragment], width: float) -> float | None:
    """Most common left edge of fragments starting right of the page middle, if any."""
    edges = Counter(round(x) for x, _, _, t in frags if x > 0.4 * width and t.strip())
    if not edges:
        return None
    edge, hits = edges.most_common(1)[0]
    return float(edge) if hits >= 3 else None


def reorder_columns(plain: str, frags: list[Fragment], width: float) -> str:
    """Column-by-column text for an interleaved two-column page; otherwise `plain`."""
    frags = [f for f in frags if f[3].strip()]
    edge = _right_edge(frags, width)
    if edge is None:
        return plain
    sides = [x >= edge - 2 for x, _, _, _ in frags]
    right = [f for f, r in zip(frags, sides, strict=True) if r]
    left = [f for f, r in zip(frags, sides, strict=True) if not r]
    switches = sum(1 for a, b in itertools.pairwise(sides) if a != b)
    prose = sum(len(f[3].strip()) for f in right) / len(right) >= MIN_COLUMN_CHARS
    # a left fragment running past the right column's edge means one wide column, not two
    fits = all(x + 0.5 * size * len(t.rstrip()) <= edge + 5 for x, _, size, t in left)
    if switches < MIN_SWITCHES or not prose or not fits or not left:
        return plain
    return _lines(left) + "\n" + _lines(right)


def _lines(frags: list[Fragment]) -> str:
    """Join fragments top-to-bottom; same baseline -> same line."""
    ordered = sorted(frags, key=lambda f: (-round(f[1], 0), f[0]))
    lines: list[list[str]] = []
    last_y: float | None = None
    for _, y, _, text in ordered:
        if last_y is None or abs(y - last_y) > 1.5:
            lines.append([])
        lines[-1].append(text.strip())
        last_y = y
    return "\n".join(" ".join(parts) for parts in lines)
