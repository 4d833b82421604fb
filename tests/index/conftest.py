"""Index fixtures. `model_dir` builds the real ONNX model once per session (~2-5 s)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from service.settings import Settings

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture
def make_settings(tmp_path: Path, model_dir: Path) -> Callable[..., Settings]:
    """Settings over a fresh data dir and the session model; keyword overrides allowed."""

    def build(**overrides: object) -> Settings:
        values: dict[str, object] = {"data_dir": tmp_path / "data", "embedding_model_dir": model_dir,
                                     "embedding_threads": 1}
        values.update(overrides)
        return Settings(**values)  # type: ignore[arg-type]

    return build
