"""`clausewise ingest` and `clausewise text` through the real console entry point."""

from __future__ import annotations

import contract_pdfs as cp

from service.cli import main


def test_text_prints_exact_document_text(tmp_path, capsys):
    raw = "1.1 Term.\r\nThree years.\n\n2. Fees\u00a0apply.\n"
    path = tmp_path / "c.txt"
    path.write_bytes(raw.encode())
    assert main(["text", str(path)]) == 0
    assert capsys.readouterr().out == raw


def test_ingest_prints_pages_sections_and_chunks(tmp_path, capsys):
    path = tmp_path / "c.pdf"
    path.write_bytes(cp.text_pdf(cp.contract_paragraphs(2), number_own_line=True))
    assert main(["ingest", str(path)]) == 0
    out = capsys.readouterr().out
    assert "2 pages" in out and "unreadable pages: none" in out
    assert "  Article 1 PROVIDER OBLIGATIONS 1" in out
    assert "    2.3 " in out  # indented one level under its article
    assert "chunks: " in out


def test_errors_print_code_and_exit_1(tmp_path, capsys):
    path = tmp_path / "scan.pdf"
    path.write_bytes(cp._tiny_png())
    assert main(["ingest", str(path)]) == 1
    assert "clausewise: error [unsupported_type]" in capsys.readouterr().err
