"""Top-level fixtures: real settings in a temp data dir, the real clause library."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def settings(tmp_path: Path):
    """Settings pointing at a fresh data dir; model dir shared (built once per session)."""
    from service.settings import Settings

    return Settings(data_dir=tmp_path / "data", embedding_model_dir=_model_dir())


def _model_dir() -> Path:
    from service.settings import Settings

    return Settings().model_dir


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
