"""`clausewise eval cuad` writes predictions and metrics; K-fold CV trains only on held-in folds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.cli import main
from service.detect.corpus import load_corpus
from service.detect.crossval import cross_validate, fold_of
from service.detect.model import ARTIFACTS_DIR
from service.evaluation.cuad import cuad_metrics, gold_texts


def test_cross_validation_on_tiny_corpus_scores_well(tiny_cuad: Path) -> None:
    corpus = load_corpus(tiny_cuad)
    preds = cross_validate(corpus, None, 2)
    assert set(preds) == {c.id for c in corpus.contracts}
    assert cuad_metrics(preds, gold_texts(corpus))["aupr"] > 0.8


def test_folds_are_a_partition() -> None:
    folds = fold_of(408, 5)
    assert sorted(set(folds.tolist())) == [0, 1, 2, 3, 4]
    assert max(list(folds).count(f) for f in range(5)) - min(list(folds).count(f) for f in range(5)) <= 1


@pytest.mark.skipif(not (ARTIFACTS_DIR / "manifest.json").exists(), reason="no shipped artefacts")
def test_eval_cuad_cli_with_shipped_artefacts(tiny_cuad: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "cuad", "--data", str(tiny_cuad), "--limit", "4", "--out", str(tmp_path)]) == 0
    preds = json.loads((tmp_path / "cuad_predictions.json").read_text())
    metrics = json.loads((tmp_path / "cuad_metrics.json").read_text())
    assert len(preds) == 4
    first = next(iter(preds.values()))["Governing Law"][0]
    text = (tiny_cuad / "contracts" / f"{next(iter(preds))}.txt").read_text()
    assert text[first["start"]:first["end"]] == first["text"]
    assert metrics["per_category"]["Governing Law"]["aupr"] > 0.5
    assert "AUPR" in capsys.readouterr().out
