"""`clausewise train` end to end on tiny corpora: heads, the context reranker, the artefacts."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.detect.fit import train_and_save
from service.detect.model import Detector
from service.detect.rerank import RERANK_FILE
from service.settings import REPO_ROOT
from tests.detect.test_payer_cv import _payer_corpus


def test_train_writes_heads_and_a_reranker_from_unseen_train_contracts(
        tmp_path: Path, tiny_cuad: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import service.evaluation.payer_cv as payer_cv

    monkeypatch.setattr(payer_cv, "MIN_RERANK_ROWS", 1)  # a toy corpus has only a few rows
    seen: list[str] = []
    original = payer_cv.head_scores

    def spy(det, contracts, *args, **kwargs):  # type: ignore[no-untyped-def]
        contract_ids = [c.id for c in contracts]
        trained_on = set(det.manifest["trained_on"]["payer_ids"])
        assert not trained_on & set(contract_ids)
        seen.extend(contract_ids)
        return original(det, contracts, *args, **kwargs)

    monkeypatch.setattr(payer_cv, "head_scores", spy)
    out = tmp_path / "art"
    det = train_and_save(tiny_cuad, REPO_ROOT / "clause_library", out,
                         payer_dir=_payer_corpus(tmp_path / "payer"), rerank_folds=2)
    assert sorted(seen) == ["tr01_a", "tr02_b"]  # each train contract scored once, never te01
    assert det.reranker is not None and (out / RERANK_FILE).is_file()
    loaded = Detector.load(out)
    assert loaded.reranker is not None
    assert loaded.manifest["reranker"]["rows"] == det.reranker.info["rows"] > 0
    assert loaded.manifest["training_data"]["payer_train_contracts"] == ["tr01_a", "tr02_b"]


def test_train_without_rerank_folds_writes_no_reranker(tmp_path: Path, tiny_cuad: Path) -> None:
    out = tmp_path / "art"
    out.mkdir()
    (out / RERANK_FILE).write_bytes(b"stale")
    det = train_and_save(tiny_cuad, REPO_ROOT / "clause_library", out,
                         payer_dir=_payer_corpus(tmp_path / "payer"), rerank_folds=0)
    assert det.reranker is None and not (out / RERANK_FILE).exists()
