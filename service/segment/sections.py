"""Split Document.text into nested sections from printed headings (line-start based).

A heading only counts where a new paragraph can begin: at the start of the text, after a blank
line, after a line ending a sentence/list item, or after another heading. That keeps wrapped
lines such as "Section 3.1 of this Agreement ..." inside their paragraph. A number printed on
its own line (as pypdf emits paragraph numbers) takes its caption from the following line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from service.records import Document, Section, SectionKind
from service.segment.headings import Heading, as_letter, definition_term, match_heading, split_title

_ENDS_BLOCK = re.compile(r"([.:;!?)\]”\"’]|[;,]\s*(?:and|or)|\b(?:and|or)\s*)$")


@dataclass
class Line:
    start: int
    end: int
    text: str  # furniture-free text of the line


@dataclass
class _Open:
    heading: Heading
    index: int


def content_lines(doc: Document) -> Iterator[Line]:
    """Lines of Document.text with header/footer spans blanked out (offsets unchanged)."""
    text = doc.text
    excluded = sorted((s.start, s.end) for s in doc.excluded)
    k, pos = 0, 0
    for raw in text.split("\n"):
        end = pos + len(raw)
        while k < len(excluded) and excluded[k][1] <= pos:
            k += 1
        visible = raw
        j = k
        while j < len(excluded) and excluded[j][0] < end:
            a, b = max(excluded[j][0], pos) - pos, min(excluded[j][1], end) - pos
            visible = visible[:a] + " " * (b - a) + visible[b:]
            j += 1
        yield from _soft_lines(pos, visible)
        pos = end + 1


_SOFT_BREAK = re.compile(r"[ \t]{3,}|\t")


def _soft_lines(pos: int, visible: str) -> Iterator[Line]:
    """Split a line at runs of 3+ spaces or tabs: flattened text ("1.1 Term.   1.2 Fees.")
    keeps paragraph starts there (CUAD-style corpora, PDF text with collapsed lines)."""
    last = 0
    for m in _SOFT_BREAK.finditer(visible):
        if visible[last : m.start()].strip():
            yield Line(pos + last, pos + m.start(), visible[last : m.start()])
        last = m.end()
    yield Line(pos + last, pos + len(visible), visible[last:])


def _may_start(prev: Line | None, prev_heading: bool) -> bool:
    if prev is None or prev_heading or not prev.text.strip():
        return True
    stripped = prev.text.strip()
    return bool(_ENDS_BLOCK.search(stripped)) or (stripped.isupper() and len(stripped) < 100)


def find_headings(doc: Document) -> list[tuple[Line, Heading, str | None]]:
    """(line, heading, title) for every accepted heading, in text order."""
    lines = [ln for ln in content_lines(doc) if ln.text.strip()]
    found: list[tuple[Line, Heading, str | None]] = []
    prev_heading, title_line, pending_title = False, -1, None
    last_in_style: dict[str, int] = {}
    for i, line in enumerate(lines):
        if i == title_line:  # text of a number printed on its own line belongs to that number
            prev_heading = line.text.strip().rstrip(".:") == pending_title
            continue
        h = _accept(doc, lines, i, prev_heading, last_in_style)
        prev_heading = False
        if h is None:
            continue
        nxt = lines[i + 1].text.strip() if i + 1 < len(lines) else None
        if nxt is not None and match_heading(nxt) is not None:
            nxt = None  # "ARTICLE II" directly followed by "2.1 ...": no caption line
        title, h = _title_and_kind(h, nxt)
        stripped = line.text.lstrip()
        # only a bare heading line ("ARTICLE II", "2.7") lets the next line start a block
        prev_heading = h.tail.strip().rstrip(".:") in ("", title)
        if not h.tail.strip() and nxt is not None and h.kind not in ("recital", "signature"):
            title_line, pending_title = i + 1, title
        offset = line.start + len(line.text) - len(stripped)
        found.append((Line(offset, line.end, stripped), h, title))
    return found


def _accept(
    doc: Document, lines: list[Line], i: int, prev_heading: bool, last_in_style: dict[str, int]
) -> Heading | None:
    """The heading starting lines[i], if its position and numbering make it credible."""
    stripped = lines[i].text.lstrip()
    h = match_heading(stripped)
    prev = lines[i - 1] if i else None
    if prev is not None and _gap(doc, prev, lines[i]):
        prev = None  # a blank line separates them
    if h is None or not _may_start(prev, prev_heading):
        h = _definition(stripped, prev, prev_heading)
    if h is None or not _plausible(h, last_in_style):
        return None
    nxt = match_heading(lines[i + 1].text.lstrip()) if i + 1 < len(lines) else None
    h = _resolve_roman(h, last_in_style, nxt)
    for style in [k for k in last_in_style if _STYLE_RANK.get(k, 0) > h.rank]:
        del last_in_style[style]  # a new outer item restarts the inner list counters
    last_in_style[h.style] = h.ordinal or 0
    return h


_STYLE_RANK = {"p-alpha": 10, "p-roman": 11, "p-ALPHA": 12, "p-ROMAN": 12, "p-digit": 13}


def _gap(doc: Document, a: Line, b: Line) -> bool:
    """A blank line between a and b on the same page (a page break is not a paragraph end)."""
    return doc.text.count("\n", a.end, b.start) > 1 and doc.page_at(a.end) == doc.page_at(b.start)


def _definition(text: str, prev: Line | None, prev_heading: bool) -> Heading | None:
    if definition_term(text) and _may_start(prev, prev_heading):
        return Heading(None, "definition", "definition", 20, text)
    return None


def _plausible(h: Heading, last: dict[str, int]) -> bool:
    """Reject numbers that run backwards (a wrapped '1.5 times ...' inside section 7)."""
    if h.kind == "exhibit" or h.kind == "schedule" or h.kind == "amendment":
        last.clear()  # numbering restarts inside exhibits
        return True
    if h.style.startswith("decimal") and h.ordinal is not None:
        seen = [v for k, v in last.items() if k.startswith("decimal")]
        return not seen or max(seen) - 1 <= h.ordinal <= max(seen) + 20
    return True


def _resolve_roman(h: Heading, last: dict[str, int], nxt: Heading | None) -> Heading:
    """Read "(i)", "(v)", "(x)" as letters when they continue a lettered list: (h) -> (i)."""
    if h.style not in ("p-roman", "p-ROMAN") or not h.number or len(h.number.strip("().")) != 1:
        return h
    letter = as_letter(h)
    alpha = "p-alpha" if h.style == "p-roman" else "p-ALPHA"
    roman_follows = last.get(h.style, 0) == (h.ordinal or 0) - 1
    alpha_follows = last.get(alpha) == (letter.ordinal or 0) - 1
    roman_next = nxt is not None and nxt.style == h.style and nxt.ordinal == (h.ordinal or 0) + 1
    if alpha_follows and not (roman_next and roman_follows):
        return letter  # (h) -> (i) is a letter unless "(ii)" comes straight after
    if not roman_follows and h.number.strip("().").lower() != "i":
        return letter  # "(v)" with no "(iv)" before it
    return h


def _title_and_kind(h: Heading, next_line: str | None) -> tuple[str | None, Heading]:
    own_line = not h.tail.strip()
    term = definition_term(next_line or "" if own_line else h.tail)
    if term:
        if h.kind == "definition":
            return term, h
        return term, Heading(h.number, "definition", h.style, h.rank, h.tail, h.ordinal)
    if h.kind in ("recital", "signature"):
        return (h.tail.strip().rstrip(":") if h.style == "recitals" else None), h
    title = split_title(h.tail, next_line if own_line else None)
    return title, h


def build_sections(doc: Document) -> list[Section]:
    """Nested sections with char spans (subtree) and page spans."""
    headings = find_headings(doc)
    sections: list[Section] = []
    stack: list[_Open] = []
    first = headings[0][0].start if headings else len(doc.text)
    if any(ln.text.strip() for ln in content_lines(doc) if ln.start < first):
        sections.append(_section(doc, 0, None, None, "preamble", 0, None, 0, first))
    for line, h, title in headings:
        while stack and stack[-1].heading.rank >= h.rank:
            stack.pop()
        parent = stack[-1].index if stack else None
        index = len(sections)
        sections.append(
            _section(
                doc, index, h.number, title, h.kind, len(stack), parent, line.start, line.start
            )
        )
        stack.append(_Open(h, index))
    return _close(doc, sections)


def _section(
    doc: Document,
    index: int,
    number: str | None,
    title: str | None,
    kind: SectionKind,
    level: int,
    parent: int | None,
    start: int,
    end: int,
) -> Section:
    return Section(
        index=index,
        number=number,
        title=title,
        kind=kind,
        level=level,
        parent=parent,
        start=start,
        end=end,
        page_start=doc.page_at(start),
        page_end=doc.page_at(start),
    )


def _close(doc: Document, sections: list[Section]) -> list[Section]:
    """Each section ends where the next section of the same or an outer level starts."""
    closed: list[Section] = []
    for i, s in enumerate(sections):
        end = len(doc.text)
        for later in sections[i + 1 :]:
            if later.level <= s.level or s.kind == "preamble":
                end = later.start
                break
        end = _trim(doc.text, s.start, end)
        closed.append(
            s.model_copy(update={"end": end, "page_end": doc.page_at(max(s.start, end - 1))})
        )
    return closed


def _trim(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def own_spans(sections: list[Section], text_len: int) -> list[tuple[int, int, int]]:
    """(section index, start, end) of each section's own text, up to the next heading."""
    spans = []
    for i, s in enumerate(sections):
        nxt = sections[i + 1].start if i + 1 < len(sections) else text_len
        spans.append((s.index, s.start, max(s.start, nxt)))
    return spans
