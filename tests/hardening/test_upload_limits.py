"""Size and page limits: 413 with the right code before any expensive work, memory bounded."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from tests.api.conftest import client
from tests.api.factories import PAYER_TXT, upload
from tests.hardening import hostile_files as hf

LIMIT = 2_000_000  # hard_settings.max_upload_bytes
BOUNDARY = "cwhardening"


def _multipart_stream(total: int, chunk: int = 64 * 1024) -> Iterator[bytes]:
    """A multipart body of `total` file bytes, generated lazily (sent chunked, no length)."""
    yield (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; "
           f"filename=\"big.txt\"\r\nContent-Type: text/plain\r\n\r\n").encode()
    for _ in range(total // chunk):
        yield b"a" * chunk
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


def _peak_rss_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]


def _refused(r, code: str) -> bool:
    return r.status_code == 413 and r.json().get("code") == code


def test_declared_oversize_is_refused_before_the_body_is_sent(hard_server, figures):
    """Headers announce 10 GB and no body follows: the answer must not wait for it."""
    url = urlsplit(hard_server)
    started = time.monotonic()
    with socket.create_connection((url.hostname, url.port), timeout=5) as s:
        s.sendall(b"POST /v1/contracts HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000000\r\n"
                  b"Content-Type: multipart/form-data; boundary=x\r\n\r\n")
        reply = s.recv(4096).decode("latin-1")
    ok = reply.startswith("HTTP/1.1 413") and '"code":"too_large"' in reply.replace(" ", "")
    figures.record("size_limits", ok, "declared 10 GB")
    assert ok, reply
    assert time.monotonic() - started < 2


def test_chunked_oversize_is_refused_while_streaming_in_bounded_memory(hard_server, figures):
    """50 MB sent chunked (no Content-Length) against a 2 MB limit."""
    Path("/proc/self/clear_refs").write_text("5")  # reset this process's peak RSS (server thread)
    before = _peak_rss_mb()
    with client(hard_server) as c:
        r = c.post("/v1/contracts", content=_multipart_stream(50_000_000),
                   headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})
        grew = _peak_rss_mb() - before
        healthy = c.get("/healthz").status_code == 200
        stored = c.get("/v1/contracts").json()["total"]
    ok = _refused(r, "too_large") and healthy and stored == 0 and grew < 40
    figures.record("size_limits", ok, f"chunked 50 MB: {r.status_code}, +{grew:.0f} MB")
    assert _refused(r, "too_large"), r.text
    assert healthy and stored == 0
    assert grew < 40, f"peak RSS grew {grew:.0f} MB while refusing a 50 MB upload"


def test_file_one_byte_over_the_limit_inside_multipart_slack(hard_server, figures):
    """The body fits the middleware's slack; the route's own check must still refuse it."""
    with client(hard_server) as c:
        r = upload(c, "big.txt", b"a" * (LIMIT + 1))
        ok = _refused(r, "too_large") and c.get("/v1/contracts").json()["total"] == 0
    figures.record("size_limits", ok, f"limit+1 bytes: {r.status_code}")
    assert ok, r.text


def test_file_exactly_at_the_limit_is_accepted(hard_server):
    body = (PAYER_TXT * (LIMIT // len(PAYER_TXT) + 1))[:LIMIT]
    with client(hard_server) as c:
        r = upload(c, "max.txt", body)
        assert r.status_code == 202, r.text
        assert c.delete(f"/v1/contracts/{r.json()['id']}").status_code == 204


def test_pdf_with_too_many_pages(hard_server, figures):
    with client(hard_server) as c:
        r = upload(c, "long.pdf", hf.many_pages(25))  # max_pages is 20
        ok = _refused(r, "too_many_pages") and "20" in r.json()["message"]
    figures.record("size_limits", ok, f"25-page PDF: {r.status_code}")
    assert ok, r.text


def test_docx_with_too_many_pages(hard_server, figures):
    docx = hf.docx_of("".join(hf.para(f"{i}.1 Clause {i}.", page_break=True) for i in range(30)))
    with client(hard_server) as c:
        r = upload(c, "long.docx", docx)
        if r.status_code == 202:
            c.delete(f"/v1/contracts/{r.json()['id']}")
    figures.record("size_limits", _refused(r, "too_many_pages"), f"30-page DOCX: {r.status_code}")
    assert _refused(r, "too_many_pages"), r.text
