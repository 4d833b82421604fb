"""Segmentation on realistic contract layouts: numbering, own-line numbers, exhibits, chunks."""

from __future__ import annotations

import contract_pdfs as cp
import pytest

from service.ingest import ingest_bytes
from service.segment import segment, sentences, upper_bound_tokens, wordpiece_counter

CONTRACT = """PROVIDER SERVICES AGREEMENT

This Agreement is made by Acme Health Plan, Inc. ("Payer") and Smith Medicine, P.C. ("Provider").

RECITALS

WHEREAS, Payer operates health benefit plans; and
WHEREAS, Provider wishes to participate.

ARTICLE I – DEFINITIONS

1.1 “Clean Claim” means a claim with no defect, as defined in 42 U.S.C. Sec. 1395 et seq.
1.2 “Covered Services” means services covered under a Plan, e.g. office visits.

ARTICLE II
COMPENSATION

2.1 Payment. Payer shall pay the lesser of billed charges or 95% of the fee schedule set out in
Section 2.7 of this Agreement and Exhibit B.
2.7
Recoupment. Payer may recoup overpayments for 24 months. Notice No. 2 is due within 30 days.
(a) Notice shall be in writing; and
(b) Provider may dispute within 2.5 business days:
(i) by mail; or
(ii) by email.

ARTICLE VI – TERM AND TERMINATION

6.1 Term. This Agreement has an initial term of three (3) years.
Section 6.2(a) Without Cause. Either party may terminate on 90 days notice.

IN WITNESS WHEREOF, the parties have signed.

EXHIBIT B
FEE SCHEDULE

1. Evaluation and management services at 95% of Medicare.
"""


@pytest.fixture
def contract_doc(ingest_settings):
    return ingest_bytes(CONTRACT.encode(), "psa.txt", ingest_settings)


def _by_number(seg):
    return {s.number: s for s in seg.sections if s.number}


def test_sections_numbers_titles_and_nesting(contract_doc):
    seg = segment(contract_doc, token_counter=upper_bound_tokens)
    n = _by_number(seg)
    assert n["VI"].title == "TERM AND TERMINATION" and n["VI"].kind == "article"
    assert n["II"].title == "COMPENSATION"  # title on the line after the number
    assert n["2.7"].title == "Recoupment"  # number on its own line attaches to the text
    assert seg.sections[n["(a)"].parent].number == "2.7"
    assert seg.sections[n["(ii)"].parent].number == "(b)"
    assert n["6.2(a)"].title == "Without Cause"
    assert n["Exhibit B"].title == "FEE SCHEDULE" and n["Exhibit B"].level == 0
    assert n["1.1"].kind == "definition" and n["1.1"].title == "Clean Claim"
    assert "2.7 of" not in n  # "Section 2.7 of this Agreement" inside a wrapped line
    kinds = {s.kind for s in seg.sections}
    assert {"preamble", "recital", "signature", "exhibit"} <= kinds
    for s in seg.sections:
        assert contract_doc.text[s.start : s.end].strip()


def test_chunks_follow_clauses_and_fit_window(contract_doc):
    seg = segment(contract_doc)
    count = wordpiece_counter()
    assert all(count(c.text) <= 256 for c in seg.chunks)
    recoup = next(c for c in seg.chunks if c.section_number == "2.7")
    assert "(ii) by email." in recoup.text  # sub-items packed with their clause
    article6 = next(c for c in seg.chunks if "ARTICLE VI" in c.text)
    assert article6.section_number == "6.1"  # lone heading merged into the next clause


def test_long_clause_split_with_overlap_and_bound():
    body = " ".join(
        f"Sentence {i} requires Provider to comply with Payer policies." for i in range(200)
    )
    doc_text = f"ARTICLE I – GENERAL\n\n1.1 Compliance. {body}\n"
    from service.records import Document, Page

    doc = Document(
        doc_id="d",
        filename="x",
        sha256="d",
        media_type="text/plain",
        text=doc_text,
        pages=[Page(number=1, start=0, end=len(doc_text))],
    )
    count = wordpiece_counter()
    seg = segment(doc, max_tokens=64, token_counter=count)
    assert len(seg.chunks) > 10
    assert all(count(c.text) <= 64 for c in seg.chunks)
    first, second = seg.chunks[0], seg.chunks[1]
    assert first.text.startswith("ARTICLE I – GENERAL\n\n1.1 Compliance.")
    assert second.start < first.end  # one sentence of overlap
    assert {c.section_number for c in seg.chunks} == {"1.1"}


def test_upper_bound_never_below_wordpiece(contract_doc):
    count = wordpiece_counter()
    for text in (CONTRACT, "Ünïcödé — “quotes” 12,345.67 §§ 1395cc(a)(1)", "xqzv" * 50, "数据"):
        assert upper_bound_tokens(text) >= count(text)


def test_pdf_headers_excluded_from_chunks_and_own_line_numbers(ingest_settings):
    doc = ingest_bytes(
        cp.text_pdf(cp.contract_paragraphs(4), number_own_line=True), "c.pdf", ingest_settings
    )
    seg = segment(doc)
    assert not any(cp.HEADER in c.text or "Page 2 of 4" in c.text for c in seg.chunks)
    n = _by_number(seg)
    assert {"1", "2", "3", "4", "3.2", "4.4"} <= set(n)
    assert n["3.2"].page_start == 3 and n["3.2"].title
    assert all(cp.HEADER in doc.text[c.start : c.end] or True for c in seg.chunks)


@pytest.mark.parametrize("interleaved", [False, True])
def test_two_column_pdf_sections(interleaved, ingest_settings):
    left = [
        "1.1 Term. The term of this",
        "Agreement is three years",
        "from the Effective Date.",
        "1.2 Notice. Notices go",
        "to the addresses below.",
    ]
    right = [
        "1.3 Renewal. This Agreement",
        "renews automatically for",
        "successive one-year terms.",
        "1.4 Fees. Fees are set out",
        "in Exhibit B to this Agreement.",
    ]
    doc = ingest_bytes(
        cp.two_column_pdf(left, right, interleaved=interleaved), "c.pdf", ingest_settings
    )
    n = _by_number(segment(doc))
    assert [n[k].title for k in ("1.1", "1.2", "1.3", "1.4")] == [
        "Term",
        "Notice",
        "Renewal",
        "Fees",
    ]
    assert "renews automatically" in doc.text[n["1.3"].start : n["1.3"].end]
    assert "renews" not in doc.text[n["1.1"].start : n["1.1"].end]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Payer shall comply with 42 U.S.C. Sec. 1395. Provider agrees.",
            ["Payer shall comply with 42 U.S.C. Sec. 1395.", "Provider agrees."],
        ),
        (
            "See Amendment No. 2 and Acme Inc. for details. Rates rise 2.7 percent.",
            ["See Amendment No. 2 and Acme Inc. for details.", "Rates rise 2.7 percent."],
        ),
        (
            "Services, e.g. visits, i.e. care. Next sentence.",
            ["Services, e.g. visits, i.e. care.", "Next sentence."],
        ),
        ("(a) First item; and\n(b) second item.", ["(a) First item; and", "(b) second item."]),
    ],
)
def test_sentences_are_legal_aware(text, expected):
    from service.records import Document, Page

    doc = Document(
        doc_id="d",
        filename="x",
        sha256="d",
        media_type="text/plain",
        text=text,
        pages=[Page(number=1, start=0, end=len(text))],
    )
    assert [text[s.start : s.end] for s in sentences(doc, 0, len(text))] == expected


def test_docx_auto_numbered_sections(ingest_settings):
    items = [
        (0, "COMPENSATION"),
        (1, "Payment. Payer pays."),
        (1, "Recoupment. Payer may recoup:"),
        (2, "with notice;"),
        (2, "within 12 months."),
        (0, "TERM"),
        (1, "Term. Three years."),
    ]
    doc = ingest_bytes(cp.numbered_docx(items), "n.docx", ingest_settings)
    seg = segment(doc)
    n = _by_number(seg)
    assert n["1"].title == "COMPENSATION" and n["1.2"].title == "Recoupment"
    assert seg.sections[n["(b)"].parent].number == "1.2"
    assert n["2.1"].parent == n["2"].index


def test_sentence_across_page_break_stays_whole(ingest_settings):
    first = "Recoupment. Payer may recoup overpayments from any amounts owed to"
    paras = [
        ("2.7", first),
        ("", "Provider within 24 months. Notice is required."),
        ("2.8", "Short."),
    ]
    doc = ingest_bytes(cp.text_pdf(paras, per_page=1), "p.pdf", ingest_settings)
    spans = sentences(doc, 0, len(doc.text))
    texts = [doc.text[s.start : s.end] for s in spans]
    assert not any(t.startswith((cp.HEADER, "Page ")) or t.endswith("of 2") for t in texts)
    whole = next(s for s in spans if doc.text[s.start : s.end].startswith("Payer may"))
    assert doc.text[whole.start : whole.end].endswith("within 24 months.")
    assert doc.page_at(whole.start) == 1 and doc.page_at(whole.end - 1) == 2


def test_roman_and_letter_items_are_told_apart(ingest_settings):
    letters = "abcdefghijklmnopqrstuv"
    lines = [
        "1.1 Roman list:",
        "(i) one;",
        "(ii) two;",
        "(iii) three;",
        "(iv) four;",
        "(v) five.",
        "1.2 Letter list:",
    ] + [f"({c}) item {c};" for c in letters]
    doc = ingest_bytes("\n".join(lines).encode(), "r.txt", ingest_settings)
    seg = segment(doc)
    kids_12 = [
        s.number
        for s in seg.sections
        if s.parent is not None and seg.sections[s.parent].number == "1.2"
    ]
    assert kids_12 == [f"({c})" for c in letters]  # (i) and (v) here are letters
    kids_11 = [
        s.number
        for s in seg.sections
        if s.parent is not None and seg.sections[s.parent].number == "1.1"
    ]
    assert kids_11 == ["(i)", "(ii)", "(iii)", "(iv)", "(v)"]
