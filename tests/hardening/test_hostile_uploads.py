"""Hostile files through the real API: a clear 4xx with the right code, fast, nothing stored,
and the service still healthy afterwards (reliability.md, "PDF input" and "DOCX/TXT input")."""

from __future__ import annotations

import json
import re
import threading
import time
from pathlib import Path

import pytest

from tests.api.conftest import client
from tests.api.factories import upload
from tests.hardening import hostile_files as hf

BOUND_S = 12.0  # pdf_timeout_s (5 s) + fork, upload and a loaded 2-core machine
CASES = ([(n, make, ok, "malformed_pdfs", ".pdf") for n, make, ok in hf.PDF_CASES]
         + [(n, make, ok, "malformed_docx_txt", ".docx") for n, make, ok in hf.DOCX_CASES]
         + [(n, make, ok, "malformed_docx_txt", ".txt") for n, make, ok in hf.TXT_CASES])


def _stored_sources(data_dir: Path) -> list[Path]:
    return list((data_dir / "contracts").rglob("source.*"))


def _fully_stored(c, cid: str) -> bool:
    """An accepted file is queued with its page count, and can be deleted again."""
    status = c.get(f"/v1/contracts/{cid}")
    ok = status.status_code == 200 and (status.json()["pages"] or 0) >= 1
    return ok and c.delete(f"/v1/contracts/{cid}").status_code == 204


@pytest.mark.parametrize(("name", "make", "outcomes", "figure", "ext"), CASES,
                         ids=[c[0] for c in CASES])
def test_hostile_file_gets_a_clean_answer(hard_server, hard_settings, figures, name, make,
                                          outcomes, figure, ext):
    data = make()
    with client(hard_server) as c:
        started = time.monotonic()
        r = upload(c, name + ext, data)
        elapsed = time.monotonic() - started
        body = r.json()
        outcome = (r.status_code, None if r.status_code == 202 else body.get("code"))
        healthy = c.get("/healthz").status_code == 200
        if r.status_code == 202:
            complete = _fully_stored(c, body["id"])
        else:  # refused: an explained JSON error and nothing half-stored
            complete = bool(body.get("message")) and c.get("/v1/contracts").json()["total"] == 0
        complete = complete and not _stored_sources(hard_settings.data_dir)
    clean = outcome in outcomes and healthy and complete and elapsed < BOUND_S
    figures.record(figure, clean, f"{name}: {outcome} in {elapsed:.1f}s")
    assert outcome in outcomes, (name, body)
    assert r.headers["content-type"].startswith("application/json")
    assert healthy and complete
    assert elapsed < BOUND_S


def test_service_answers_while_a_pdf_bomb_is_parsed(hard_server):
    """Parsing happens in a limited child off the event loop: other requests are not blocked."""
    result: dict[str, int] = {}

    def bomb() -> None:
        with client(hard_server) as c:
            result["status"] = upload(c, "flood.pdf", hf.content_flood()).status_code

    thread = threading.Thread(target=bomb)
    thread.start()
    time.sleep(0.5)
    slowest = 0.0
    with client(hard_server) as c:
        while thread.is_alive():
            started = time.monotonic()
            assert c.get("/healthz").status_code == 200
            assert c.get("/v1/contracts").status_code == 200
            slowest = max(slowest, time.monotonic() - started)
            time.sleep(0.2)
    thread.join()
    assert result["status"] == 422
    assert slowest < 1.5


def _ingested_text(c, data_dir: Path, name: str, data: bytes) -> str | None:
    """Upload; the stored document text if accepted (then deleted), None if refused."""
    r = upload(c, name, data)
    if r.status_code != 202:
        assert r.json()["code"] == "docx_unreadable"
        return None
    folder = next((data_dir / "contracts").rglob(r.json()["id"]))
    text = str(json.loads((folder / "document.json").read_text())["text"])
    assert c.delete(f"/v1/contracts/{r.json()['id']}").status_code == 204
    return text


def test_docx_external_entities_are_never_resolved(hard_server, hard_settings):
    with client(hard_server) as c:
        text = _ingested_text(c, hard_settings.data_dir, "xxe.docx", hf.docx_xxe())
    assert text is None or not re.search(r"root:.*:0:0:", text)


def test_docx_with_a_doctype_is_refused_or_read_whole(hard_server, hard_settings):
    with client(hard_server) as c:
        text = _ingested_text(c, hard_settings.data_dir, "xxe.docx", hf.docx_xxe())
    assert text is None or "This Agreement lasts one year" in text


def _peak_rss_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]


def test_docx_with_lying_zip_sizes_is_refused_in_bounded_memory(hard_server):
    """290 KB whose document.xml declares 5 KB but inflates to 300 MB, parsed in the API process."""
    data = hf.docx_lying_sizes(300)
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak-RSS counter of this process
    before = _peak_rss_mb()
    with client(hard_server) as c:
        r = upload(c, "lying.docx", data)
        assert c.get("/healthz").status_code == 200
    assert (r.status_code, r.json()["code"]) == (422, "docx_unreadable")
    assert _peak_rss_mb() - before < 150, f"API peak RSS grew {_peak_rss_mb() - before:.0f} MB"
