"""SQLite (WAL) implementation of the job queue and the API-key store; safe across processes."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from service.jobs.queue import Job, Status

SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY, tenant TEXT NOT NULL, filename TEXT NOT NULL, media_type TEXT NOT NULL,
  sha256 TEXT NOT NULL, contract_type TEXT NOT NULL, backend TEXT, status TEXT NOT NULL,
  progress REAL NOT NULL DEFAULT 0, stage TEXT, attempt INTEGER NOT NULL DEFAULT 0,
  error_code TEXT, error_message TEXT, created_at REAL NOT NULL, updated_at REAL NOT NULL,
  started_at REAL, finished_at REAL, lease_until REAL, not_before REAL NOT NULL DEFAULT 0,
  idempotency_key TEXT, pages INTEGER, llm_calls INTEGER NOT NULL DEFAULT 0,
  prompt_tokens INTEGER NOT NULL DEFAULT 0, completion_tokens INTEGER NOT NULL DEFAULT 0,
  worker TEXT, result TEXT,
  UNIQUE (tenant, idempotency_key)
);
CREATE INDEX IF NOT EXISTS jobs_claim ON jobs (status, not_before, created_at);
CREATE INDEX IF NOT EXISTS jobs_tenant ON jobs (tenant, created_at);
CREATE TABLE IF NOT EXISTS api_keys (
  key_hash TEXT PRIMARY KEY, tenant TEXT NOT NULL, created_at REAL NOT NULL
);
"""
FIELDS = tuple(Job.model_fields)


class SQLiteJobStore:
    """Jobs and API keys in one SQLite file; every call opens its own short connection."""

    def __init__(self, path: Path, *, max_attempts: int = 3, tenant_cap: int = 1_000_000):
        self.path = Path(path)
        self.max_attempts = max_attempts
        self.tenant_cap = tenant_cap  # jobs of one tenant running at once
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = self._connect()
        try:
            db.executescript(SCHEMA)
        finally:
            db.close()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")  # a 202 means the job survives power loss
        db.execute("PRAGMA busy_timeout=30000")
        db.row_factory = sqlite3.Row
        return db

    @contextmanager
    def _tx(self, *, write: bool = True) -> Iterator[sqlite3.Connection]:
        """A transaction; writers take the lock up front, readers (WAL) never wait on it."""
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield db
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        finally:
            db.close()

    @staticmethod
    def _job(row: sqlite3.Row | None) -> Job | None:
        return None if row is None else Job(**{k: row[k] for k in FIELDS})

    # ---------------------------------------------------------------- API side
    def submit(self, job: Job) -> Job:
        """Insert a queued job (committed durably before returning)."""
        data = job.model_dump()
        cols = ", ".join(FIELDS)
        marks = ", ".join(f":{f}" for f in FIELDS)
        with self._tx() as db:
            db.execute(f"INSERT INTO jobs ({cols}) VALUES ({marks})", data)
        return job

    def find_idempotent(self, tenant: str, key: str) -> Job | None:
        with self._tx(write=False) as db:
            row = db.execute("SELECT * FROM jobs WHERE tenant=? AND idempotency_key=?",
                             (tenant, key)).fetchone()
        return self._job(row)

    def get(self, tenant: str, job_id: str) -> Job | None:
        with self._tx(write=False) as db:
            row = db.execute("SELECT * FROM jobs WHERE tenant=? AND id=?",
                             (tenant, job_id)).fetchone()
        return self._job(row)

    def list_jobs(self, tenant: str, *, limit: int, offset: int) -> tuple[list[Job], int]:
        with self._tx(write=False) as db:
            total = db.execute("SELECT COUNT(*) FROM jobs WHERE tenant=?", (tenant,)).fetchone()[0]
            rows = db.execute("SELECT * FROM jobs WHERE tenant=? ORDER BY created_at DESC, id "
                              "LIMIT ? OFFSET ?", (tenant, limit, offset)).fetchall()
        return [j for j in map(self._job, rows) if j is not None], int(total)

    def active_count(self, tenant: str) -> int:
        with self._tx(write=False) as db:
            return int(db.execute("SELECT COUNT(*) FROM jobs WHERE tenant=? AND status IN "
                                  "('queued','running')", (tenant,)).fetchone()[0])

    def result(self, tenant: str, job_id: str) -> str | None:
        with self._tx(write=False) as db:
            row = db.execute("SELECT result FROM jobs WHERE tenant=? AND id=?",
                             (tenant, job_id)).fetchone()
        return None if row is None else row["result"]

    def delete(self, tenant: str, job_id: str) -> bool:
        with self._tx() as db:
            return db.execute("DELETE FROM jobs WHERE tenant=? AND id=?",
                              (tenant, job_id)).rowcount == 1

    def others_with_sha(self, tenant: str, sha256: str, job_id: str) -> int:
        """Other contracts of the tenant with the same file (they share index entries)."""
        with self._tx(write=False) as db:
            return int(db.execute("SELECT COUNT(*) FROM jobs WHERE tenant=? AND sha256=? AND "
                                  "id<>?", (tenant, sha256, job_id)).fetchone()[0])

    # ---------------------------------------------------------------- worker side
    def claim(self, worker: str, lease_s: float) -> Job | None:
        """Atomically take the oldest runnable job (queued, or running with an expired lease)."""
        now = time.time()
        with self._tx() as db:
            self._expire(db, now)
            row = db.execute(
                "SELECT id FROM jobs j WHERE status='queued' AND not_before<=? AND "
                "(SELECT COUNT(*) FROM jobs r WHERE r.tenant=j.tenant AND r.status='running') < ? "
                "ORDER BY created_at LIMIT 1", (now, self.tenant_cap)).fetchone()
            if row is None:
                return None
            db.execute("UPDATE jobs SET status='running', attempt=attempt+1, worker=?, "
                       "lease_until=?, started_at=COALESCE(started_at, ?), updated_at=? "
                       "WHERE id=?", (worker, now + lease_s, now, now, row["id"]))
            return self._job(db.execute("SELECT * FROM jobs WHERE id=?", (row["id"],)).fetchone())

    def heartbeat(self, job_id: str, attempt: int, progress: float, stage: str,
                  lease_s: float) -> bool:
        """Checkpoint progress and extend the lease; False if this attempt lost the job."""
        now = time.time()
        with self._tx() as db:
            return db.execute("UPDATE jobs SET progress=?, stage=?, lease_until=?, updated_at=? "
                              "WHERE id=? AND attempt=? AND status='running'",
                              (progress, stage, now + lease_s, now, job_id, attempt)).rowcount == 1

    def complete(self, job_id: str, attempt: int, status: Status, result_json: str | None,
                 stats: dict[str, int]) -> bool:
        """Store the result; refused (False) when a newer attempt owns the job."""
        now = time.time()
        with self._tx() as db:
            return db.execute(
                "UPDATE jobs SET status=?, result=?, progress=1, stage='done', finished_at=?, "
                "updated_at=?, lease_until=NULL, pages=?, llm_calls=?, prompt_tokens=?, "
                "completion_tokens=?, error_code=NULL, error_message=NULL "
                "WHERE id=? AND attempt=? AND status='running'",
                (status, result_json, now, now, stats.get("pages"), stats.get("llm_calls", 0),
                 stats.get("prompt_tokens", 0), stats.get("completion_tokens", 0), job_id,
                 attempt)).rowcount == 1

    def fail(self, job_id: str, attempt: int, code: str, message: str, *,
             retry_in: float | None) -> bool:
        """Requeue after `retry_in` seconds (if attempts remain) or fail for good."""
        now = time.time()
        with self._tx() as db:
            if retry_in is not None and attempt < self.max_attempts:
                sql = ("UPDATE jobs SET status='queued', not_before=?, lease_until=NULL, "
                       "error_code=?, error_message=?, updated_at=? "
                       "WHERE id=? AND attempt=? AND status='running'")
                args: tuple = (now + retry_in, code, message, now, job_id, attempt)
            else:
                sql = ("UPDATE jobs SET status='failed', finished_at=?, lease_until=NULL, "
                       "error_code=?, error_message=?, updated_at=? "
                       "WHERE id=? AND attempt=? AND status='running'")
                args = (now, code, message, now, job_id, attempt)
            return db.execute(sql, args).rowcount == 1

    def _expire(self, db: sqlite3.Connection, now: float) -> int:
        """Expired leases: requeue, or fail when attempts are exhausted."""
        n = db.execute("UPDATE jobs SET status='failed', finished_at=?, lease_until=NULL, "
                       "error_code='attempts_exhausted', error_message='the review was "
                       "interrupted too many times', updated_at=? WHERE status='running' AND "
                       "lease_until<? AND attempt>=?",
                       (now, now, now, self.max_attempts)).rowcount
        n += db.execute("UPDATE jobs SET status='queued', lease_until=NULL, updated_at=? "
                        "WHERE status='running' AND lease_until<?", (now, now)).rowcount
        return n

    def recover_expired(self) -> int:
        """Reaper / start-up recovery; returns how many jobs were touched."""
        with self._tx() as db:
            return self._expire(db, time.time())

    def counts(self) -> dict[str, int]:
        with self._tx(write=False) as db:
            rows = db.execute("SELECT status, COUNT(*) AS n FROM jobs GROUP BY status").fetchall()
        return {r["status"]: int(r["n"]) for r in rows}

    def metrics_rows(self) -> list[sqlite3.Row]:
        """Finished jobs' timing and cost (for /metrics, across all processes)."""
        with self._tx(write=False) as db:
            return db.execute("SELECT status, error_code, started_at, finished_at, llm_calls, "
                              "prompt_tokens, completion_tokens FROM jobs WHERE finished_at "
                              "IS NOT NULL").fetchall()

    def ping(self) -> None:
        with self._tx(write=False) as db:
            db.execute("SELECT 1").fetchone()

    # ---------------------------------------------------------------- API keys
    def add_key(self, key_hash: str, tenant: str) -> None:
        with self._tx() as db:
            db.execute("INSERT INTO api_keys (key_hash, tenant, created_at) VALUES (?,?,?)",
                       (key_hash, tenant, time.time()))

    def tenant_for(self, key_hash: str) -> str | None:
        with self._tx(write=False) as db:
            row = db.execute("SELECT tenant FROM api_keys WHERE key_hash=?",
                             (key_hash,)).fetchone()
        return None if row is None else str(row["tenant"])

    def key_count(self) -> int:
        with self._tx(write=False) as db:
            return int(db.execute("SELECT COUNT(*) FROM api_keys").fetchone()[0])
