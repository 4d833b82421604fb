"""Text PDFs (headers, footers, page numbers, columns), DOCX and TXT ingestion."""

from __future__ import annotations

import io
import zipfile

import contract_pdfs as cp
import pytest

from service.errors import ClausewiseError
from service.ingest import ingest_bytes, iter_docx_blocks


def test_pdf_headers_footers_excluded_but_kept_in_text(ingest_settings):
    doc = ingest_bytes(cp.text_pdf(cp.contract_paragraphs(3)), "c.pdf", ingest_settings)
    excluded = [doc.text[s.start : s.end] for s in doc.excluded]
    assert excluded.count(cp.HEADER) == 3
    assert {"Page 1 of 3", "Page 2 of 3", "Page 3 of 3"} <= set(excluded)
    assert not any("ARTICLE" in e or "Recoupment" in e for e in excluded)
    for page in doc.pages:  # page spans index the joined text
        assert doc.text[page.start : page.end].startswith(cp.HEADER)
        assert doc.text[page.start : page.end].endswith(f"Page {page.number} of 3")


LEFT = [
    "1.1 Term. The term of this",
    "Agreement is three years",
    "from the Effective Date.",
    "1.2 Notice. Notices go",
    "to the addresses below.",
]
RIGHT = [
    "1.3 Renewal. This Agreement",
    "renews automatically for",
    "successive one-year terms.",
    "1.4 Fees. Fees are set out",
    "in Exhibit B to this Agreement.",
]


@pytest.mark.parametrize("interleaved", [False, True])
def test_pdf_two_column_page_reads_column_by_column(interleaved, ingest_settings):
    data = cp.two_column_pdf(LEFT, RIGHT, interleaved=interleaved)
    doc = ingest_bytes(data, "cols.pdf", ingest_settings)
    assert doc.text == "\n".join(LEFT) + "\n" + "\n".join(RIGHT)


def test_pdf_table_rows_are_not_treated_as_columns(ingest_settings):
    left = [
        "99213 Office visit, established",
        "99214 Office visit, moderate",
        "99215 Office visit, high",
    ]
    right = ["$80.00", "$120.00", "$165.00"]
    doc = ingest_bytes(
        cp.two_column_pdf(left, right, interleaved=True), "fees.pdf", ingest_settings
    )
    assert (
        "99213 Office visit, established\n$80.00" in doc.text
        or "99213 Office visit, established $80.00" in doc.text
    )


def _docx(
    paragraphs: list[str], table: list[list[str]] | None = None, page_break_after: int = -1
) -> bytes:
    import docx

    d = docx.Document()
    for i, text in enumerate(paragraphs):
        p = d.add_paragraph(text)
        if i == page_break_after:
            p.add_run().add_break(docx.enum.text.WD_BREAK.PAGE)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_paragraphs_tables_and_page_breaks(ingest_settings):
    data = _docx(
        ["1. Term.", "2. Payment."], [["Code", "Rate"], ["99213", "$80"]], page_break_after=0
    )
    doc = ingest_bytes(data, "c.docx", ingest_settings)
    assert doc.text == "1. Term.\n2. Payment.\nCode\nRate\n99213\n$80"
    assert doc.page_count == 2 and doc.page_at(doc.text.index("2. Payment")) == 2
    blocks = list(iter_docx_blocks(data))
    assert [b[0] for b in blocks][-4:] == ["table_cell"] * 4
    assert all(doc.text[s:e] == text for _, _, text, s, e in blocks)


def test_docx_without_breaks_estimates_pages(ingest_settings):
    doc = ingest_bytes(_docx(["Clause text. " * 40] * 20), "long.docx", ingest_settings)
    assert doc.page_count >= 3


def test_docx_zip_bomb_refused(ingest_settings):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"<w:document/>")
        zf.writestr("word/media/bomb.bin", b"\x00" * 300_000_000)
    with pytest.raises(ClausewiseError) as err:
        ingest_bytes(buf.getvalue(), "bomb.docx", ingest_settings)
    assert err.value.code == "docx_unreadable"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"Section 1.\x00 Term", "bad_encoding"),
        (b"caf\xe9 agreement", "bad_encoding"),
        (b"\xff\xfeA\x00g\x00", "bad_encoding"),
        (b"", "empty_file"),
        (b"  \n\n ", "empty_file"),
        (b"{\\rtf1 agreement}", "unsupported_type"),
    ],
)
def test_txt_errors(data, code, ingest_settings):
    with pytest.raises(ClausewiseError) as err:
        ingest_bytes(data, "c.txt", ingest_settings)
    assert err.value.code == code


def test_txt_text_is_exact_file_content(ingest_settings):
    raw = "1.1 Term.\r\nThe term\tis “three” years.\n\n\n2.  Fees\u00a0apply.\r\n"
    doc = ingest_bytes(b"\xef\xbb\xbf" + raw.encode(), "c.txt", ingest_settings)
    assert doc.text == raw and doc.media_type == "text/plain"
    assert doc.doc_id == doc.sha256 and len(doc.doc_id) == 64


def test_docx_auto_numbering_is_rendered(ingest_settings):
    items = [
        (0, "COMPENSATION"),
        (1, "Payment. Payer pays."),
        (1, "Recoupment. Payer may recoup:"),
        (2, "with notice;"),
        (2, "within 12 months."),
        (3, "by mail."),
        (0, "TERM"),
        (1, "Term."),
    ]
    data = cp.numbered_docx(items)
    doc = ingest_bytes(data, "numbered.docx", ingest_settings)
    assert doc.text.splitlines() == [
        "1. COMPENSATION",
        "1.1 Payment. Payer pays.",
        "1.2 Recoupment. Payer may recoup:",
        "(a) with notice;",
        "(b) within 12 months.",
        "(i) by mail.",
        "2. TERM",
        "2.1 Term.",
    ]
    from service.ingest.docx import paragraph_text

    for _, p, text, start, end in iter_docx_blocks(data):
        assert doc.text[start:end] == text and text.endswith(paragraph_text(p))


def test_running_header_missing_on_cover_page_still_detected(ingest_settings):
    paras = cp.contract_paragraphs(3)
    cover = cp.text_pdf(paras[:1], header=None, page_numbers=False)
    body = cp.text_pdf(paras[1:], per_page=8)
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for data in (cover, body):
        for page in PdfReader(io.BytesIO(data)).pages:
            writer.add_page(page)
    buf = io.BytesIO()
    writer.write(buf)
    doc = ingest_bytes(buf.getvalue(), "cover.pdf", ingest_settings)
    excluded = [doc.text[s.start : s.end] for s in doc.excluded]
    assert excluded.count(cp.HEADER) == doc.page_count - 1 >= 2


def test_docx_blocks_map_onto_a_python_docx_tree(ingest_settings):
    import docx

    from service.ingest import iter_docx_paragraphs

    data = cp.numbered_docx([(0, "TERM"), (1, "Term. Three years."), (1, "Renewal.")])
    tree = docx.Document(io.BytesIO(data))
    pairs = list(zip(iter_docx_blocks(data), iter_docx_paragraphs(tree.element.body), strict=True))
    doc = ingest_bytes(data, "n.docx", ingest_settings)
    for (_, _, text, start, end), (_, p) in pairs:
        run_text = "".join(t.text or "" for t in p.iter(docx.oxml.ns.qn("w:t")))
        assert doc.text[start:end] == text and text.endswith(run_text)
