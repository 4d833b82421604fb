"""Object-level authorisation: tenant B probes everything of tenant A's and learns nothing;
retrieval is scoped to the tenant's own Chroma collection; deletion is real."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from service.api.keys import create_key
from service.jobs.worker import open_store
from service.settings import Settings
from tests.api.conftest import client, live_server
from tests.api.factories import PAYER_TXT, upload
from tests.hardening.conftest import Figures, hardened_settings

A_NAME = "alpha-confidential-rates.txt"
A_TEXT = PAYER_TXT + b"\n4. Rates. Alpha Clinic is paid 187 percent of the Medicare fee schedule.\n"
B_TEXT = PAYER_TXT.replace(b"Riverside", b"Hillcrest") + b"\n4. Notices. Notices go by mail.\n"
ACCEPTS = ["application/json", "text/html", "text/markdown", "*/*",
           "application/vnd.openxmlformats-officedocument.wordprocessingml.document"]
SPOOF = {"X-Tenant": "clinic-a", "X-Tenant-Id": "clinic-a", "X-Forwarded-User": "clinic-a"}
TERMINAL = {"done", "partial", "failed"}


def _keys(settings: Settings) -> dict[str, str]:
    store = open_store(settings)
    return {"a": create_key(store, "clinic-a"), "b": create_key(store, "clinic-b")}


def _id_variants(cid: str) -> list[str]:
    return [cid, cid.upper(), f"{cid}%20", f"{cid}%00", f"./{cid}", f"..%2F{cid}"]


def _probes(b: httpx.Client, cid: str) -> Iterator[tuple[str, httpx.Response]]:
    """Every contract route, with tenant A's id, as tenant B."""
    for v in _id_variants(cid):
        yield f"GET {v}", b.get(f"/v1/contracts/{v}")
        yield f"GET {v} spoofed", b.get(f"/v1/contracts/{v}", headers=SPOOF)
    for accept in ACCEPTS:
        yield f"report [{accept}]", b.get(f"/v1/contracts/{cid}/report", headers={"Accept": accept})
    for fmt in ("json", "html", "docx", "md"):
        yield f"report.{fmt}", b.get(f"/v1/contracts/{cid}/report.{fmt}")
        yield f"report.{fmt} spoofed", b.get(f"/v1/contracts/{cid}/report.{fmt}", headers=SPOOF)
    yield "DELETE", b.delete(f"/v1/contracts/{cid}")
    yield "DELETE spoofed", b.delete(f"/v1/contracts/{cid}", headers=SPOOF)


def _leaks(label: str, r: httpx.Response, figures: Figures) -> list[str]:
    """A probe leaks when it is not a 404, or when A's filename or text shows in the body (the
    404 message may echo the id the caller sent)."""
    body = r.content
    leaked = r.status_code != 404 or A_NAME.encode() in body or b"187 percent" in body
    figures.record("cross_tenant", not leaked, f"{label}: {r.status_code}")
    return [f"{label}: {r.status_code}"] if leaked else []


def _list_leaks(b: httpx.Client, a_ids: set[str], figures: Figures) -> list[str]:
    out = []
    for params in ({}, {"limit": 200}, {"offset": 1}):
        for headers in ({}, SPOOF):
            r = b.get("/v1/contracts", params=params, headers=headers)
            ids = {i["id"] for i in r.json()["items"]}
            leaked = r.status_code != 200 or bool(ids & a_ids) or A_NAME in r.text
            figures.record("cross_tenant", not leaked, f"list {params} {headers and 'spoofed'}")
            out += [f"list {params}: {sorted(ids & a_ids)}"] if leaked else []
    return out


@pytest.fixture(scope="module")
def two_tenants(tmp_path_factory, model_dir) -> Iterator[tuple[str, dict[str, str]]]:
    settings = hardened_settings(tmp_path_factory.mktemp("tenants"), model_dir)
    keys = _keys(settings)
    with live_server(settings) as url:
        yield url, keys


def test_tenant_b_cannot_reach_tenant_a_contracts(two_tenants, figures):
    url, keys = two_tenants
    with client(url, keys["a"]) as a, client(url, keys["b"]) as b:
        a_ids = {upload(a, A_NAME, A_TEXT + bytes([48 + i])).json()["id"] for i in range(2)}
        leaks: list[str] = []
        for cid in sorted(a_ids):
            for label, r in _probes(b, cid):
                leaks += _leaks(label, r, figures)
        leaks += _list_leaks(b, a_ids, figures)
        assert leaks == []
        assert {i["id"] for i in a.get("/v1/contracts").json()["items"]} == a_ids  # B deleted nothing


def test_idempotency_keys_and_identical_files_are_per_tenant(two_tenants, figures):
    url, keys = two_tenants
    with client(url, keys["a"]) as a, client(url, keys["b"]) as b:
        first = upload(a, A_NAME, A_TEXT, **{"Idempotency-Key": "shared-batch-1"}).json()
        mine = upload(b, "b.txt", A_TEXT, **{"Idempotency-Key": "shared-batch-1"})
        body = mine.json()
        leaked = mine.status_code != 202 or body["id"] == first["id"] or body["replayed"]
        figures.record("cross_tenant", not leaked, f"idempotency replay across tenants: {body}")
        assert not leaked, body
        assert b.get(f"/v1/contracts/{body['id']}").json()["filename"] == "b.txt"
        assert b.delete(f"/v1/contracts/{body['id']}").status_code == 204
        assert a.get(f"/v1/contracts/{first['id']}").status_code == 200  # A's same-sha file stays


def _wait_terminal(c: httpx.Client, ids: set[str], timeout: float = 400) -> dict[str, str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = {i: c.get(f"/v1/contracts/{i}").json()["status"] for i in ids}
        if set(status.values()) <= TERMINAL:
            return status
        time.sleep(1)
    raise AssertionError(f"reviews did not finish: {status}")


@pytest.mark.slow
@pytest.mark.server
def test_reviewed_contracts_stay_in_their_tenants_collection(tmp_path, model_dir, figures):
    """After real reviews of A's and B's contracts: B's probes and B's retrieval see nothing of A."""
    from service.index import ChunkIndex

    settings = hardened_settings(tmp_path, model_dir)
    keys = _keys(settings)
    with (live_server(settings, worker_threads=1) as url, client(url, keys["a"]) as a,
          client(url, keys["b"]) as b):
        a_id, b_id = upload(a, A_NAME, A_TEXT).json()["id"], upload(b, "b.txt", B_TEXT).json()["id"]
        assert _wait_terminal(a, {a_id}) == {a_id: "done"}
        assert _wait_terminal(b, {b_id}) == {b_id: "done"}
        leaks = [x for label, r in _probes(b, a_id) if label.startswith("report")
                 for x in _leaks(label, r, figures)]
        assert leaks == []
        a_sha = a.get(f"/v1/contracts/{a_id}/report.json").json()["document"]["sha256"]
    index = ChunkIndex.from_settings(settings)
    assert index.count("clinic-a", a_sha) > 0
    assert index.count("clinic-b", a_sha) == 0
    hits = index.query("clinic-b", ["Alpha Clinic is paid 187 percent of the Medicare fee"], k=50)[0]
    leaked = [h for h in hits if h.doc_id == a_sha or "187 percent" in h.text]
    figures.record("cross_tenant", not leaked, "B's nearest chunks to A's rate clause")
    assert hits and not leaked


@pytest.mark.slow
@pytest.mark.server
def test_delete_removes_the_index_entries(tmp_path, model_dir):
    from service.index import ChunkIndex

    settings = hardened_settings(tmp_path, model_dir)
    with live_server(settings, worker_threads=1) as url, client(url) as c:
        cid = upload(c, A_NAME, A_TEXT).json()["id"]
        assert _wait_terminal(c, {cid}) == {cid: "done"}
        sha = c.get(f"/v1/contracts/{cid}/report.json").json()["document"]["sha256"]
        assert c.delete(f"/v1/contracts/{cid}").status_code == 204
    index = ChunkIndex.from_settings(settings)
    assert index.count("local", sha) == 0
    assert not list((settings.data_dir / "contracts").rglob(cid))
