"""Fixtures for reviewer tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def llm_settings(settings):
    return settings.model_copy(update={"llm_base_url": "http://llm.test/v1", "llm_api_key": "k",
                                       "llm_model": "test-model", "llm_max_retries": 2,
                                       "llm_timeout_s": 5.0, "backend": "llm"})
