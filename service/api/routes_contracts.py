"""/v1/contracts: upload, list, status, report (negotiated), delete."""

from __future__ import annotations

import re
import secrets
import sqlite3
import time
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Header, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from service.api.deps import SettingsDep, StorageDep, StoreDep, TenantDep
from service.api.schemas import ContractAccepted, ContractList, ContractStatus, ErrorBody
from service.errors import ClausewiseError, InputError, NotFound, RateLimited, TooLarge
from service.jobs.queue import Job

router = APIRouter(prefix="/v1/contracts", tags=["contracts"])
BASE = "/v1/contracts"
ReportFormat = Literal["json", "html", "docx", "md"]
MEDIA = {"json": "application/json", "html": "text/html; charset=utf-8",
         "md": "text/markdown; charset=utf-8",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
ACCEPT = {"application/json": "json", "text/html": "html", "text/markdown": "md",
          MEDIA["docx"]: "docx"}


def _errors(*codes: int) -> dict:
    return {c: {"model": ErrorBody} for c in (401, 429, *codes)}


def clean_filename(name: str | None) -> str:
    """A display-safe base name (the original is untrusted)."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r"[\x00-\x1f\x7f]", "", base).strip()
    return base[:200] or "upload"


def _accepted(job: Job, replayed: bool) -> JSONResponse:
    body = ContractAccepted(id=job.id, status=job.status, status_url=f"{BASE}/{job.id}",
                            report_url=f"{BASE}/{job.id}/report", replayed=replayed)
    return JSONResponse(body.model_dump(), status_code=202,
                        headers={"Location": f"{BASE}/{job.id}"})


@router.post("", status_code=202, response_model=ContractAccepted,
             responses=_errors(400, 404, 413, 415, 422))
async def upload_contract(
    tenant: TenantDep, settings: SettingsDep, store: StoreDep, storage: StorageDep,
    file: Annotated[UploadFile, File(description="PDF, DOCX or UTF-8 text")],
    contract_type: Annotated[Literal["auto", "payer", "employment", "vendor", "lease",
                                     "commercial"], Form()] = "auto",
    backend: Annotated[Literal["offline", "llm"] | None, Form()] = None,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> JSONResponse:
    """Store the file and queue its review; 202 only once both are durable."""
    if idempotency_key and (prior := store.find_idempotent(tenant, idempotency_key)):
        return _accepted(prior, replayed=True)
    if backend == "llm" and not settings.llm_configured:
        raise InputError("the llm backend is not configured on this server",
                         code="backend_unavailable")
    if store.active_count(tenant) >= settings.tenant_max_queued:
        raise RateLimited("too many contracts waiting for review; try again later",
                          retry_after=30)
    data = await file.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise TooLarge(f"upload exceeds the limit of {settings.max_upload_bytes} bytes")
    filename = clean_filename(file.filename)
    from service.ingest import ingest_bytes

    doc = await run_in_threadpool(ingest_bytes, data, filename, settings)
    job_id = secrets.token_hex(12)
    await run_in_threadpool(storage.save, tenant, job_id, data, doc)
    now = time.time()
    job = Job(id=job_id, tenant=tenant, filename=filename, media_type=doc.media_type,
              sha256=doc.sha256, contract_type=contract_type, backend=backend,
              created_at=now, updated_at=now, idempotency_key=idempotency_key,
              pages=doc.page_count)
    try:
        await run_in_threadpool(store.submit, job)
    except sqlite3.IntegrityError:  # the same Idempotency-Key raced us
        storage.delete(tenant, job_id)
        prior = store.find_idempotent(tenant, idempotency_key or "")
        if prior is None:
            raise
        return _accepted(prior, replayed=True)
    return _accepted(job, replayed=False)


@router.get("", response_model=ContractList, responses=_errors(422))
def list_contracts(tenant: TenantDep, store: StoreDep,
                   limit: Annotated[int, Query(ge=1, le=200)] = 50,
                   offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> ContractList:
    """The caller's own contracts, newest first."""
    jobs, total = store.list_jobs(tenant, limit=limit, offset=offset)
    return ContractList(items=[ContractStatus.of(j) for j in jobs], total=total, limit=limit,
                        offset=offset)


def _job(store: StoreDep, tenant: str, contract_id: str) -> Job:
    job = store.get(tenant, contract_id) if contract_id.isalnum() else None
    if job is None:
        raise NotFound(f"no contract {contract_id!r}")
    return job


@router.get("/{contract_id}", response_model=ContractStatus, responses=_errors(404))
def contract_status(contract_id: str, tenant: TenantDep, store: StoreDep) -> ContractStatus:
    """Status with progress; failed jobs carry an error code and message."""
    return ContractStatus.of(_job(store, tenant, contract_id))


def _render(fmt: str, contract_id: str, tenant: str, store: StoreDep, storage: StorageDep,
            settings: SettingsDep) -> Response:
    from service.records import ReviewResult
    from service.report import render
    from service.report.html import CONTENT_SECURITY_POLICY

    job = _job(store, tenant, contract_id)
    raw = store.result(tenant, contract_id)
    if job.status not in ("done", "partial") or raw is None:
        raise ClausewiseError(f"the review is {job.status}; no report yet", code="not_ready",
                              status=409)
    result = ReviewResult.model_validate_json(raw)
    headers = {"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"}
    if fmt == "html":
        headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    doc = source = None
    if fmt == "docx":
        doc, source = storage.document(tenant, contract_id), storage.source(tenant, contract_id)
        stem = re.sub(r"[^A-Za-z0-9._-]", "_", job.filename.rsplit(".", 1)[0])[:80] or "contract"
        headers["Content-Disposition"] = f'attachment; filename="{stem}-redline.docx"'
    data = render(result, fmt, doc=doc, source=source, settings=settings)
    return Response(data, media_type=MEDIA[fmt], headers=headers)


@router.get("/{contract_id}/report", responses={200: {"content": {m: {} for m in MEDIA.values()}},
                                                **_errors(404, 406, 409)})
def report_negotiated(contract_id: str, request: Request, tenant: TenantDep, store: StoreDep,
                      storage: StorageDep, settings: SettingsDep) -> Response:
    """The report in the format the Accept header asks for (JSON by default)."""
    accept = request.headers.get("accept", "application/json")
    fmt = next((f for mime, f in ACCEPT.items() if mime in accept), None)
    if fmt is None:
        if "*/*" not in accept and accept.strip():
            raise ClausewiseError(f"cannot produce {accept!r}; choose one of {list(ACCEPT)}",
                                  code="not_acceptable", status=406)
        fmt = "json"
    return _render(fmt, contract_id, tenant, store, storage, settings)


@router.get("/{contract_id}/report.{fmt}",
            responses={200: {"content": {m: {} for m in MEDIA.values()}}, **_errors(404, 409, 422)})
def report_file(contract_id: str, fmt: ReportFormat, tenant: TenantDep, store: StoreDep,
                storage: StorageDep, settings: SettingsDep) -> Response:
    """The report as .json, .html, .docx (tracked changes) or .md."""
    return _render(fmt, contract_id, tenant, store, storage, settings)


@router.delete("/{contract_id}", status_code=204, responses=_errors(404))
def delete_contract(contract_id: str, request: Request, tenant: TenantDep, store: StoreDep,
                    storage: StorageDep) -> Response:
    """Delete the file, its index entries and its reports for real."""
    job = _job(store, tenant, contract_id)
    store.delete(tenant, contract_id)
    storage.delete(tenant, contract_id)
    if store.others_with_sha(tenant, job.sha256, contract_id) == 0:
        request.app.state.components.index.delete_document(tenant, job.sha256)
    return Response(status_code=204)
