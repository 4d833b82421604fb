"""DOCX ingestion: body paragraphs and table cells (row by row) in document order.

Document.text is the text of every block joined with "\\n" (see iter_docx_blocks, which the
report stage uses to map offsets back to paragraphs). Pages come from explicit page breaks
(w:br type=page, pageBreakBefore, section breaks) or Word's w:lastRenderedPageBreak markers;
when a file has none, pages are *estimated* at ~3,000 characters each, cut at block boundaries.
Word automatic numbering (numbering.xml, directly or through paragraph styles) is rendered
into the text as "label + space" so printed clause numbers survive (see docx_numbering).
Headers, footers and footnotes live in other parts and are not part of the text. Deleted
tracked-change text is skipped; inserted text is included.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from collections.abc import Iterator
from typing import Any

from service.errors import DocxUnreadable
from service.records import Page

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CHARS_PER_PAGE = 3000
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # all parts together
MAX_RATIO = 200  # XML compresses ~10-30x; bombs compress 1000x+
MAX_ENTRIES = 5000
_PARTS = ("document.xml", "numbering.xml", "styles.xml")
PAGE_MARK = "\x0c"  # internal marker only; never reaches Document.text

Block = tuple[str, Any, str, int, int]  # (kind, w:p element, text, start, end)


def read_parts(data: bytes) -> dict[str, bytes]:
    """document.xml (+ numbering.xml, styles.xml if present) after zip-bomb checks."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ENTRIES:
                raise DocxUnreadable(f"The DOCX has {len(infos)} parts; refusing to open it.")
            total = sum(i.file_size for i in infos)
            if total > MAX_UNCOMPRESSED:
                raise DocxUnreadable("The DOCX expands to more than 200 MB (zip bomb?).")
            for info in infos:
                if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(
                    1, info.compress_size
                ):
                    raise DocxUnreadable(
                        f"Part {info.filename} is suspiciously compressed (zip bomb?)."
                    )
            names = set(zf.namelist())
            return {name: _read_bounded(zf, zf.getinfo(f"word/{name}"))
                    for name in _PARTS if f"word/{name}" in names}
    except (
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        OSError,
        EOFError,
        NotImplementedError,
    ) as exc:
        raise DocxUnreadable(f"The DOCX file is corrupt ({type(exc).__name__}).") from None


def _read_bounded(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """Inflate at most the declared size: a header that lies about it cannot blow up memory."""
    with zf.open(info) as fh:
        data = fh.read(info.file_size + 1)
    if len(data) > info.file_size:
        raise DocxUnreadable(f"Part {info.filename} is larger than declared (zip bomb?).")
    return data


def _parse(xml: bytes) -> Any:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as exc:
        raise DocxUnreadable(f"The DOCX body is not valid XML ({exc.msg}).") from None
    if root.getroottree().docinfo.doctype:  # Word never writes one; entities would be dropped
        raise DocxUnreadable("The DOCX body declares a DOCTYPE; refusing to read it.")
    return root


def paragraph_text(p: Any) -> str:
    """Run text of a w:p (no auto-number label); page breaks removed."""
    return _paragraph_text(p).replace(PAGE_MARK, "")


def _paragraph_text(p: Any) -> str:
    """Visible text of a w:p, with PAGE_MARK where a page break occurs."""
    out: list[str] = []
    ppr = p.find(f"{W}pPr")
    if ppr is not None and ppr.find(f"{W}pageBreakBefore") is not None:
        out.append(PAGE_MARK)
    for el in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}lastRenderedPageBreak"):
        tag = el.tag
        if tag == f"{W}t":
            out.append(el.text or "")
        elif tag == f"{W}tab":
            out.append("\t")
        elif tag == f"{W}lastRenderedPageBreak" or el.get(f"{W}type") == "page":
            out.append(PAGE_MARK)
        else:
            out.append("\n")
    return "".join(out)


def _walk(parent: Any, kind: str) -> Iterator[tuple[str, Any]]:
    """Paragraphs in document order; tables row by row, cell by cell (nested tables too)."""
    for child in parent:
        tag = child.tag
        if tag == f"{W}p":
            yield kind, child
        elif tag == f"{W}tbl":
            for row in child.iter(f"{W}tr"):
                if row.getparent() is not child:
                    continue  # rows of nested tables are reached through their cell
                for cell in row.findall(f"{W}tc"):
                    yield from _walk(cell, "table_cell")
        elif tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}ins", f"{W}smartTag"):
            yield from _walk(child, kind)


def iter_docx_paragraphs(body: Any) -> Iterator[tuple[str, Any]]:
    """(kind, w:p) of an already-parsed w:body (e.g. python-docx `document.element.body`)
    in exactly the order of iter_docx_blocks: zip the two to map your own tree's paragraphs
    to Document.text offsets (the report stage edits the original DOCX this way)."""
    return _walk(body, "paragraph")


def _blocks_with_marks(data: bytes) -> Iterator[tuple[str, Any, str]]:
    from service.ingest.docx_numbering import Numbering

    parts = read_parts(data)
    if "document.xml" not in parts:
        raise DocxUnreadable("The DOCX has no word/document.xml.")
    body = _parse(parts["document.xml"]).find(f"{W}body")
    if body is None:
        raise DocxUnreadable("The DOCX has no document body.")
    numbering = Numbering(
        *(_parse(parts[n]) if n in parts else None for n in ("numbering.xml", "styles.xml"))
    )
    for kind, p in _walk(body, "paragraph"):
        text, label = _paragraph_text(p), numbering.label(p)
        if label and text.strip():
            marks = len(text) - len(text.lstrip(PAGE_MARK))
            text = text[:marks] + label + " " + text[marks:]
        yield kind, p, text


def iter_docx_blocks(data: bytes) -> Iterator[Block]:
    """Yield (kind, w:p element, text, start, end) in exactly the order/joining of Document.text.

    `text` starts with the rendered Word auto-number plus a space ("2.7 ") when the paragraph
    is auto-numbered; the run text is paragraph_text(p), so the label is
    len(text) - len(paragraph_text(p)) characters long.
    """
    pos = 0
    for kind, p, marked in _blocks_with_marks(data):
        text = marked.replace(PAGE_MARK, "")
        yield kind, p, text, pos, pos + len(text)
        pos += len(text) + 1  # the "\n" joining blocks


def docx_text_and_pages(data: bytes) -> tuple[str, list[Page], bool]:
    """(text, pages, estimated?) for a DOCX file."""
    parts: list[str] = []
    breaks: list[int] = []
    pos = 0
    for _, _, marked in _blocks_with_marks(data):
        for piece_no, piece in enumerate(marked.split(PAGE_MARK)):
            if piece_no:
                breaks.append(pos)
            pos += len(piece)
            parts.append(piece)
        parts.append("\n")
        pos += 1
    text = "".join(parts)[:-1] if parts else ""
    if breaks:
        return text, _pages_from_breaks(text, breaks), False
    return text, _estimated_pages(text), True


def _pages_from_breaks(text: str, breaks: list[int]) -> list[Page]:
    bounds = [0, *sorted({b for b in breaks if 0 < b < len(text)}), len(text)]
    pages = []
    for n, (start, end) in enumerate(itertools.pairwise(bounds), start=1):
        pages.append(Page(number=n, start=start, end=end, has_text=bool(text[start:end].strip())))
    return pages


def _estimated_pages(text: str) -> list[Page]:
    breaks: list[int] = []
    cut = text.find("\n", CHARS_PER_PAGE)
    while cut != -1:
        breaks.append(cut + 1)
        cut = text.find("\n", cut + 1 + CHARS_PER_PAGE)
    return _pages_from_breaks(text, breaks)
