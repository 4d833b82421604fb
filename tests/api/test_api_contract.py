"""The HTTP API: auth, tenants, errors as {code, message}, limits, idempotency, deletion."""

from __future__ import annotations

import pytest

from tests.api.conftest import client
from tests.api.factories import PAYER_TXT, upload

ROUTES = [("GET", "/v1/contracts"), ("POST", "/v1/contracts"), ("GET", "/v1/contracts/abc"),
          ("GET", "/v1/contracts/abc/report"), ("GET", "/v1/contracts/abc/report.html"),
          ("DELETE", "/v1/contracts/abc"), ("GET", "/v1/clause-library"),
          ("GET", "/v1/clause-library/recoupment_offset_clawback")]


def test_single_user_mode_needs_no_key(server):
    with client(server) as c:
        r = upload(c)
        assert r.status_code == 202, r.text
        body = r.json()
        assert body["status"] == "queued" and r.headers["location"] == body["status_url"]
        status = c.get(body["status_url"]).json()
        assert status["filename"] == "contract.txt" and status["pages"] >= 1


@pytest.mark.parametrize("method,path", ROUTES)
def test_every_route_requires_a_valid_key(server, keys, method, path):
    for key in (None, "cw_not-a-real-key"):
        with client(server, key) as c:
            r = c.request(method, path)
            assert r.status_code == 401
            assert r.json()["code"] == "unauthorized"


def test_health_is_open(server, keys):
    with client(server) as c:
        assert c.get("/healthz").json()["status"] == "ok"
        assert c.get("/readyz").status_code == 200


def test_tenants_cannot_see_each_other(server, keys):
    with client(server, keys["a"]) as a, client(server, keys["b"]) as b:
        cid = upload(a).json()["id"]
        probes = [b.get(f"/v1/contracts/{cid}"), b.get(f"/v1/contracts/{cid}/report"),
                  b.get(f"/v1/contracts/{cid}/report.docx"), b.delete(f"/v1/contracts/{cid}")]
        assert [p.status_code for p in probes] == [404] * 4
        assert b.get("/v1/contracts").json()["total"] == 0
        assert a.get(f"/v1/contracts/{cid}").status_code == 200  # B's delete did nothing


@pytest.mark.parametrize("name,data,status,code", [
    ("empty.pdf", b"", 422, "empty_file"),
    ("image.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, 415, "unsupported_type"),
    ("page.pdf", b"<!DOCTYPE html><html><body>hi</body></html>", 415, "unsupported_type"),
    ("truncated.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R", 422, "pdf_unreadable"),
    ("bad.txt", b"\xff\xfe\xfa invalid \xc3\x28", 422, "bad_encoding"),
    ("nul.txt", b"abc\x00def", 422, "bad_encoding"),
])
def test_bad_uploads_get_clear_4xx_and_the_server_stays_up(server, name, data, status, code):
    with client(server) as c:
        r = upload(c, name, data)
        assert (r.status_code, r.json()["code"]) == (status, code)
        assert r.json()["message"]
        assert c.get("/healthz").status_code == 200
        assert c.get("/v1/contracts").json()["total"] == 0  # nothing half-stored


def test_oversize_upload_is_refused_by_content_length(server):
    with client(server) as c:
        r = upload(c, "big.txt", b"a" * 400_000)
        assert r.status_code == 413 and r.json()["code"] == "too_large"


def test_oversize_chunked_upload_is_refused_while_streaming(server):
    boundary = "cwboundary"

    def body():
        yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
               f"filename=\"big.txt\"\r\nContent-Type: text/plain\r\n\r\n").encode()
        for _ in range(100):
            yield b"a" * 10_000
        yield f"\r\n--{boundary}--\r\n".encode()

    with client(server) as c:
        r = c.post("/v1/contracts", content=body(),
                   headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        assert "content-length" not in {k.lower() for k in r.request.headers}
        assert r.status_code == 413 and r.json()["code"] == "too_large"
        assert c.get("/healthz").status_code == 200


def test_idempotency_key_replays_the_same_contract(server):
    with client(server) as c:
        first = upload(c, **{"Idempotency-Key": "batch-7"}).json()
        again = upload(c, **{"Idempotency-Key": "batch-7"}).json()
        assert again["id"] == first["id"] and again["replayed"] is True
        assert c.get("/v1/contracts").json()["total"] == 1


def test_rate_limit_answers_429_with_retry_after(api_settings, keys):
    from tests.api.conftest import live_server

    with live_server(api_settings.model_copy(update={"tenant_rate_per_minute": 3})) as url:
        with client(url, keys["a"]) as c:
            codes = [c.get("/v1/contracts").status_code for _ in range(4)]
            r = c.get("/v1/contracts")
        assert codes[:3] == [200, 200, 200] and codes[3] == 429
        assert r.json()["code"] == "rate_limited" and int(r.headers["retry-after"]) >= 1


def test_report_before_done_is_409_and_delete_removes_files(server, api_settings):
    with client(server) as c:
        cid = upload(c).json()["id"]
        r = c.get(f"/v1/contracts/{cid}/report.html")
        assert r.status_code == 409 and r.json()["code"] == "not_ready"
        folders = list((api_settings.data_dir / "contracts").rglob(cid))
        assert folders and any(folders[0].iterdir())
        assert c.delete(f"/v1/contracts/{cid}").status_code == 204
        assert not (folders[0]).exists()
        assert c.get(f"/v1/contracts/{cid}").status_code == 404


def test_pagination_and_validation_errors(server):
    with client(server) as c:
        for i in range(3):
            upload(c, data=PAYER_TXT + str(i).encode())
        page = c.get("/v1/contracts", params={"limit": 2, "offset": 1}).json()
        assert page["total"] == 3 and len(page["items"]) == 2
        bad = c.get("/v1/contracts", params={"limit": 0})
        assert bad.status_code == 422 and bad.json()["code"] == "invalid_request"
        assert c.get("/v1/nope").json()["code"] == "not_found"


def test_metrics_are_prometheus_text(server):
    with client(server) as c:
        upload(c)
        upload(c, "empty.txt", b"")
        text = c.get("/metrics").text
    assert 'clausewise_jobs{status="queued"} 1' in text
    assert 'clausewise_errors_total{source="api",code="empty_file"} 1' in text
    assert "clausewise_review_seconds_count" in text
