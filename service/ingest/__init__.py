"""Ingest stage: file bytes -> Document (text, pages, excluded header/footer spans).

Types are sniffed from the bytes: PDF (parsed in a sandboxed child, see ingest.pdf), DOCX
(see ingest.docx) and UTF-8 text (the text is exactly the decoded file, BOM dropped).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from service.errors import EmptyFile, TooManyPages
from service.ingest.docx import iter_docx_blocks, iter_docx_paragraphs
from service.ingest.sniff import check_size, decode_text, sniff
from service.records import Document, MediaType, Page, Span
from service.settings import Settings

__all__ = ["ingest_bytes", "ingest_path", "iter_docx_blocks", "iter_docx_paragraphs"]

DOCX_MEDIA: MediaType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


Parsed = tuple[MediaType, str, list[Page], list[Span], list[int]]


def ingest_bytes(data: bytes, filename: str, settings: Settings) -> Document:
    """Turn an uploaded file's bytes into a Document, or raise a ClausewiseError with a code."""
    check_size(len(data), settings)
    media_type, text, pages, excluded, unreadable = _parse(sniff(data), data, settings)
    if len(pages) > settings.max_pages:
        raise TooManyPages(f"{len(pages)} pages; the limit is {settings.max_pages}.")
    if not text.strip():
        raise EmptyFile("The file contains no text.")
    digest = hashlib.sha256(data).hexdigest()
    return Document(
        doc_id=digest,
        sha256=digest,
        filename=filename,
        media_type=media_type,
        text=text,
        pages=pages,
        excluded=excluded,
        unreadable_pages=unreadable,
    )


def _parse(kind: str, data: bytes, settings: Settings) -> Parsed:
    if kind == "pdf":
        from service.ingest.pdf import assemble, parse_pdf

        text, pages, excluded, unreadable = assemble(parse_pdf(data, settings))
        return "application/pdf", text, pages, excluded, unreadable
    if kind == "docx":
        from service.ingest.docx import docx_text_and_pages

        text, pages, _ = docx_text_and_pages(data)
        return DOCX_MEDIA, text, pages, [], []
    text = decode_text(data)
    return "text/plain", text, [Page(number=1, start=0, end=len(text))], [], []


def ingest_path(path: Path, settings: Settings) -> Document:
    """Read a file from disk (size checked before reading) and ingest it."""
    check_size(path.stat().st_size, settings)
    return ingest_bytes(path.read_bytes(), path.name, settings)
