"""The web page in a real headless Chromium: sign in, upload, wait for done, open the report."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from service.api.keys import create_key
from service.jobs.worker import open_store
from tests.api.conftest import live_server
from tests.api.factories import PAYER_TXT
from tests.conftest import require_tool

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.mark.browser
@pytest.mark.server
def test_sign_in_upload_and_open_report(settings, tmp_path: Path):
    require_tool("chromium")
    from playwright.sync_api import expect, sync_playwright

    key = create_key(open_store(settings), "clinic-a")
    contract = tmp_path / "payer <img src=x onerror=alert(1)>.txt"
    contract.write_bytes(PAYER_TXT)
    errors: list[str] = []
    with live_server(settings, worker_threads=1) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
        page = browser.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url)
        page.fill("#key", "wrong")
        page.click("button[type=submit]")
        expect(page.locator(".error")).to_contain_text("not valid")
        page.fill("#key", key)
        page.click("button[type=submit]")
        page.set_input_files("#file", str(contract))
        row = page.locator("#contracts tbody tr").first
        expect(row).to_have_attribute("data-status", "done", timeout=180_000)
        expect(row.locator("td").first).to_have_text(contract.name)  # shown as text
        with page.expect_popup() as popup:
            row.locator("a.open-report").click()
        report = popup.value
        report.wait_for_load_state()
        assert "Contract review" in report.title()
        assert report.locator("article.finding").count() >= 1
        page.once("dialog", lambda d: d.accept())
        row.locator("button.danger").click()
        expect(page.locator("#empty")).to_be_visible(timeout=10_000)
        browser.close()
    assert errors == []
