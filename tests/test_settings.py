"""Settings from the environment, and the per-entry reporting threshold."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from service.settings import Settings


def test_empty_variables_mean_not_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAUSEWISE_LIBRARY_DIR", "")
    monkeypatch.setenv("CLAUSEWISE_MIN_SCORE_HIGH", "")
    s = Settings()
    assert s.library_dir == Settings.model_fields["library_dir"].get_default(call_default_factory=True)
    assert s.min_score_high == Settings.model_fields["min_score_high"].default


def _entry(kind: str, severity: str) -> SimpleNamespace:
    return SimpleNamespace(kind=kind, severity=SimpleNamespace(default=severity))


def test_threshold_for_each_kind_and_severity() -> None:
    s = Settings(min_score=0.4, min_score_high=0.3, key_term_min_score=0.5)
    assert s.threshold_for(_entry("risk", "high")) == 0.3
    assert s.threshold_for(_entry("risk", "medium")) == 0.4
    assert s.threshold_for(_entry("key_term", "high")) == 0.5
    assert Settings(min_score=0.4, min_score_high=None).threshold_for(_entry("risk", "high")) == 0.4
