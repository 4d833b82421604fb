"""Payer train-split cross-validation: folds over train contracts only, real pipeline, metrics."""

from __future__ import annotations

import json
from pathlib import Path

from service.evaluation.payer_cv import choose_thresholds, payer_cross_validate

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
    single = [s for s in result["metrics"]["sweep"] if s["high"] == s["other"]]
    assert [s["other"] for s in single] == sorted(s["other"] for s in single)
    recalls = [s["recall"] for s in single]
    assert recalls == sorted(recalls, reverse=True)  # a higher threshold never finds more
    assert all(s["high"] <= s["other"] for s in result["metrics"]["sweep"])
    # The same folds are also measured without the reranker (a toy corpus is too small to train
    # one, so here both measurements agree).
    assert result["metrics"]["heads_alone"]["overall"]["gold"] == 2
    assert result["metrics"]["heads_alone"]["overall"]["recall"] == overall["recall"]


def _row(high: float, other: float, r: float, p: float, hs: float) -> dict:
    return {"high": high, "other": other, "recall": r, "precision": p, "high_severity_recall": hs}


def test_rule_takes_the_lowest_single_threshold_that_keeps_precision() -> None:
    sweep = [_row(0.3, 0.3, 0.80, 0.70, 0.75), _row(0.4, 0.4, 0.77, 0.73, 0.74),
             _row(0.5, 0.5, 0.72, 0.79, 0.70)]
    chosen = choose_thresholds(sweep, floor=0.72)
    assert (chosen["min_score"], chosen["min_score_high"]) == (0.4, None)
    assert choose_thresholds(sweep, floor=0.9) is None


def test_rule_lowers_the_high_severity_threshold_only_when_nothing_else_gets_worse() -> None:
    single = [_row(0.3, 0.3, 0.80, 0.70, 0.78), _row(0.4, 0.4, 0.77, 0.73, 0.74)]
    # more high-severity recall, but overall recall falls: rejected
    worse = choose_thresholds([*single, _row(0.3, 0.5, 0.76, 0.74, 0.78)], floor=0.72)
    assert worse["min_score_high"] is None
    # more high-severity recall, recall and precision held: adopted
    split = choose_thresholds([*single, _row(0.35, 0.45, 0.775, 0.731, 0.77)], floor=0.72)
    assert (split["min_score"], split["min_score_high"]) == (0.45, 0.35)
