"""Builders of hostile PDFs (raw bytes written by hand, like pypdf's own test-suite)."""

from __future__ import annotations

import zlib


def raw_pdf(objects: list[bytes], *, trailer_extra: bytes = b"", xref: bool = True) -> bytes:
    """Assemble numbered objects into a PDF with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    start = len(out)
    if xref:
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer_extra,
        start,
    )
    return bytes(out)


def page_doc(content: bytes, filters: bytes = b"") -> bytes:
    """One-page PDF whose content stream is `content` (already encoded for `filters`)."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d %s>>\nstream\n" % (len(content), filters) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def flate_bomb() -> bytes:
    """~300 MB of zeros compressed to ~300 KB in one content stream."""
    comp = zlib.compressobj(9)
    block = b"\x00" * 1_000_000
    data = b"".join(comp.compress(block) for _ in range(300)) + comp.flush()
    return page_doc(data, b"/Filter /FlateDecode ")


def nested_flate(depth: int = 12) -> bytes:
    """A text stream wrapped in many Flate layers."""
    data = b"BT /F1 12 Tf 72 700 Td (Nested) Tj ET"
    for _ in range(depth):
        data = zlib.compress(data)
    return page_doc(data, b"/Filter [" + b"/FlateDecode " * depth + b"] ")


def circular_prev() -> bytes:
    """Trailer /Prev pointing at its own xref: an endless chain of revisions."""
    good = page_doc(b"BT /F1 12 Tf 72 700 Td (Loop) Tj ET")
    start = int(good.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    return good.replace(b"/Root 1 0 R ", b"/Root 1 0 R /Prev %d " % start)


def huge_length() -> bytes:
    """A stream declaring a 10 GB /Length."""
    doc = page_doc(b"BT /F1 12 Tf 72 700 Td (Big) Tj ET")
    return doc.replace(b"/Length 35", b"/Length 9999999999")


def cyclic_pages() -> bytes:
    """A page tree whose /Kids point back at itself."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 3 0 R] /Count 1 >>",
        ]
    )
