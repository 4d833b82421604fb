"""schemathesis against the app's OpenAPI spec: no 5xx, every response documented (status code,
content type, body schema, headers), in single-user mode and with a tenant key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from service.api.app import create_app
from service.api.keys import create_key
from service.jobs.worker import open_store
from service.settings import Settings
from tests.api.conftest import client, live_server
from tests.api.factories import upload
from tests.hardening.conftest import Figures, hardened_settings
from tests.hardening.fuzz import FuzzRun, fuzz

FAST_EXAMPLES = 20  # per operation and mode: ~300 requests, well under a minute
# Known drift, pinned by the xfail test below; filtered here so new violations still fail.
KNOWN_DRIFT: tuple[str, ...] = ()


def _new_violations(run: FuzzRun) -> list[str]:
    return [v for v in run.violations if not v.startswith(KNOWN_DRIFT)]


def _settings(tmp: Path, model_dir: Path) -> Settings:
    return hardened_settings(tmp, model_dir, tenant_rate_per_minute=1_000_000)


@pytest.fixture(scope="module")
def fuzz_target(tmp_path_factory, model_dir) -> Iterator[tuple[str, Settings, dict]]:
    settings = _settings(tmp_path_factory.mktemp("fuzz"), model_dir)
    with live_server(settings) as url:
        yield url, settings, create_app(settings).openapi()


def _record(figures: Figures, run: FuzzRun) -> None:
    figures.add("schemathesis", run.cases, run.cases - len(run.server_errors), run.server_errors)
    figures.add("schemathesis_conformance", run.cases, run.cases - len(run.violations),
                run.violations)


def _known_id(url: str, key: str | None = None) -> str:
    with client(url, key) as c:
        return str(upload(c, "known.txt").json()["id"])


def test_single_user_mode(fuzz_target, figures):
    url, _, spec = fuzz_target
    run = fuzz(url, spec, max_examples=FAST_EXAMPLES,
               path_parameters={"contract_id": _known_id(url)})
    _record(figures, run)
    assert run.cases > 100
    assert run.server_errors == []
    assert _new_violations(run) == []


def test_with_a_tenant_key_and_without(tmp_path, model_dir, figures):
    settings = _settings(tmp_path, model_dir)
    key = create_key(open_store(settings), "clinic-a")
    spec = create_app(settings).openapi()
    with live_server(settings) as url:
        keyed = fuzz(url, spec, headers={"Authorization": f"Bearer {key}"},
                     max_examples=FAST_EXAMPLES // 2,
                     path_parameters={"contract_id": _known_id(url, key)})
        anonymous = fuzz(url, spec, max_examples=3, modes=("positive",))
    for run in (keyed, anonymous):
        _record(figures, run)
        assert run.server_errors == []
        assert _new_violations(run) == []
    assert anonymous.by_status.get(401, 0) > 0
    assert set(anonymous.by_status) <= {200, 401}  # only health/metrics answer without a key


MALFORMED_MULTIPART = [
    ("not multipart at all", b"garbage", "multipart/form-data; boundary=x"),
    ("no boundary", b"--x\r\n", "multipart/form-data"),
    ("bad part header", b"--x\r\n[: y\r\n\r\nabc\r\n--x--\r\n", "multipart/form-data; boundary=x"),
]


@pytest.mark.parametrize(("name", "body", "ctype"), MALFORMED_MULTIPART,
                         ids=[m[0] for m in MALFORMED_MULTIPART])
def test_malformed_multipart_answers_a_documented_status(fuzz_target, name, body, ctype):
    url, _, spec = fuzz_target
    with client(url) as c:
        r = c.post("/v1/contracts", content=body, headers={"Content-Type": ctype})
    assert r.status_code < 500 and r.json()["code"]
    assert str(r.status_code) in spec["paths"]["/v1/contracts"]["post"]["responses"]


@pytest.mark.slow
def test_single_user_mode_long_run(tmp_path, model_dir, figures):
    settings = _settings(tmp_path, model_dir)
    spec = create_app(settings).openapi()
    with live_server(settings) as url:
        run = fuzz(url, spec, max_examples=300, path_parameters={"contract_id": _known_id(url)})
    _record(figures, run)
    assert run.server_errors == []
    assert _new_violations(run) == []
