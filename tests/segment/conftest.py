"""Factories for ingest tests: contract PDF generators from tests/fixtures."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))


@pytest.fixture
def ingest_settings(tmp_path: Path):
    """Settings with tight parsing limits so hostile-file tests stay fast."""
    from service.settings import Settings

    return Settings(data_dir=tmp_path, pdf_timeout_s=8, pdf_memory_mb=512, pdf_cpu_s=8)
