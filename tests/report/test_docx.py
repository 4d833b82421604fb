"""Word report: real w:del/w:ins revisions by Clausewise with comments; the rest untouched."""

from __future__ import annotations

import hashlib
import io
import zipfile

from docx import Document as open_docx
from lxml import etree

from service.records import Document, DocumentInfo, Finding, Page, Redline, ReviewResult
from service.report import render

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT = ("1. Term. This Agreement renews each year.\n\n"
        "2. Recoupment. Plan may offset any overpayment against future payments under any "
        "Health Benefit Plan.\n\n3. Notices. Notices go by mail.")
QUOTE = ("Plan may offset any overpayment against future payments under any Health Benefit "
         "Plan.")
PROPOSED = ("Plan may offset an overpayment against future payments under the same Health "
            "Benefit Plan after appeal rights are exhausted.")


def _doc(text: str = TEXT, media: str = "text/plain") -> Document:
    sha = hashlib.sha256(text.encode()).hexdigest()
    return Document(doc_id=sha, filename="c.txt", sha256=sha, media_type=media, text=text,
                    pages=[Page(number=1, start=0, end=len(text))])


def _result(doc: Document, start: int) -> ReviewResult:
    f = Finding(clause_id="recoupment_offset_clawback", title="Recoupment", kind="risk",
                category="payment", severity="high", score=0.9, page=1, section="2",
                quote=QUOTE, start=start, end=start + len(QUOTE), verified=True,
                rationale="Money already earned can be taken back.",
                redline=Redline(original=QUOTE, proposed=PROPOSED))
    return ReviewResult(document=DocumentInfo(filename=doc.filename, sha256=doc.sha256, pages=1,
                                              contract_type="payer", library_version="t"),
                        backend="offline", created_at="2026-11-22T00:00:00+00:00",
                        findings=[f], not_found=[])


def _body(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("word/document.xml")), z.namelist()


def _visible(root, accept: bool) -> str:
    """Paragraph texts with all changes accepted (or rejected)."""
    out = []
    for p in root.iter(f"{W}p"):
        parts = []
        for el in p.iter(f"{W}t", f"{W}delText"):
            in_ins = any(a.tag == f"{W}ins" for a in el.iterancestors())
            if el.tag == f"{W}delText":
                parts.append("" if accept else el.text)
            elif not in_ins or accept:
                parts.append(el.text or "")
        out.append("".join(parts))
    return "\n".join(out)


def test_text_input_becomes_docx_with_minimal_tracked_changes(settings):
    doc = _doc()
    data = render(_result(doc, TEXT.index(QUOTE)), "docx", doc=doc, settings=settings)
    root, names = _body(data)
    dels, inss = root.findall(f".//{W}del"), root.findall(f".//{W}ins")
    assert dels and inss
    assert {d.get(f"{W}author") for d in dels + inss} == {"Clausewise"}
    assert all(d.get(f"{W}date") for d in dels + inss)
    deleted = " ".join(t.text for t in root.iter(f"{W}delText"))
    assert "any overpayment" not in deleted or "offset" not in deleted  # word-level, not whole
    assert "Plan may offset" not in deleted
    assert PROPOSED in _visible(root, accept=True)
    assert QUOTE in _visible(root, accept=False)
    assert "3. Notices. Notices go by mail." in _visible(root, accept=True)
    assert "word/comments.xml" in names
    assert root.findall(f".//{W}commentRangeStart") and root.findall(f".//{W}commentReference")


def test_docx_input_keeps_original_formatting(settings):
    src = open_docx()
    src.add_paragraph("1. Term. This Agreement renews each year.")
    p = src.add_paragraph("2. Recoupment. ")
    bold = p.add_run("Plan may offset any overpayment")
    bold.bold = True
    p.add_run(" against future payments under any Health Benefit Plan.")
    src.add_paragraph("3. Notices. Notices go by mail.")
    buf = io.BytesIO()
    src.save(buf)
    text = TEXT.replace("\n\n", "\n")
    doc = _doc(text, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    data = render(_result(doc, text.index(QUOTE)), "docx", doc=doc, source=buf.getvalue(),
                  settings=settings)
    root, _ = _body(data)
    assert PROPOSED in _visible(root, accept=True)
    assert QUOTE in _visible(root, accept=False)
    kept_bold = [r for r in root.iter(f"{W}r") if r.find(f"{W}rPr/{W}b") is not None]
    assert any("Plan may offset" in "".join(t.text or "" for t in r.iter(f"{W}t")) for r in kept_bold)
