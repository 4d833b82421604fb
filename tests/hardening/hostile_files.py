"""Hostile uploads for the API: PDFs (tests/ingest/hostile_pdfs.py plus more), DOCX bombs, bad text.

Each case is (name, bytes, accepted outcomes). An outcome is (status, code); (202, None) means
the file is legitimately readable (pypdf recovers it) and must then be stored completely.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable

from tests.fixtures import contract_pdfs as cp
from tests.ingest import hostile_pdfs as hp

Outcome = tuple[int, str | None]
Case = tuple[str, Callable[[], bytes], frozenset[Outcome]]

ACCEPTED: Outcome = (202, None)
UNREADABLE: Outcome = (422, "pdf_unreadable")
TOO_COMPLEX: Outcome = (422, "pdf_too_complex")
NO_TEXT: Outcome = (422, "no_text_layer")
STRUCTURAL = frozenset({ACCEPTED, UNREADABLE, TOO_COMPLEX, NO_TEXT})  # recovery is legitimate

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGE = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>")
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
TEXT_OPS = b"BT /F1 12 Tf 72 700 Td (1.1 Term. This Agreement lasts one year.) Tj ET"
LENGTH = b"/Length %d" % len(TEXT_OPS)


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(content), extra) + content + b"\nendstream"


def _one_page(pages_obj: bytes, page: bytes = PAGE, catalog: bytes = CATALOG) -> bytes:
    return hp.raw_pdf([catalog, pages_obj, page, _stream(TEXT_OPS), FONT])


def page_count_lie() -> bytes:
    """One real page; the page tree claims a billion."""
    return _one_page(b"<< /Type /Pages /Kids [3 0 R] /Count 999999999 >>")


def deep_array() -> bytes:
    """100,000 nested arrays in a page dictionary (recursion bomb for the parser)."""
    lie = b"/MediaBox [0 0 612 792] /X " + b"[" * 100_000 + b"]" * 100_000
    return _one_page(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                     PAGE.replace(b"/MediaBox [0 0 612 792]", lie))


def deep_dict() -> bytes:
    """50,000 nested dictionaries in a page dictionary."""
    lie = b"/MediaBox [0 0 612 792] /X " + b"<</A " * 50_000 + b">>" * 50_000
    return _one_page(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                     PAGE.replace(b"/MediaBox [0 0 612 792]", lie))


def many_pages(n: int = 25) -> bytes:
    """`n` tiny pages (more than the test server's max_pages)."""
    kids = b" ".join(b"%d 0 R" % (i + 6) for i in range(n))
    return hp.raw_pdf([CATALOG, b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n,
                       b"null", _stream(TEXT_OPS), FONT] + [PAGE] * n)


def content_flood(ops: int = 400_000) -> bytes:
    """25 KB that inflates to 400,000 text operators: slow to extract, must hit the time limit."""
    body = b"BT /F1 12 Tf 72 700 Td " + b"(Clause text ) Tj 0 -1 Td " * ops + b"ET"
    return hp.page_doc(zlib.compress(body), b"/Filter /FlateDecode ")


def javascript_open_action() -> bytes:
    """A PDF that runs JavaScript when opened in a viewer (we only extract text: inert)."""
    return _one_page(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", catalog=(
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"))


def _patched(old: bytes, new: bytes) -> Callable[[], bytes]:
    return lambda: hp.page_doc(TEXT_OPS).replace(old, new)


def resources_cycle() -> bytes:
    """A form XObject that draws itself through shared /Resources (infinite recursion)."""
    res = b"<< /Font << /F1 5 0 R >> /XObject << /X0 7 0 R >> >>"
    return hp.raw_pdf([
        CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        PAGE.replace(b"/Resources << /Font << /F1 5 0 R >> >>", b"/Resources 6 0 R"),
        _stream(b"BT /F1 12 Tf 72 700 Td (1.1 Term.) Tj ET /X0 Do"), FONT, res,
        _stream(b"/X0 Do", b"/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources 6 0 R ")])


def _zip(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


def docx_of(body: str, prolog: str = "", extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal DOCX whose document.xml body is `body` (raw WordprocessingML)."""
    xml = f'<?xml version="1.0"?>{prolog}<w:document {W_NS}><w:body>{body}</w:body></w:document>'
    return _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": xml.encode(),
                 **(extra or {})})


def para(text: str, page_break: bool = False) -> str:
    brk = '<w:r><w:br w:type="page"/></w:r>' if page_break else ""
    return f"<w:p><w:r><w:t>{text}</w:t></w:r>{brk}</w:p>"


def docx_ratio_bomb() -> bytes:
    """document.xml padded with 50 MB of spaces (compresses ~1000x)."""
    xml = f'<?xml version="1.0"?><w:document {W_NS}><w:body>{para("x")}</w:body></w:document>'
    return _zip({"word/document.xml": xml.encode() + b" " * 50_000_000})


def docx_total_bomb() -> bytes:
    """220 parts of 990 KB zeros: each under the per-part check, 218 MB together."""
    return docx_of(para("x"), extra={f"word/media/f{i}.bin": b"\0" * 990_000 for i in range(220)})


def docx_many_parts() -> bytes:
    return docx_of(para("x"), extra={f"word/m/{i}": b"" for i in range(5100)})


def docx_billion_laughs() -> bytes:
    ents = "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(9))
    return docx_of(para("&j;"), f'<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">{ents}]>')


def docx_xxe() -> bytes:
    """An external entity pointing at /etc/passwd: must never be resolved into the text."""
    return docx_of(para("1.1 Term. &x; This Agreement lasts one year."),
                   '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>')


def docx_lying_sizes(real_mb: int = 300) -> bytes:
    """document.xml inflates to `real_mb` MB while the zip headers declare 5,000 bytes."""
    head = f'<?xml version="1.0"?><w:document {W_NS}><w:body>{para("x")}</w:body></w:document>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf, zf.open("word/document.xml", "w") as fh:
        fh.write(head.encode())
        for _ in range(real_mb):
            fh.write(b" " * 1_000_000)
    data = bytearray(buf.getvalue())
    struct.pack_into("<I", data, data.rfind(b"PK\x01\x02") + 24, 5000)  # central directory
    struct.pack_into("<I", data, data.find(b"PK\x03\x04") + 22, 5000)  # local header
    return bytes(data)


def _good_pdf() -> bytes:
    return cp.text_pdf(cp.contract_paragraphs(2))


def _zip_named_pdf() -> bytes:
    return _zip({"contract.txt": b"1.1 Term."})


def _one(outcome: Outcome) -> frozenset[Outcome]:
    return frozenset({outcome})


PDF_CASES: list[Case] = [
    ("empty", lambda: b"", _one((422, "empty_file"))),
    ("header_only", lambda: b"%PDF-1.7\n", _one(UNREADABLE)),
    ("truncated", lambda: _good_pdf()[: len(_good_pdf()) // 3], _one(UNREADABLE)),
    ("no_xref_no_pages", lambda: hp.raw_pdf([CATALOG, b"<< /Type /Pages /Kids [] /Count 0 >>"],
                                           xref=False), frozenset({UNREADABLE, NO_TEXT})),
    ("flate_bomb_300mb", hp.flate_bomb, _one(TOO_COMPLEX)),
    ("nested_flate_x12", hp.nested_flate, _one(TOO_COMPLEX)),
    ("content_flood_400k_ops", content_flood, _one(TOO_COMPLEX)),
    ("circular_prev_xref", hp.circular_prev, STRUCTURAL),
    ("huge_declared_length", hp.huge_length, STRUCTURAL),
    ("cyclic_page_tree", hp.cyclic_pages, STRUCTURAL - {ACCEPTED}),
    ("page_count_lie", page_count_lie, STRUCTURAL),
    ("deep_array_100k", deep_array, STRUCTURAL),
    ("deep_dict_50k", deep_dict, STRUCTURAL),
    ("resources_cycle", resources_cycle, STRUCTURAL),
    ("self_referencing_length", _patched(LENGTH, b"/Length 4 0 R"), STRUCTURAL),
    ("negative_length", _patched(LENGTH, b"/Length -5"), STRUCTURAL),
    ("trailer_size_2g", _patched(b"/Size 6", b"/Size 2147483647"), STRUCTURAL),
    ("bad_lzw_stream", lambda: hp.page_doc(b"\x80\x0b\x60\x50\x22", b"/Filter /LZWDecode "),
     STRUCTURAL),
    ("bad_ascii85_stream", lambda: hp.page_doc(b"<~zzzz!!!!~>", b"/Filter /ASCII85Decode "),
     STRUCTURAL),
    ("javascript_open_action", javascript_open_action, _one(ACCEPTED)),
    ("junk_before_header", lambda: b"X" * 900 + hp.page_doc(TEXT_OPS), _one(ACCEPTED)),
    ("too_many_pages_25", many_pages, _one((413, "too_many_pages"))),
    ("user_password", lambda: cp.text_pdf(cp.contract_paragraphs(1), user="secret", owner="o"),
     _one((422, "pdf_encrypted"))),
    ("owner_password_only", lambda: cp.text_pdf(cp.contract_paragraphs(1), owner="o"),
     _one(ACCEPTED)),
    ("image_only", lambda: cp.image_page_pdf([False, False]), _one(NO_TEXT)),
    ("mixed_image_and_text", lambda: cp.image_page_pdf([True, False]), _one(ACCEPTED)),
    ("png_named_pdf", cp._tiny_png, _one((415, "unsupported_type"))),
    ("html_named_pdf", lambda: b"<!DOCTYPE html><html><body>Agreement</body></html>",
     _one((415, "unsupported_type"))),
    ("zip_named_pdf", _zip_named_pdf, _one((415, "unsupported_type"))),
    ("corrupt_zip_named_pdf", lambda: b"PK\x03\x04" + b"\x00" * 40, _one((422, "docx_unreadable"))),
]

DOCX_CASES: list[Case] = [
    ("docx_ratio_bomb_50mb", docx_ratio_bomb, _one((422, "docx_unreadable"))),
    ("docx_total_bomb_218mb", docx_total_bomb, _one((422, "docx_unreadable"))),
    ("docx_5100_parts", docx_many_parts, _one((422, "docx_unreadable"))),
    ("docx_lying_sizes_300mb", docx_lying_sizes, _one((422, "docx_unreadable"))),
    ("docx_billion_laughs", docx_billion_laughs, _one((422, "docx_unreadable"))),
    ("docx_xxe_file_entity", docx_xxe, frozenset({ACCEPTED, (422, "docx_unreadable")})),
    ("docx_invalid_xml", lambda: _zip({"word/document.xml": b"<w:document><w:body"}),
     _one((422, "docx_unreadable"))),
    ("docx_10k_deep", lambda: docx_of("<w:sdt>" * 5000 + para("x") + "</w:sdt>" * 5000),
     _one((422, "docx_unreadable"))),
    ("docx_no_text", lambda: docx_of(""), _one((422, "empty_file"))),
    ("docx_without_document_xml", lambda: _zip({"word/other.xml": b"<x/>"}),
     _one((415, "unsupported_type"))),
]

TXT_CASES: list[Case] = [
    ("txt_nul_bytes", lambda: b"1.1 Term.\x00 This Agreement", _one((422, "bad_encoding"))),
    ("txt_invalid_utf8", lambda: b"1.1 Term \xff\xfe\xfa \xc3\x28", _one((422, "bad_encoding"))),
    ("txt_overlong_utf8", lambda: b"1.1 Term \xc0\xaf etc", _one((422, "bad_encoding"))),
    ("txt_utf8_surrogate", lambda: b"1.1 Term \xed\xa0\x80 etc", _one((422, "bad_encoding"))),
    ("txt_utf16_bom", lambda: "1.1 Term.".encode("utf-16"), _one((422, "bad_encoding"))),
    ("txt_truncated_utf8", lambda: "1.1 Prix: 5 €".encode()[:-1], _one((422, "bad_encoding"))),
    ("txt_binary_noise", lambda: bytes(range(32)) * 64, _one((415, "unsupported_type"))),
    ("txt_whitespace_only", lambda: b" \n\t\r\n " * 100, _one((422, "empty_file"))),
    ("txt_bom_only", lambda: b"\xef\xbb\xbf", _one((422, "empty_file"))),
]
