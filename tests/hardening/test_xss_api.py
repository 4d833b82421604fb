"""XSS payloads in contract text and file names, through the API to the served report and the web
page: always inert text, never markup; report pages carry a strict Content-Security-Policy."""

from __future__ import annotations

import re
import shutil
import time
from typing import Any

import httpx
import pytest
from lxml import html as lxml_html

from tests.api.conftest import client, live_server
from tests.api.factories import upload
from tests.hardening.conftest import Figures, hardened_settings
from tests.report.factories import XSS

# File names lose everything up to the last "/" (clean_filename), so these avoid "/".
NAME_PAYLOADS = ['<img src=x onerror=alert(11)>.txt', '"><svg onload=alert(12)>.txt',
                 "'><body onload=alert(13)>.txt", "javascript:alert(14).txt",
                 "{{ 7*7 }}<iframe src=x>.txt"]
URL_ATTRS = ("href", "src", "action", "formaction", "xlink:href", "data", "poster")
BANNED_TAGS = {"script", "iframe", "object", "embed", "base", "form", "svg", "img", "body",
               "frame", "frameset", "link", "meta"}


def contract_with(payloads: list[str]) -> bytes:
    """A payer agreement whose flagged clauses carry the payloads inside their sentences."""
    p = payloads + [""] * (8 - len(payloads))
    return f"""PARTICIPATING PROVIDER AGREEMENT {p[7]}

This Agreement is made as of January 1, 2026 between Acme Health Plan, Inc. ("Plan") and
Riverside Family Medicine, P.C. ("Provider") {p[6]}.

1. Recoupment. Plan may recover any overpayment {p[0]} by offsetting the amount against any
current or future payments due to Provider under any Health Benefit Plan {p[1]}, regardless of
cause, and without regard to any time limit.

2. Amendments. Plan may amend this Agreement or the Provider Manual {p[2]} at any time upon
thirty (30) days' notice, and Provider's continued participation shall constitute acceptance
{p[3]}.

3. Claims. Provider shall submit all claims within ninety (90) days after the date of service
{p[4]}; claims received later shall be denied and Provider shall not bill the Member.

4. Governing Law. This Agreement is governed by the laws of the State of Ohio {p[5]}.
""".encode()


def active_content(page: str) -> list[str]:
    """Everything in an HTML document that could run script or load something."""
    tree = lxml_html.document_fromstring(page)
    found = []
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        if tag in BANNED_TAGS - {"meta", "body"} or (tag == "body" and el is not tree.body):
            found.append(f"<{tag}>")
        if tag == "meta" and (el.get("http-equiv") or "").lower() == "refresh":
            found.append("<meta refresh>")
        for name, value in el.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"{tag}[{name}]")
            if name.lower() in URL_ATTRS and re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith(
                    ("javascript:", "vbscript:", "data:text/html")):
                found.append(f"{tag}[{name}={value[:30]}]")
    if len(tree.findall(".//style")) > 1:
        found.append("extra <style>")
    return found


def _wait_done(c: httpx.Client, cid: str, timeout: float = 400) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = c.get(f"/v1/contracts/{cid}").json()["status"]
        if status in ("done", "partial", "failed"):
            return str(status)
        time.sleep(1)
    raise AssertionError(f"review of {cid} did not finish")


def _record_payloads(figures: Figures, page: str, payloads: list[str], clean: bool) -> None:
    """A payload is inert when the page has no active content and never holds it unescaped."""
    text = lxml_html.document_fromstring(page).text_content()
    for p in payloads:
        raw_markup = any(ch in p for ch in "<>\"'") and p in page
        figures.record("xss", clean and not raw_markup, f"{p!r} (shown as text: {p in text})")


def test_active_content_detector_finds_injected_markup():
    """The checker itself can fail: raw payloads are caught, escaped ones are not."""
    raw = "<html><head><style></style></head><body><p>{}</p></body></html>"
    assert active_content(raw.format("<img src=x onerror=alert(1)>"))
    assert active_content(raw.format('<a href=" javascript:alert(1)">x</a>'))
    assert not active_content(raw.format("&lt;script&gt;alert(1)&lt;/script&gt;"))


@pytest.mark.slow
@pytest.mark.server
def test_payloads_in_contract_text_and_file_names_stay_inert(tmp_path, model_dir, figures):
    settings = hardened_settings(tmp_path, model_dir)
    with live_server(settings, worker_threads=1) as url, client(url) as c:
        ids = [upload(c, name, contract_with(XSS if i == 0 else [])).json()["id"]
               for i, name in enumerate(NAME_PAYLOADS)]
        assert all(_wait_done(c, cid) == "done" for cid in ids)
        for i, cid in enumerate(ids):
            r = c.get(f"/v1/contracts/{cid}/report.html")
            assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
            csp = r.headers["content-security-policy"]
            found = active_content(r.text)
            clean = "default-src 'none'" in csp and "script-src" not in csp and not found
            _record_payloads(figures, r.text, (XSS if i == 0 else []) + [NAME_PAYLOADS[i]], clean)
            assert not found, found
            assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("style-src")[0]
            assert r.headers["x-content-type-options"] == "nosniff"
            md = c.get(f"/v1/contracts/{cid}/report.md")
            assert md.headers["content-type"].startswith("text/markdown")
            assert md.headers["x-content-type-options"] == "nosniff"
            disposition = c.get(f"/v1/contracts/{cid}/report.docx").headers["content-disposition"]
            assert re.fullmatch(r'attachment; filename="[A-Za-z0-9._-]+-redline\.docx"', disposition)
        report = c.get(f"/v1/contracts/{ids[0]}/report.json").json()
        quotes = " ".join(f["quote"] for f in report["findings"])
        assert "<script>alert(1)</script>" in quotes  # the payload reached the report, as data


@pytest.mark.browser
@pytest.mark.server
def test_web_page_lists_hostile_file_names_as_text(tmp_path, model_dir, figures):
    from tests.conftest import require_tool

    require_tool("chromium")
    from playwright.sync_api import sync_playwright

    settings = hardened_settings(tmp_path, model_dir)
    dialogs: list[str] = []
    with live_server(settings) as url:
        with client(url) as c:
            for name in NAME_PAYLOADS:
                assert upload(c, name, contract_with([])).status_code == 202
            # multipart clients send '"' as %22: the API's own list is the source of truth
            stored = [i["filename"] for i in c.get("/v1/contracts").json()["items"]]
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"),
                                        args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()

            def on_dialog(dialog: Any) -> None:  # an alert() means a payload ran
                dialogs.append(dialog.message)
                dialog.dismiss()

            page.on("dialog", on_dialog)
            page.goto(url)
            page.wait_for_selector("#contracts tbody tr")
            page.wait_for_timeout(1000)
            shown = page.locator("#contracts tbody tr td:first-child").all_text_contents()
            injected = page.locator("#contracts tbody img, #contracts tbody svg, "
                                    "#contracts tbody iframe").count()
            browser.close()
    for name in stored:
        figures.record("xss", name in shown and not dialogs and injected == 0, f"file name {name!r}")
    assert dialogs == [] and injected == 0
    assert sorted(shown) == sorted(stored) and any("<img" in n for n in stored)
