"""Clause library, health, readiness and Prometheus metrics."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse

from service.api.deps import SettingsDep, StoreDep, TenantDep
from service.api.schemas import ErrorBody, Health
from service.errors import NotFound
from service.library import get_library

router = APIRouter()


@router.get("/v1/clause-library", tags=["clause library"],
            responses={401: {"model": ErrorBody}, 429: {"model": ErrorBody}})
def clause_library(tenant: TenantDep, settings: SettingsDep) -> dict[str, Any]:
    """Every entry (summary) with the library version."""
    lib = get_library(settings.library_dir)
    return {"version": lib.version, "entries": [
        {"id": e.id, "title": e.title, "kind": e.kind, "packs": list(e.packs),
         "category": e.category, "severity": e.severity.default, "cuad_category": e.cuad_category}
        for e in sorted(lib.entries.values(), key=lambda e: e.id)]}


@router.get("/v1/clause-library/{clause_id}", tags=["clause library"],
            responses={401: {"model": ErrorBody}, 404: {"model": ErrorBody},
                       429: {"model": ErrorBody}})
def clause_entry(clause_id: str, tenant: TenantDep, settings: SettingsDep) -> dict[str, Any]:
    """One full entry: detection knowledge, risk signals, fallback ladder, references."""
    lib = get_library(settings.library_dir)
    if clause_id not in lib.entries:
        raise NotFound(f"no clause library entry {clause_id!r}")
    return lib.entries[clause_id].model_dump()


@router.get("/healthz", response_model=Health, tags=["operations"])
def healthz() -> Health:
    """Liveness: the process answers."""
    return Health(status="ok")


@router.get("/readyz", response_model=Health, tags=["operations"],
            responses={503: {"model": Health}})
def readyz(request: Request, store: StoreDep) -> Any:
    """Readiness: the job store and the vector store answer."""
    checks: dict[str, str] = {}
    try:
        store.ping()
        checks["job_store"] = "ok"
    except Exception as exc:  # report, don't crash: readiness is about failures
        checks["job_store"] = f"error: {type(exc).__name__}"
    try:
        request.app.state.components.index.heartbeat()
        checks["vector_store"] = "ok"
    except Exception as exc:
        checks["vector_store"] = f"error: {type(exc).__name__}"
    ok = all(v == "ok" for v in checks.values())
    body = Health(status="ok" if ok else "unavailable", checks=checks).model_dump()
    return JSONResponse(body, status_code=200 if ok else 503)


def _quantile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


_JSON_ERROR = {"description": "error", "content": {"application/json": {
    "schema": {"$ref": "#/components/schemas/ErrorBody"}}}}


@router.get("/metrics", response_class=PlainTextResponse, tags=["operations"],
            responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}},
                       401: _JSON_ERROR, 429: _JSON_ERROR})
def metrics(request: Request, store: StoreDep, tenant: TenantDep) -> PlainTextResponse:
    """Prometheus text format; job figures come from the shared store (all processes)."""
    lines = ["# HELP clausewise_jobs Review jobs by status", "# TYPE clausewise_jobs gauge"]
    counts = store.counts()
    for status in ("queued", "running", "done", "partial", "failed"):
        lines.append(f'clausewise_jobs{{status="{status}"}} {counts.get(status, 0)}')
    rows = store.metrics_rows()
    durations = [r["finished_at"] - r["started_at"] for r in rows
                 if r["started_at"] and r["status"] in ("done", "partial")]
    lines += ["# HELP clausewise_review_seconds Review latency (start to finish)",
              "# TYPE clausewise_review_seconds summary"]
    for q in (0.5, 0.95, 0.99):
        lines.append(f'clausewise_review_seconds{{quantile="{q}"}} {_quantile(durations, q):.3f}')
    lines += [f"clausewise_review_seconds_sum {sum(durations):.3f}",
              f"clausewise_review_seconds_count {len(durations)}"]
    for name, col in (("llm_calls", "llm_calls"), ("llm_prompt_tokens", "prompt_tokens"),
                      ("llm_completion_tokens", "completion_tokens")):
        lines += [f"# TYPE clausewise_{name}_total counter",
                  f"clausewise_{name}_total {sum(int(r[col] or 0) for r in rows)}"]
    lines += ["# HELP clausewise_errors_total Failed jobs and API errors by code",
              "# TYPE clausewise_errors_total counter"]
    failed: dict[str, int] = {}
    for r in rows:
        if r["status"] == "failed":
            failed[r["error_code"] or "unknown"] = failed.get(r["error_code"] or "unknown", 0) + 1
    for code, n in sorted(failed.items()):
        lines.append(f'clausewise_errors_total{{source="job",code="{code}"}} {n}')
    for code, n in sorted(request.app.state.api_errors.items()):
        lines.append(f'clausewise_errors_total{{source="api",code="{code}"}} {n}')
    return PlainTextResponse("\n".join(lines) + "\n",
                             media_type="text/plain; version=0.0.4; charset=utf-8")
