"""Payer train-split cross-validation: folds over train contracts only, real pipeline, metrics."""

from __future__ import annotations

import json
from pathlib import Path

from service.evaluation.payer_cv import payer_cross_validate

SENTENCE = "Plan may recover any overpayment by offsetting it against future payments to Provider."
FILLER = "Provider shall keep its office open during normal business hours. "


def _payer_corpus(root: Path) -> Path:
    (root / "contracts").mkdir(parents=True)
    labels, manifest = [], []
    for cid, split in [("tr01_a", "train"), ("tr02_b", "train"), ("te01_c", "test")]:
        text = FILLER * 3 + "\n\n7.2 Overpayments. " + SENTENCE + "\n\n" + FILLER * 2
        start = text.index(SENTENCE)
        (root / "contracts" / f"{cid}.txt").write_text(text, encoding="utf-8")
        labels.append({"contract_id": cid, "category": "recoupment_offset_clawback", "has_answer": True,
                       "gold_spans": [{"start": start, "end": start + len(SENTENCE), "text": SENTENCE}]})
        manifest.append({"contract_id": cid, "split": split, "contract_type": "payer"})
    (root / "labels.jsonl").write_text("\n".join(map(json.dumps, labels)), encoding="utf-8")
    (root / "manifest.jsonl").write_text("\n".join(map(json.dumps, manifest)), encoding="utf-8")
    (root / "categories.json").write_text(json.dumps([{"category": "recoupment_offset_clawback"}]),
                                          encoding="utf-8")
    return root


def test_cv_reviews_train_contracts_only(tmp_path: Path, tiny_cuad: Path, settings) -> None:
    result = payer_cross_validate(tiny_cuad, _payer_corpus(tmp_path / "payer"), settings,
                                  cuad_heads=False, cache=tmp_path / "cache.pkl")
    assert result["folds"] == 2
    assert result["contracts"] == ["tr01_a", "tr02_b"]  # the test split is never loaded
    assert {p["contract_id"] for p in result["predictions"]} <= {"tr01_a", "tr02_b"}
    overall = result["metrics"]["overall"]
    assert overall["gold"] == 2
    assert 0.0 <= overall["recall"] <= 1.0
    assert (tmp_path / "cache.pkl").is_file()
    sweep = result["metrics"]["sweep"]
    assert [s["threshold"] for s in sweep] == sorted(s["threshold"] for s in sweep)
    recalls = [s["recall"] for s in sweep]
    assert recalls == sorted(recalls, reverse=True)  # a higher threshold never finds more
