"""A real uvicorn server on 127.0.0.1 running the app (and optionally in-process workers)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
import uvicorn

from service.api.app import create_app
from service.api.keys import create_key
from service.jobs.worker import open_store
from service.settings import Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(settings: Settings, worker_threads: int = 0) -> Iterator[str]:
    port = free_port()
    app = create_app(settings, worker_threads=worker_threads)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started:
        if time.time() > deadline:
            raise RuntimeError("server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


@pytest.fixture
def api_settings(settings):
    return settings.model_copy(update={"max_upload_bytes": 200_000})


@pytest.fixture
def server(api_settings) -> Iterator[str]:
    with live_server(api_settings) as url:
        yield url


@pytest.fixture
def keys(api_settings) -> dict[str, str]:
    store = open_store(api_settings)
    return {"a": create_key(store, "clinic-a"), "b": create_key(store, "clinic-b")}


def client(url: str, key: str | None = None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return httpx.Client(base_url=url, headers=headers, timeout=60)
