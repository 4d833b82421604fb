"""Decide what a file is from its bytes (never from its name) and enforce size limits."""

from __future__ import annotations

import io
import zipfile
from typing import Literal

from service.errors import BadEncoding, EmptyFile, TooLarge, UnsupportedType
from service.settings import Settings

Kind = Literal["pdf", "docx", "text"]

# Binary formats people upload by mistake; named so the error message helps.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Word/Office (.doc) file"),
    (b"{\\rtf", "RTF document"),
    (b"\x1f\x8b", "gzip archive"),
    (b"7z\xbc\xaf", "7-zip archive"),
    (b"Rar!", "RAR archive"),
)
_MARKUP = (b"<!doctype html", b"<html", b"<?xml", b"<svg", b"<head", b"<body")


def check_size(size: int, settings: Settings) -> None:
    """Reject empty or oversized input before any parsing work."""
    if size == 0:
        raise EmptyFile("The file is empty.")
    if size > settings.max_upload_bytes:
        raise TooLarge(
            f"The file is {size:,} bytes; the limit is {settings.max_upload_bytes:,} bytes."
        )


def sniff(data: bytes) -> Kind:
    """Classify bytes as pdf, docx or text; raise UnsupportedType/BadEncoding otherwise."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    for magic, label in _MAGIC:
        if data.startswith(magic):
            raise UnsupportedType(f"This is a {label}, not a PDF, DOCX or UTF-8 text file.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BadEncoding("The text file is UTF-16; save it as UTF-8.")
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(_MARKUP):
        raise UnsupportedType("This is an HTML/XML file; upload the contract as PDF, DOCX or text.")
    if _looks_binary(data):
        raise UnsupportedType("Unrecognised binary file; upload a PDF, DOCX or UTF-8 text file.")
    return "text"


def _sniff_zip(data: bytes) -> Kind:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        from service.errors import DocxUnreadable

        raise DocxUnreadable("The file looks like a DOCX/ZIP archive but is corrupt.") from None
    if "word/document.xml" in names:
        return "docx"
    raise UnsupportedType("This is a ZIP archive (not a Word .docx document).")


def _looks_binary(data: bytes) -> bool:
    """Mostly control bytes -> binary; a text file in the wrong encoding is 'bad_encoding'."""
    sample = data[:4096]
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return control > max(8, len(sample) // 10)


def decode_text(data: bytes) -> str:
    """Strict UTF-8 (a leading BOM is dropped); NUL bytes are refused."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data:
        raise BadEncoding("The text file contains NUL bytes (is it UTF-16 or binary?).")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadEncoding(
            f"The text file is not valid UTF-8 (byte {exc.start}); save it as UTF-8."
        ) from None
