"""API request/response models (documented in the OpenAPI spec)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from service.jobs.queue import Job, Status


class ErrorBody(BaseModel):
    code: str = Field(examples=["not_found"])
    message: str


class ContractAccepted(BaseModel):
    id: str
    status: Status
    status_url: str
    report_url: str
    replayed: bool = Field(False, description="true when an Idempotency-Key matched a prior upload")


class ContractStatus(BaseModel):
    id: str
    filename: str
    status: Status
    progress: float
    stage: str | None
    attempt: int
    contract_type: str
    backend: str | None
    pages: int | None
    created_at: float
    updated_at: float
    finished_at: float | None
    error: ErrorBody | None = None
    report_urls: dict[str, str] | None = None
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @classmethod
    def of(cls, job: Job, base: str = "/v1/contracts") -> ContractStatus:
        done = job.status in ("done", "partial")
        error = (ErrorBody(code=job.error_code, message=job.error_message or "")
                 if job.error_code and job.status in ("failed", "queued") else None)
        return cls(
            id=job.id, filename=job.filename, status=job.status, progress=job.progress,
            stage=job.stage, attempt=job.attempt, contract_type=job.contract_type,
            backend=job.backend, pages=job.pages, created_at=job.created_at,
            updated_at=job.updated_at, finished_at=job.finished_at, error=error,
            report_urls={f: f"{base}/{job.id}/report.{f}" for f in ("json", "html", "docx", "md")}
            if done else None,
            llm_calls=job.llm_calls, prompt_tokens=job.prompt_tokens,
            completion_tokens=job.completion_tokens)


class ContractList(BaseModel):
    items: list[ContractStatus]
    total: int
    limit: int
    offset: int


class Health(BaseModel):
    status: str
    checks: dict[str, str] = Field(default_factory=dict)
