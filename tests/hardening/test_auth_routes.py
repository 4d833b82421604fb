"""Authentication on every route of the OpenAPI spec (iterated, not hand-listed); health and
docs stay open; the tenant comes only from the key."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import httpx
import pytest

from service.api.app import create_app
from service.api.keys import create_key
from service.jobs.worker import open_store
from tests.api.conftest import client, live_server
from tests.api.factories import PAYER_TXT
from tests.hardening.conftest import hardened_settings

OPEN = {"/healthz", "/readyz"}  # liveness/readiness; /metrics needs a key when keys exist
DOCS = ["/openapi.json", "/docs", "/redoc"]
PATH_VALUES = {"contract_id": "0123456789abcdef01234567", "clause_id": "recoupment_offset_clawback",
               "fmt": "html"}
BAD_CREDENTIALS: dict[str, dict[str, str]] = {
    "none": {},
    "unknown_key": {"Authorization": "Bearer cw_not-a-real-key"},
    "empty_bearer": {"Authorization": "Bearer"},
    "lowercase_scheme_forged": {"Authorization": "bearer cw_forged"},
    "basic_scheme": {"Authorization": "Basic Y2xpbmljLWE6eA=="},
    "key_without_scheme": {"Authorization": "KEY"},  # replaced by the real key of tenant A
    "bad_cookie": {"Cookie": "cw_key=cw_forged"},
    "tenant_header_only": {"X-Tenant": "clinic-a", "X-Tenant-Id": "clinic-a"},
    "overlong_key": {"Authorization": "Bearer " + "k" * 8000},
}


@pytest.fixture(scope="module")
def keyed(tmp_path_factory, model_dir) -> Iterator[tuple[str, str, list[tuple[str, str]]]]:
    """A server with keys configured, tenant A's key and every (method, path) of its spec."""
    settings = hardened_settings(tmp_path_factory.mktemp("auth"), model_dir)
    key = create_key(open_store(settings), "clinic-a")
    spec = create_app(settings).openapi()
    routes = [(m.upper(), re.sub(r"\{(\w+)\}", lambda g: PATH_VALUES[g.group(1)], path))
              for path, ops in spec["paths"].items() for m in ops]
    with live_server(settings) as url:
        yield url, key, routes


def _request(c: httpx.Client, method: str, path: str, headers: dict[str, str]) -> httpx.Response:
    files = {"file": ("c.txt", PAYER_TXT, "text/plain")} if method == "POST" else None
    return c.request(method, path, headers=headers, files=files)


def test_spec_lists_every_api_route(keyed):
    _, _, routes = keyed
    paths = {p for _, p in routes}
    assert {"/v1/contracts", "/v1/contracts/0123456789abcdef01234567",
            "/v1/contracts/0123456789abcdef01234567/report.html", "/v1/clause-library"} <= paths


def test_every_route_refuses_missing_or_invalid_credentials(keyed, figures):
    url, key, routes = keyed
    failures = []
    with client(url) as c:
        for method, path in routes:
            if path in OPEN:
                continue
            for name, headers in BAD_CREDENTIALS.items():
                if name == "key_without_scheme":
                    headers = {"Authorization": key}
                r = _request(c, method, path, headers)
                ok = (r.status_code == 401 and r.json().get("code") == "unauthorized"
                      and bool(r.json().get("message")))
                figures.record("auth_probes", ok, f"{method} {path} [{name}] -> {r.status_code}")
                if not ok:
                    failures.append((method, path, name, r.status_code, r.text[:100]))
        assert c.get("/v1/contracts", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    assert failures == []


def test_open_routes_answer_without_a_key(keyed):
    url, _, routes = keyed
    with client(url) as c:
        for method, path in routes:
            if path in OPEN:
                assert c.request(method, path).status_code == 200, path
        for path in DOCS:
            assert c.get(path).status_code == 200, path


def test_unauthorized_names_the_scheme(keyed):
    url, _, _ = keyed
    with client(url) as c:
        r = c.get("/v1/contracts")
    assert r.status_code == 401 and r.headers.get("www-authenticate", "").startswith("Bearer")


def test_spec_declares_the_bearer_scheme(keyed, tmp_path, model_dir):
    spec = create_app(hardened_settings(tmp_path, model_dir)).openapi()
    schemes = spec.get("components", {}).get("securitySchemes", {})
    assert any(s.get("scheme", "").lower() == "bearer" for s in schemes.values())
    assert spec["paths"]["/v1/contracts"]["get"].get("security")


def test_web_page_needs_a_valid_key_too(keyed):
    url, key, _ = keyed
    with client(url) as c:
        assert 'id="key"' in c.get("/").text  # sign-in form, not the contract list
        assert 'id="key"' in c.get("/", headers={"Cookie": "cw_key=cw_forged"}).text
        bad = c.post("/session", data={"key": "cw_forged"})
        assert bad.status_code == 200 and "not valid" in bad.text and "set-cookie" not in bad.headers
        good = c.post("/session", data={"key": key}, follow_redirects=False)
        assert good.status_code == 303 and "httponly" in good.headers["set-cookie"].lower()


def test_no_client_supplied_tenant_collection_or_filter(keyed, tmp_path, model_dir):
    """The tenant and its Chroma collection come only from the key: nothing in the spec lets a
    client name a tenant, a collection or a retrieval filter."""
    spec = create_app(hardened_settings(tmp_path, model_dir)).openapi()
    names = {p["name"].lower() for ops in spec["paths"].values() for op in ops.values()
             for p in op.get("parameters", [])}
    forms = json.dumps(spec.get("components", {}).get("schemas", {})).lower()
    for word in ("tenant", "collection", "where", "filter", "namespace"):
        assert not any(word in n for n in names), names
        assert f'"{word}' not in forms
