"""Reports in real tools: headless Chromium (no console errors) and LibreOffice (changes shown)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from service.report import render
from tests.conftest import require_tool
from tests.report.factories import XSS, make_result
from tests.report.test_docx import QUOTE, TEXT, _doc, _result

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.mark.browser
def test_html_report_renders_in_chromium_without_console_errors(settings, tmp_path: Path):
    require_tool("chromium")
    from playwright.sync_api import sync_playwright

    page_file = tmp_path / "report.html"
    page_file.write_bytes(render(make_result(XSS[0] + XSS[1], filename=XSS[2]), "html",
                                 settings=settings))
    errors: list[str] = []
    dialogs: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(page_file.as_uri())
        assert page.locator("article.finding").count() == 1
        page.click("a[href='#finding-1']")
        assert page.evaluate("location.hash") == "#finding-1"
        page.screenshot(path=str(tmp_path / "phone.png"), full_page=True)
        browser.close()
    assert errors == [] and dialogs == []  # payloads never executed
    assert (tmp_path / "phone.png").stat().st_size > 10_000


@pytest.mark.office
def test_docx_opens_in_libreoffice_and_shows_the_changes(settings, tmp_path: Path):
    require_tool("soffice")
    require_tool("pdftotext")
    doc = _doc()
    (tmp_path / "r.docx").write_bytes(
        render(_result(doc, TEXT.index(QUOTE)), "docx", doc=doc, settings=settings))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "r.docx")],
                   check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", str(tmp_path / "r.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "after appeal rights are exhausted" in text  # the insertion is visible
    assert "Notices go by mail" in text
