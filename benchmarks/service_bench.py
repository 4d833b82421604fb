"""N concurrent uploads through the real HTTP API (uvicorn on 127.0.0.1, in-process workers).

Counts accepted (202) / completed / lost jobs, accept latency (upload -> 202) and jobs/minute
(completed jobs over the time from the first upload to the last job finishing).
"""

from __future__ import annotations

import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from benchmarks.contracts import contract_pdf
from benchmarks.review_bench import percentile
from service.settings import Settings
from tests.api.conftest import live_server  # the same real-uvicorn helper the API tests use

TERMINAL = ("done", "partial", "failed")
POLL_S = 2.0  # the list endpoint is polled (one request per poll) to stay under the rate limit


def _upload(url: str, key: str, name: str, data: bytes) -> tuple[int, float, str | None]:
    t0 = time.perf_counter()
    with httpx.Client(base_url=url, timeout=300) as c:
        r = c.post("/v1/contracts", headers={"Authorization": f"Bearer {key}"},
                   files={"file": (name, data, "application/pdf")})
    latency = time.perf_counter() - t0
    return r.status_code, latency, r.json().get("id") if r.status_code == 202 else None


def _wait(url: str, key: str, ids: set[str], deadline_s: float) -> dict[str, dict[str, Any]]:
    """Poll the list endpoint until every id is terminal (or the deadline passes)."""
    seen: dict[str, dict[str, Any]] = {}
    end = time.time() + deadline_s
    with httpx.Client(base_url=url, timeout=60, headers={"Authorization": f"Bearer {key}"}) as c:
        while time.time() < end:
            r = c.get("/v1/contracts", params={"limit": 200})
            if r.status_code == 200:
                seen = {j["id"]: j for j in r.json()["items"] if j["id"] in ids}
                if len(seen) == len(ids) and all(j["status"] in TERMINAL for j in seen.values()):
                    break
            time.sleep(POLL_S)
    return seen


def run(n: int, pages: int, model_dir: Path, worker_threads: int = 2,
        deadline_s: float = 1800) -> dict[str, Any]:
    """Upload n distinct `pages`-page PDFs at once; wait for all; report what happened."""
    from service.api.keys import create_key
    from service.jobs.worker import open_store

    files = [contract_pdf(pages, f"svc{n}-{i}") for i in range(n)]
    with tempfile.TemporaryDirectory(prefix="cw-svc-") as tmp:
        settings = Settings(data_dir=Path(tmp), embedding_model_dir=model_dir)
        key = create_key(open_store(settings), "bench")
        with live_server(settings, worker_threads) as url:
            t0 = time.time()
            with ThreadPoolExecutor(max_workers=n) as pool:
                ups = list(pool.map(lambda i: _upload(url, key, f"c{i}.pdf", files[i]), range(n)))
            ids = {u[2] for u in ups if u[2]}
            jobs = _wait(url, key, ids, deadline_s)
    finished = [j["finished_at"] for j in jobs.values() if j.get("finished_at")]
    done = [j for j in jobs.values() if j["status"] in ("done", "partial")]
    span = (max(finished) - t0) if finished else float("nan")
    lat = [u[1] for u in ups]
    return {"n": n, "pages": pages, "worker_threads": worker_threads,
            "accepted": sum(u[0] == 202 for u in ups),
            "statuses": sorted({u[0] for u in ups}),
            "completed": len(done), "failed": sum(j["status"] == "failed" for j in jobs.values()),
            "lost": len(ids) - len(jobs) + sum(j["status"] not in TERMINAL for j in jobs.values()),
            "accept_p50_s": round(percentile(lat, 0.5), 2),
            "accept_p95_s": round(percentile(lat, 0.95), 2),
            "all_done_s": round(span, 1),
            "jobs_per_min": round(len(done) / span * 60, 1) if finished else 0.0}
