"""Legal-aware sentence splitting over Document.text spans.

Does not split after abbreviations common in contracts ("Sec.", "U.S.C.", "No.", "e.g.",
"i.e.", "Inc.", "Corp."), inside decimals/section numbers ("2.7"), or after list markers
("(a)", "1.", "iii."). Blank lines and a new list item on its own line end a sentence. A
sentence running across a page break keeps its full span (it may contain header/footer lines,
see Document.excluded and visible_text); spans never start or end inside furniture.
"""

from __future__ import annotations

import itertools
import re

from service.records import Document, Span

_ABBREV = frozenset(
    [
        "sec",
        "secs",
        "no",
        "nos",
        "inc",
        "corp",
        "co",
        "ltd",
        "llc",
        "l.l.c",
        "p.c",
        "p.a",
        "l.p",
        "u.s",
        "u.s.c",
        "c.f.r",
        "e.g",
        "i.e",
        "etc",
        "al",
        "art",
        "para",
        "par",
        "ch",
        "vol",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "ave",
        "jr",
        "sr",
        "v",
        "vs",
        "approx",
        "dept",
        "fig",
        "subd",
        "cl",
        "pp",
        "p",
        "hon",
        "n.a",
        "m.d",
        "d.o",
        "ph.d",
        "r.n",
        "a.m",
        "p.m",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "ex",
        "exh",
        "sched",
        "min",
        "max",
        "fed",
        "reg",
        "stat",
        "ann",
        "rev",
        "supp",
        "cir",
        "id",
    ]
)
_CANDIDATE = re.compile(
    r"[.!?][”\"’')\]]*(?=\s)|\n[ \t]*\n"
    r"|\n(?=[ \t]*(?:\((?:[a-z]{1,4}|[A-Z]{1,3}|\d{1,2})\)|\d{1,3}(?:\.\d{1,3})+\.?|WHEREAS)\s)"
)
_MARKER = re.compile(
    r"(?:\(?[a-zA-Z]{1,4}\)|\(?\d{1,3}(?:\.\d{1,3})*|[a-zA-Z]|[ivxlcIVXLC]{1,5}|[\d.()]+)"
)
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


def _is_boundary(text: str, start: int, dot: int) -> bool:
    """Decide whether the '.' at index dot ends a sentence."""
    before = text[start:dot]
    head = before[before.rfind("\n") + 1 :].strip()
    if _MARKER.fullmatch(head):
        return False  # "(a)." / "2.7." / "iii." at the start of a line is a list marker
    m = _WORD_BEFORE.search(before)
    if m and m.group(1).lower().rstrip(".") in _ABBREV:
        return False
    if m and len(m.group(1)) == 1 and m.group(1).isupper():
        return False  # initials: "John Q. Public"
    after = text[dot + 1 : dot + 40].lstrip(" \t”\"’')]")
    return not after[:1].islower()  # "e.g. a" / "approx. two" keep going


def sentences(doc: Document, start: int, end: int) -> list[Span]:
    """Sentence spans (trimmed of whitespace and furniture) inside Document.text[start:end]."""
    text = doc.text
    cuts = [start]
    page_breaks = {p.end for p in doc.pages[:-1]}  # the blank line between pages is no boundary
    for m in _CANDIDATE.finditer(text, start, end):
        if m.group().startswith("\n"):
            if m.start() not in page_breaks:
                cuts.append(m.end())
        elif _is_boundary(text, cuts[-1], m.start()):
            cuts.append(m.end())
    cuts.append(end)
    furniture = sorted((s.start, s.end) for s in doc.excluded if s.end > start and s.start < end)
    spans: list[Span] = []
    for a, b in itertools.pairwise(cuts):
        a, b = _trim(text, a, min(b, end), furniture)
        if b > a:
            spans.append(Span(start=a, end=b))
    return spans


def _trim(text: str, a: int, b: int, furniture: list[tuple[int, int]]) -> tuple[int, int]:
    """Shrink [a, b) past surrounding whitespace and header/footer spans."""
    moved = True
    while moved and a < b:
        moved = False
        while a < b and text[a].isspace():
            a, moved = a + 1, True
        while b > a and text[b - 1].isspace():
            b, moved = b - 1, True
        for fs, fe in furniture:
            if fs <= a < fe:
                a, moved = fe, True
            if fs < b <= fe:
                b, moved = fs, True
    return a, max(a, b)
