"""FastAPI app factory: settings in, app out (no import-time state)."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from service import __version__
from service.api import routes_contracts, routes_meta, routes_web
from service.api.errors import install_error_handlers
from service.api.limits import BodyLimitMiddleware, RateLimiter
from service.jobs.sqlite_store import SQLiteJobStore
from service.jobs.storage import ContractStorage
from service.jobs.worker import Worker, open_store
from service.review.components import Components
from service.settings import Settings

MULTIPART_SLACK = 64 * 1024  # multipart framing around the file itself
DESCRIPTION = """Upload payer, employment, vendor and lease contracts; get flagged clauses with
verbatim quotes, risk grades and redlines. Authenticate with `Authorization: Bearer <key>`
(keys from `clausewise keys create TENANT`). Errors are JSON `{code, message}`."""


def create_app(settings: Settings, *, store: SQLiteJobStore | None = None,
               components: Components | None = None, worker_threads: int = 0) -> FastAPI:
    """Build the API; `worker_threads` > 0 also runs review workers inside this process."""
    stop = threading.Event()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        threads = []
        for i in range(worker_threads):
            w = Worker(settings, store=app.state.store, components=app.state.components,
                       name=f"inproc-{i}")
            t = threading.Thread(target=w.run_forever, args=(stop,), daemon=True)
            t.start()
            threads.append(t)
        yield
        stop.set()
        for t in threads:
            t.join(timeout=30)

    app = FastAPI(title="Clausewise", version=__version__, description=DESCRIPTION,
                  lifespan=lifespan)
    app.state.settings = settings
    app.state.store = store or open_store(settings)
    app.state.storage = ContractStorage(settings.data_dir / "contracts")
    app.state.components = components or Components.from_settings(settings)
    app.state.limiter = RateLimiter(settings.tenant_rate_per_minute)
    app.state.api_errors = {}
    install_error_handlers(app)
    app.include_router(routes_contracts.router)
    app.include_router(routes_meta.router)
    app.include_router(routes_web.router)
    app.add_middleware(BodyLimitMiddleware, limit=settings.max_upload_bytes + MULTIPART_SLACK)
    return app
