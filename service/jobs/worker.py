"""Review worker: claims jobs with a lease, checkpoints progress, stores results exactly once."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time

from service.errors import BackendError, ClausewiseError, InputError
from service.jobs.queue import Job, Status
from service.jobs.sqlite_store import SQLiteJobStore
from service.jobs.storage import ContractStorage
from service.review.components import Components
from service.settings import Settings

log = logging.getLogger("clausewise.worker")
HEARTBEAT_EVERY_S = 2.0


class LostLease(Exception):
    """Another attempt owns the job now (our lease expired); stop working on it."""


class DeadlineExceeded(ClausewiseError):
    code = "deadline_exceeded"
    status = 504


def open_store(settings: Settings) -> SQLiteJobStore:
    return SQLiteJobStore(settings.data_dir / "jobs.sqlite3", max_attempts=settings.job_max_attempts,
                          tenant_cap=settings.tenant_max_concurrent_jobs)


class Worker:
    """One worker loop; run several (threads or processes) against the same store."""

    def __init__(self, settings: Settings, store: SQLiteJobStore | None = None,
                 components: Components | None = None, name: str | None = None):
        self.settings = settings
        self.store = store or open_store(settings)
        self.storage = ContractStorage(settings.data_dir / "contracts")
        self.components = components or Components.from_settings(settings)
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"

    def run_forever(self, stop: threading.Event, idle_s: float = 0.5) -> None:
        """Claim and process jobs until `stop` is set."""
        self.store.recover_expired()
        while not stop.is_set():
            if not self.run_once():
                stop.wait(idle_s)

    def run_once(self) -> bool:
        """Process one job if there is one; True when a job was claimed."""
        job = self.store.claim(self.name, self.settings.job_lease_s)
        if job is None:
            return False
        self.process(job)
        return True

    def process(self, job: Job) -> None:
        from service.review.pipeline import ReviewOptions, review_document

        started = time.time()
        last = [0.0]

        def progress(stage: str, fraction: float) -> None:
            if time.time() - started > self.settings.job_deadline_s:
                raise DeadlineExceeded(f"the review took longer than {self.settings.job_deadline_s}s")
            if time.time() - last[0] >= HEARTBEAT_EVERY_S or fraction >= 0.9:
                last[0] = time.time()
                if not self.store.heartbeat(job.id, job.attempt, fraction, stage,
                                            self.settings.job_lease_s):
                    raise LostLease(job.id)

        try:
            doc = self.storage.document(job.tenant, job.id)
            progress("start", 0.01)
            options = ReviewOptions(contract_type=job.contract_type, backend=job.backend,
                                    tenant=job.tenant)
            result = review_document(doc, self.settings, options, components=self.components,
                                     progress=progress)
        except LostLease:
            log.warning("job %s attempt %s lost its lease; result discarded", job.id, job.attempt)
            return
        except (InputError, DeadlineExceeded) as exc:
            self.store.fail(job.id, job.attempt, exc.code, exc.message, retry_in=None)
            return
        except BackendError as exc:  # transient: endpoint down, 429s after client retries
            self.store.fail(job.id, job.attempt, exc.code, exc.message,
                            retry_in=min(300.0, 5.0 * 2 ** job.attempt))
            return
        except FileNotFoundError:
            self.store.fail(job.id, job.attempt, "not_found", "the contract was deleted",
                            retry_in=None)
            return
        except Exception as exc:  # unexpected: log with traceback, retry like a transient error
            log.exception("job %s attempt %s crashed", job.id, job.attempt)
            code = exc.code if isinstance(exc, ClausewiseError) else "internal_error"
            self.store.fail(job.id, job.attempt, code, f"review failed: {type(exc).__name__}",
                            retry_in=min(300.0, 5.0 * 2 ** job.attempt))
            return
        status: Status = "partial" if result.failed else "done"
        stats = {"pages": result.document.pages, "llm_calls": result.stats.llm_calls,
                 "prompt_tokens": result.stats.prompt_tokens,
                 "completion_tokens": result.stats.completion_tokens}
        if not self.store.complete(job.id, job.attempt, status, result.to_json(), stats):
            log.warning("job %s attempt %s is stale; its result was refused", job.id, job.attempt)
