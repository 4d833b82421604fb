"""Render a parsed contract to DOCX with python-docx (real headings, tables, two-column sections)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor

from corpus_build.render_pdf import INDENT_RE
from corpus_build.scan import scanned_pages
from corpus_build.source import Block, Contract

FIXED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _field(run_parent: object, instr: str) -> None:
    """Append a Word field (PAGE / NUMPAGES) to a paragraph."""
    run = run_parent.add_run()  # type: ignore[attr-defined]
    for tag, text in (("begin", None), ("instr", instr), ("end", None)):
        if tag == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), tag)
        run._r.append(el)


def _columns(section: object, n: int) -> None:
    sect_pr = section._sectPr  # type: ignore[attr-defined]
    cols = sect_pr.find(qn("w:cols"))
    if cols is None:
        cols = OxmlElement("w:cols")
        sect_pr.append(cols)
    cols.set(qn("w:num"), str(n))
    cols.set(qn("w:space"), "360")


def _decorate(doc: object, contract: Contract) -> None:
    section = doc.sections[0]  # type: ignore[attr-defined]
    section.header.paragraphs[0].text = str(contract.meta["header"])
    foot = section.footer.paragraphs[0]
    foot.text = f"{contract.meta['footer']}    Page "
    _field(foot, "PAGE")
    foot.add_run(" of ")
    _field(foot, "NUMPAGES")


def _paragraph(doc: object, b: Block) -> None:
    if b.kind == "title":
        p = doc.add_heading(" ".join(b.lines), level=0)  # type: ignore[attr-defined]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif b.kind in ("heading", "subheading"):
        doc.add_heading(" ".join(b.lines), level=1 if b.kind == "heading" else 2)  # type: ignore[attr-defined]
    else:
        p = doc.add_paragraph()  # type: ignore[attr-defined]
        for i, line in enumerate(b.lines):
            run = p.add_run(line.strip())
            if i < len(b.lines) - 1:
                run.add_break()
        indent = next((n for rx, n in INDENT_RE if rx.match(b.lines[0])), 0)
        if indent:
            p.paragraph_format.left_indent = Pt(indent)


def _table(doc: object, rows: list[list[str]]) -> None:
    t = doc.add_table(rows=len(rows), cols=len(rows[0]))  # type: ignore[attr-defined]
    t.style = "Table Grid"
    for i, r in enumerate(rows):
        for j, c in enumerate(r):
            cell = t.cell(i, j)
            cell.text = c
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(8)
                run.bold = i == 0


def _break(doc: object) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)  # type: ignore[attr-defined]


def _body(doc: object, contract: Contract) -> None:
    scan: list[str] | None = None
    for b in contract.blocks:
        if b.kind == "scanned_start":
            scan = []
        elif b.kind == "scanned_end":
            assert scan is not None
            for img in scanned_pages(scan, f"FAX  {contract.meta['header']}", seed=len(contract.id)):
                _break(doc)
                doc.add_picture(io.BytesIO(img), width=Inches(6.3))  # type: ignore[attr-defined]
            _break(doc)
            scan = None
        elif scan is not None:
            scan.extend(b.lines)
        elif b.kind == "page_break":
            _break(doc)
        elif b.kind in ("two_col_start", "two_col_end"):
            sec = doc.add_section(WD_SECTION.NEW_PAGE)  # type: ignore[attr-defined]
            _columns(sec, 2 if b.kind == "two_col_start" else 1)
        elif b.kind == "table":
            _table(doc, b.rows)
        else:
            _paragraph(doc, b)


def _normalise_zip(path: Path) -> None:
    """Rewrite the package with fixed timestamps so rebuilds give identical bytes."""
    with zipfile.ZipFile(path) as z:
        items = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in items:
            z.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data,
                       compress_type=zipfile.ZIP_DEFLATED)


def _styles(doc: object) -> None:
    """Times throughout, black bold headings (python-docx defaults are blue Calibri)."""
    for name, size in (("Normal", 11), ("Title", 16), ("Heading 1", 12), ("Heading 2", 11)):
        st = doc.styles[name]  # type: ignore[attr-defined]
        st.font.name, st.font.size = "Times New Roman", Pt(size)
        if name != "Normal":
            st.font.bold, st.font.color.rgb = True, RGBColor(0, 0, 0)
        fonts = st.element.rPr.find(qn("w:rFonts"))
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            if fonts is not None and fonts.get(qn(attr)) is not None:
                del fonts.attrib[qn(attr)]


def render_docx(contract: Contract, path: Path) -> None:
    """Write the DOCX version of a contract."""
    doc = Document()
    _styles(doc)
    props = doc.core_properties
    props.title, props.author = str(contract.meta["title"]), "Clausewise eval corpus"
    props.created = props.modified = FIXED
    props.last_modified_by = "Clausewise eval corpus"
    props.revision = 1
    _decorate(doc, contract)
    _body(doc, contract)
    doc.save(str(path))
    _normalise_zip(path)
