"""Span-overlap metrics and gates on hand-computed cases."""

from __future__ import annotations

import pytest

from service.evaluation.corpus import GoldSpan
from service.evaluation.gates import check_gates
from service.evaluation.spans import Prediction, evaluate
from service.evaluation.suites import Gates

GOLD = {
    "c1": {"recoup": [GoldSpan(start=100, end=200, text="x")], "mfn": []},
    "c2": {"recoup": [GoldSpan(start=0, end=50, text="y")],
           "mfn": [GoldSpan(start=300, end=400, text="z")]},
}


def P(c, i, s, e, score):
    return Prediction(c, i, s, e, score)


def test_perfect_predictions():
    preds = [P("c1", "recoup", 150, 160, 0.9), P("c2", "recoup", 10, 20, 0.8),
             P("c2", "mfn", 390, 420, 0.7)]
    m = evaluate(preds, GOLD, 0.5, ["recoup", "mfn"])
    assert m["overall"]["recall"] == 1.0 and m["overall"]["precision"] == 1.0
    assert m["overall"]["aupr"] == pytest.approx(1.0)
    assert m["doc_recall"] == 1.0


def test_false_positive_ranked_first_halves_early_precision():
    # order: FP(0.95), TP(0.9), TP(0.8); 2 of 3 gold found
    preds = [P("c1", "mfn", 0, 10, 0.95), P("c1", "recoup", 100, 110, 0.9),
             P("c2", "recoup", 0, 5, 0.8)]
    m = evaluate(preds, GOLD, 0.5, ["recoup", "mfn"])
    o = m["overall"]
    assert o["recall"] == pytest.approx(2 / 3) and o["precision"] == pytest.approx(2 / 3)
    # interpolated (monotone envelope, as CUAD does): precision 2/3 at recall 1/3 and 2/3
    assert o["aupr"] == pytest.approx(4 / 9, abs=1e-4)
    assert o["p_at_80r"] == 0.0  # 80% recall never reached


def test_threshold_applies_and_duplicates_are_not_false_positives():
    preds = [P("c1", "recoup", 100, 120, 0.9), P("c1", "recoup", 150, 170, 0.85),
             P("c2", "recoup", 0, 5, 0.3)]
    m = evaluate(preds, GOLD, 0.5, ["recoup"])
    assert m["per_id"]["recoup"] == pytest.approx(
        {"precision": 1.0, "recall": 0.5, "f1": 2 / 3, "tp": 1, "predicted": 1, "gold": 2})


def test_thresholds_can_differ_per_id():
    preds = [P("c1", "recoup", 150, 160, 0.35), P("c2", "recoup", 10, 20, 0.8),
             P("c2", "mfn", 390, 420, 0.35)]
    lowered = evaluate(preds, GOLD, {"recoup": 0.3, "mfn": 0.5}, ["recoup", "mfn"])
    assert lowered["per_id"]["recoup"]["recall"] == 1.0
    assert lowered["per_id"]["mfn"]["recall"] == 0.0
    assert lowered["overall"]["tp"] == 2 and lowered["overall"]["predicted"] == 2
    assert lowered["doc_recall"] == pytest.approx(2 / 3)
    single = evaluate(preds, GOLD, 0.5, ["recoup", "mfn"])
    assert single["overall"]["tp"] == 1
    assert single["overall"]["aupr"] == lowered["overall"]["aupr"]  # the curve has no threshold


def test_confusions_name_the_mistaken_ids():
    preds = [P("c2", "recoup", 310, 330, 0.9)]  # lands on mfn gold
    m = evaluate(preds, GOLD, 0.5, ["recoup", "mfn"])
    assert m["confusions"] == [{"predicted": "recoup", "gold": "mfn", "count": 1}]


def _result(recall, per_id):
    return {"metrics": {"overall": {"recall": recall, "precision": 0.8, "aupr": 0.7},
                        "doc_recall": 1.0, "high_severity": {"recall": recall},
                        "per_id": {k: {"recall": v, "precision": 1.0} for k, v in per_id.items()}}}


def test_gates_threshold_and_regression_name_ids():
    prev = _result(0.95, {"recoup": 1.0, "mfn": 1.0})
    now = _result(0.85, {"recoup": 0.5, "mfn": 1.0})
    failures = check_gates(now, Gates(recall=0.9, tolerance=0.02), prev)
    assert any("below the threshold" in f for f in failures)
    assert any("recall dropped" in f for f in failures)
    assert any("recoup (1.00 -> 0.50)" in f for f in failures)
    assert not check_gates(prev, Gates(recall=0.9), prev)
