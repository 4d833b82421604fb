"""Find the rendered PDF page on which each gold span starts (whitespace-insensitive match)."""

from __future__ import annotations

import bisect
import re
from pathlib import Path

from pypdf import PdfReader

from corpus_build.source import Contract, Span

_DROP = re.compile(r"[\s|]+")


class LocateError(ValueError):
    """A labelled span's text could not be found in the rendered PDF."""


def norm(text: str) -> str:
    """Whitespace- and table-rule-insensitive form used to compare source and PDF text."""
    return _DROP.sub("", text)


def _strip_last(text: str, piece: str) -> str:
    i = text.rfind(piece)
    return text if i < 0 or not piece else text[:i] + text[i + len(piece):]


def _page_stream(pdf: Path, header: str, footer: str) -> tuple[str, list[int]]:
    """Concatenated normalised page texts without running header/footer; page start offsets."""
    reader = PdfReader(str(pdf))
    total = len(reader.pages)
    parts, starts, pos = [], [], 0
    for n, page in enumerate(reader.pages, start=1):
        t = norm(page.extract_text() or "")
        for piece in (f"Page{n}of{total}", norm(footer), norm(header)):
            t = _strip_last(t, piece)
        starts.append(pos)
        parts.append(t)
        pos += len(t)
    return "".join(parts), starts


def _norm_offsets(text: str) -> list[int]:
    """For each source offset, the offset in norm(text) of the first kept char at or after it."""
    out, k = [], 0
    for ch in text:
        out.append(k)
        if not _DROP.fullmatch(ch):
            k += 1
    out.append(k)
    return out


def page_count(pdf: Path) -> int:
    """Number of pages in a rendered PDF."""
    return len(PdfReader(str(pdf)).pages)


def locate_pages(contract: Contract, pdf: Path,
                 scanned: list[tuple[int, int]]) -> dict[tuple[int, int, str], int]:
    """Map (start, end, category) of each span to its 1-based page; raises LocateError."""
    stream, starts = _page_stream(pdf, str(contract.meta["header"]), str(contract.meta["footer"]))
    offs = _norm_offsets(contract.text)
    scan_len = sorted((end, offs[end] - offs[start]) for start, end in _scan_ranges(contract))
    pages: dict[tuple[int, int, str], int] = {}
    for s in contract.spans:
        key = (s.start, s.end, s.category)
        if s.scanned:
            pages[key] = next(p for end, p in scanned if end >= s.end)
            continue
        pages[key] = _find(contract, s, stream, starts, offs, scan_len)
    return pages


def _scan_ranges(contract: Contract) -> list[tuple[int, int]]:
    # A block ending the file can sit past the text's end (trailing whitespace is trimmed).
    n = len(contract.text)
    opens = [min(b.start, n) for b in contract.blocks if b.kind == "scanned_start"]
    ends = [min(b.start, n) for b in contract.blocks if b.kind == "scanned_end"]
    return list(zip(opens, ends, strict=True))


def _find(contract: Contract, s: Span, stream: str, starts: list[int], offs: list[int],
          scan_len: list[tuple[int, int]]) -> int:
    key = norm(contract.text[s.start:s.end])
    # Text of scanned blocks is absent from the stream, so shift the expected position back.
    expected = offs[s.start] - sum(n for end, n in scan_len if end <= s.start)
    hits = [m.start() for m in re.finditer(re.escape(key), stream)]
    if not hits:
        raise LocateError(f"{contract.id}: {s.category} text not found in PDF: "
                          f"{contract.text[s.start:s.end][:80]!r}")
    best = min(hits, key=lambda h: abs(h - expected))
    return bisect.bisect_right(starts, best)
