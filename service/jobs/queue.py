"""The job queue interface: what the API and workers need, nothing about SQLite.

A multi-machine deployment implements this protocol on a distributed queue/database; the API
and workers only ever talk to it (and to a shared vector store server), never to local state.
"""

from __future__ import annotations

from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict

Status = Literal["queued", "running", "done", "partial", "failed"]
TERMINAL: tuple[str, ...] = ("done", "partial", "failed")


class Job(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    tenant: str
    filename: str
    media_type: str
    sha256: str
    contract_type: str = "auto"
    backend: str | None = None
    status: Status = "queued"
    progress: float = 0.0
    stage: str | None = None
    attempt: int = 0
    error_code: str | None = None
    error_message: str | None = None
    created_at: float
    updated_at: float
    started_at: float | None = None
    finished_at: float | None = None
    lease_until: float | None = None
    not_before: float = 0.0
    idempotency_key: str | None = None
    pages: int | None = None
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0


class JobQueue(Protocol):
    """Everything the API and the workers do with jobs."""

    def submit(self, job: Job) -> Job: ...
    def find_idempotent(self, tenant: str, key: str) -> Job | None: ...
    def get(self, tenant: str, job_id: str) -> Job | None: ...
    def list_jobs(self, tenant: str, *, limit: int, offset: int) -> tuple[list[Job], int]: ...
    def active_count(self, tenant: str) -> int: ...
    def claim(self, worker: str, lease_s: float) -> Job | None: ...
    def heartbeat(self, job_id: str, attempt: int, progress: float, stage: str,
                  lease_s: float) -> bool: ...
    def complete(self, job_id: str, attempt: int, status: Status, result_json: str | None,
                 stats: dict[str, int]) -> bool: ...
    def fail(self, job_id: str, attempt: int, code: str, message: str, *,
             retry_in: float | None) -> bool: ...
    def result(self, tenant: str, job_id: str) -> str | None: ...
    def delete(self, tenant: str, job_id: str) -> bool: ...
    def recover_expired(self) -> int: ...
    def counts(self) -> dict[str, int]: ...
    def ping(self) -> None: ...
