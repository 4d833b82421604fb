"""Nothing accepted is lost: kill -9 the worker mid-review and the API right after a 202."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import free_port
from tests.api.factories import PAYER_TXT

REPO = Path(__file__).resolve().parents[2]
TERMINAL = {"done", "partial", "failed"}


def _contract(i: int) -> bytes:
    # big enough that a review takes a few seconds (many sections to embed and score)
    body = b"\n\n".join(PAYER_TXT.replace(b"1. Recoupment", f"{n}. Recoupment".encode())
                        for n in range(1, 40))
    return body + f"\n\nSchedule {i}.".encode()


def _env(settings, chroma_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(CLAUSEWISE_DATA_DIR=str(settings.data_dir), CLAUSEWISE_CHROMA_URL=chroma_url,
               CLAUSEWISE_EMBEDDING_MODEL_DIR=str(settings.model_dir),
               CLAUSEWISE_JOB_LEASE_S="4", CLAUSEWISE_WORKERS="0")
    return env


def _start(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "service", *args], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _api(env: dict[str, str], port: int) -> subprocess.Popen:
    proc = _start(["serve", "--port", str(port), "--workers", "0"], env)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("API did not start")


def _wait(url: str, pred, timeout: float = 240) -> list[dict]:
    deadline = time.time() + timeout
    while time.time() < deadline:
        items = httpx.get(f"{url}/v1/contracts?limit=200", timeout=10).json()["items"]
        if pred(items):
            return items
        time.sleep(0.5)
    raise AssertionError(f"timed out; last: {[(i['id'], i['status']) for i in items]}")


@pytest.mark.server
@pytest.mark.slow
def test_kill_9_worker_and_api_lose_nothing_and_duplicate_nothing(settings, chroma_url):
    """API and worker are separate processes sharing a real Chroma server, as in production."""
    env, port = _env(settings, chroma_url), free_port()
    url = f"http://127.0.0.1:{port}"
    api = _api(env, port)
    worker = _start(["worker"], env)
    try:
        ids = [httpx.post(f"{url}/v1/contracts", files={"file": (f"c{i}.txt", _contract(i))},
                          timeout=60).json()["id"] for i in range(3)]
        _wait(url, lambda items: any(i["status"] == "running" for i in items))
        worker.send_signal(signal.SIGKILL)  # mid-review
        worker.wait()
        r = httpx.post(f"{url}/v1/contracts", files={"file": ("late.txt", _contract(9))},
                       timeout=60)
        assert r.status_code == 202
        ids.append(r.json()["id"])
        api.send_signal(signal.SIGKILL)  # right after a 202
        api.wait()
        api = _api(env, port)
        worker = _start(["worker"], env)
        items = _wait(url, lambda items: len(items) == 4 and all(i["status"] in TERMINAL
                                                                 for i in items))
        assert {i["id"] for i in items} == set(ids)
        assert all(i["status"] == "done" for i in items), items
        assert max(i["attempt"] for i in items) >= 2  # the killed review was retried
        for cid in ids:
            result = httpx.get(f"{url}/v1/contracts/{cid}/report.json", timeout=60).json()
            keys = [(f["clause_id"], f["start"], f["end"]) for f in result["findings"]]
            assert len(keys) == len(set(keys)), "duplicated findings"
            assert result["findings"], "review produced findings"
        print(json.dumps({"kill9_runs": 2, "jobs": len(ids), "recovered": len(items),
                          "duplicate_findings": 0}))
    finally:
        for p in (api, worker):
            if p.poll() is None:
                p.kill()
