"""Detect running headers/footers and page-number lines so they can be excluded from clauses.

A line is page furniture when, after digits are normalised, it recurs in the top or bottom
zone (first/last few lines) of many pages, or when it is an explicit page-number line
("Page 3 of 30", "- 3 -", "3") in a top/bottom zone. Lines are only *reported* as spans:
Document.text keeps them so every offset still maps back to the source.
"""

from __future__ import annotations

import re
from collections import Counter

from service.records import Page, Span

ZONE_LINES = 3  # headers/footers of up to three lines
_PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?[-–—]?\s*(?:\d{1,4}|[ivxlc]{1,6})\s*[-–—]?"
    r"(?:\s*(?:of|/)\s*\d{1,4})?(?:\s*\|\s*page)?$",
    re.IGNORECASE,
)


# Clause headings/numbers often sit at a page top; repeating "#.#" shapes are not furniture.
_HEADING_LIKE = re.compile(
    r"^(?:#+(?:\.#+)*\.?(?:\s|$)|\(|(?:article|section|exhibit|schedule|attachment|appendix"
    r"|amendment|§)\s)"
)


def _norm(line: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\d+", "#", line)).strip().lower()


def _zone_lines(
    text: str, page: Page
) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]:
    """(top, bottom): the first and last few non-blank lines, each listed from the page edge."""
    lines: list[tuple[int, int, str]] = []
    pos = page.start
    for raw in text[page.start : page.end].split("\n"):
        if raw.strip():
            lines.append((pos, pos + len(raw), _norm(raw)))
        pos += len(raw) + 1
    return lines[:ZONE_LINES], lines[-ZONE_LINES:][::-1]


def _prose(norm: str) -> bool:
    """A long line ending a sentence is body text (boilerplate repeated near page ends)."""
    return len(norm) > 60 and norm.endswith((".", ";", ","))


def is_page_number_line(line: str) -> bool:
    """True for bare page-number lines such as "Page 3 of 30", "- 3 -", "3", "iv"."""
    return bool(_PAGE_NUMBER.match(line.strip()))


def detect_furniture(text: str, pages: list[Page]) -> list[Span]:
    """Spans of running headers/footers and page-number lines, sorted by start."""
    zones = [_zone_lines(text, p) for p in pages if p.has_text]
    if not zones:
        return []
    counts = Counter(n for top, bottom in zones for n in {n for _, _, n in top + bottom})
    threshold = max(2, (len(zones) + 1) // 2)  # a cover page may lack the running header
    spans: dict[int, Span] = {}
    for top, bottom in zones:
        for edge in (top, bottom):
            # walk inwards from the page edge; furniture is contiguous with the edge
            for start, end, norm in edge:
                repeated = len(zones) >= 2 and counts[norm] >= threshold and not _prose(norm)
                if (repeated and not _HEADING_LIKE.match(norm)) or _PAGE_NUMBER.match(norm):
                    spans[start] = Span(start=start, end=end)
                else:
                    break
    return sorted(spans.values(), key=lambda s: s.start)
