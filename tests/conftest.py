"""Top-level fixtures: real settings in a temp data dir, the real clause library."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A prepared all-MiniLM-L6-v2 model dir, built once for the whole session (~2-5 s)."""
    from service.index.model_setup import prepare_model

    target = tmp_path_factory.mktemp("model") / "all-MiniLM-L6-v2"
    prepare_model(target)
    return target


@pytest.fixture
def settings(tmp_path: Path, model_dir: Path):
    """Settings over a fresh data dir and the session's model."""
    from service.settings import Settings

    return Settings(data_dir=tmp_path / "data", embedding_model_dir=model_dir)


@pytest.fixture(scope="session")
def library():
    from service.library import load_library

    return load_library(REPO / "clause_library")


def require_tool(binary: str) -> None:
    """Skip locally when a Debian tool is missing; in CI a missing tool is a failure."""
    import shutil

    if shutil.which(binary):
        return
    if os.environ.get("CI"):
        pytest.fail(f"{binary} is required in CI (scripts/system-deps.sh installs it)")
    pytest.skip(f"{binary} not installed (run scripts/system-deps.sh)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Chroma server process on a free local port, stopped after the session."""
    port = _free_port()
    chroma = Path(sys.executable).with_name("chroma")
    proc = subprocess.Popen(
        [str(chroma), "run", "--path", str(tmp_path_factory.mktemp("chroma-server")),
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass  # not listening yet
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"chroma server did not start (exit code {proc.poll()})")
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
