"""Word revisions (w:del / w:ins) and comments written into paragraphs with lxml."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from docx.oxml.ns import qn
from docx.text.run import Run

from service.report.view import Segment, word_diff

AUTHOR = "Clausewise"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


@dataclass
class Edit:
    """Replace paragraph text [start, end) with `proposed` and attach a comment."""

    start: int
    end: int
    original: str
    proposed: str | None  # None: comment only
    comment: str | None  # None: no comment (continuation of a multi-paragraph edit)


class RevisionWriter:
    """Creates revision and comment markup with unique ids, one author and one date."""

    def __init__(self, document: Any, author: str = AUTHOR, when: datetime | None = None):
        self.document = document
        self.author = author
        self.date = (when or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
        self._next = 9000

    def _id(self) -> str:
        self._next += 1
        return str(self._next)

    def _wrap(self, tag: str, runs: list[Any]) -> Any:
        el = runs[0].makeelement(qn(tag), {qn("w:id"): self._id(), qn("w:author"): self.author,
                                           qn("w:date"): self.date})
        runs[0].addprevious(el)
        for r in runs:
            el.append(r)
        return el

    def delete(self, runs: list[Any]) -> Any:
        """Wrap runs in w:del; their w:t become w:delText."""
        for r in runs:
            for t in r.findall(qn("w:t")):
                t.tag = qn("w:delText")
                t.set(XML_SPACE, "preserve")
        return self._wrap("w:del", runs)

    def insert_after(self, anchor: Any, text: str, template_run: Any | None) -> Any:
        """A w:ins with one run of `text` (formatted like template_run) after `anchor`."""
        run = anchor.makeelement(qn("w:r"), {})
        rpr = template_run.find(qn("w:rPr")) if template_run is not None else None
        if rpr is not None:
            run.append(copy.deepcopy(rpr))
        t = run.makeelement(qn("w:t"), {XML_SPACE: "preserve"})
        t.text = text
        run.append(t)
        anchor.addnext(run)
        return self._wrap("w:ins", [run])

    def comment(self, first: Any, last: Any, text: str) -> None:
        """A Word comment whose range covers first..last (elements in one paragraph)."""
        c = self.document.comments.add_comment(text=text, author=self.author, initials="CW")
        cid = str(c.comment_id)
        first.addprevious(first.makeelement(qn("w:commentRangeStart"), {qn("w:id"): cid}))
        end = last.makeelement(qn("w:commentRangeEnd"), {qn("w:id"): cid})
        last.addnext(end)
        ref_run = last.makeelement(qn("w:r"), {})
        ref_run.append(ref_run.makeelement(qn("w:commentReference"), {qn("w:id"): cid}))
        end.addnext(ref_run)


def _ours(el: Any) -> bool:
    return el.tag == qn("w:ins") and el.get(qn("w:author")) == AUTHOR


def _runs(p: Any) -> list[Any]:
    """The original text's runs in document order: deleted revisions and our own insertions
    are skipped, so offsets stay true while several edits land in one paragraph."""
    return [r for r in p.iter(qn("w:r"))
            if not any(a.tag == qn("w:del") or _ours(a) for a in r.iterancestors())]


def _text(r: Any) -> str:
    return Run(r, None).text  # type: ignore[arg-type]


def _splittable(r: Any) -> bool:
    return all(c.tag in (qn("w:rPr"), qn("w:t")) for c in r)


def _split(r: Any, at: int) -> Any:
    """Split a plain-text run at `at`; returns the new right-hand run."""
    text = _text(r)
    right = copy.deepcopy(r)
    for el, part in ((r, text[:at]), (right, text[at:])):
        for t in el.findall(qn("w:t"))[1:]:
            el.remove(t)
        t = el.find(qn("w:t"))
        t.text = part
        t.set(XML_SPACE, "preserve")
    r.addnext(right)
    return right


def cut_runs(p: Any, cuts: set[int]) -> list[tuple[int, int, Any]]:
    """Split runs at the given paragraph offsets; returns (start, end, run) triples."""
    pos = 0
    for r in _runs(p):
        length = len(_text(r))
        inner = sorted(c - pos for c in cuts if pos < c < pos + length)
        if inner and _splittable(r):
            cur, done = r, 0
            for c in inner:
                cur = _split(cur, c - done)
                done = c
        pos += length
    out, pos = [], 0
    for r in _runs(p):
        length = len(_text(r))
        out.append((pos, pos + length, r))
        pos += length
    return out


def _segments(edit: Edit) -> list[Segment]:
    if edit.proposed is None:
        return [Segment(edit.original)]
    return word_diff(edit.original, edit.proposed)


def apply_edit(p: Any, edit: Edit, writer: RevisionWriter) -> bool:
    """Write one edit as tracked changes + comment; False if the runs could not be cut there."""
    segs = _segments(edit)
    cuts, pos = {edit.start, edit.end}, edit.start
    for s in segs:
        if s.role != "ins":
            pos += len(s.text)
            cuts.add(pos)
    runs = cut_runs(p, cuts)
    if not {edit.start, edit.end} <= {a for a, _, _ in runs} | {b for _, b, _ in runs}:
        return False
    first_el = last_el = None
    pos, prev_run = edit.start, None
    for s in segs:
        if s.role == "ins":
            anchor = last_el if last_el is not None else _before(runs, edit.start, p)
            el = writer.insert_after(anchor, s.text, prev_run)
            first_el = first_el if first_el is not None else el
            last_el = el
            continue
        covered = [r for a, b, r in runs if a >= pos and b <= pos + len(s.text) and b > a]
        pos += len(s.text)
        if not covered:
            continue
        el = writer.delete(covered) if s.role == "del" else covered[-1]
        first_el = first_el if first_el is not None else (el if s.role == "del" else covered[0])
        last_el = el
        prev_run = covered[-1]
    if first_el is None or last_el is None:
        return False
    if edit.comment:
        writer.comment(first_el, last_el, edit.comment)
    return True


def _before(runs: list[tuple[int, int, Any]], offset: int, p: Any) -> Any:
    """The element after which text inserted at `offset` goes."""
    prior = [r for a, b, r in runs if b <= offset]
    if prior:
        return prior[-1]
    ppr = p.find(qn("w:pPr"))
    if ppr is not None:
        return ppr
    empty = p.makeelement(qn("w:r"), {})
    p.insert(0, empty)
    return empty
