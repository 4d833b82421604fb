"""The benchmark table builder runs end to end on its smallest case (figures are not judged)."""

from __future__ import annotations

import pytest

from benchmarks.run import QUICK_LLM, Config, build
from benchmarks.table import render


@pytest.mark.slow
def test_quick_table_smallest_case(model_dir):
    cfg = Config(parse_pages=[10], parse_repeat=1, embed_chunks=8, embed_repeat=1,
                 review_pages=[10], review_runs=1, llm_contracts=QUICK_LLM,
                 service_ns=[2], service_pages=1, model_dir=model_dir)
    result = build(cfg)
    errors = {k: v["error"] for k, v in result.items() if isinstance(v, dict) and "error" in v}
    assert errors == {}
    assert result["review"][0]["repeat"]["embedded"] == 0  # the second review hits the cache
    svc = result["service"][0]
    assert (svc["accepted"], svc["completed"], svc["lost"]) == (2, 2, 0)
    assert set(result["llm"]["approaches"]) == {"product", "naive", "whole"}
    table = render(result)
    for figure in ("parse+segment 10p", "embed: product / raw", "review 10p p50",
                   "repeat review 10p", "llm naive", "api N=2"):
        assert figure in table
