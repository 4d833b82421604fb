"""The official CUAD metric on tiny cases whose values are computed by hand."""

from __future__ import annotations

import pytest

from service.evaluation.cuad import cuad_metrics, is_match, jaccard, normalize_words


def _p(text: str, score: float) -> dict:
    return {"text": text, "score": score}


@pytest.mark.parametrize(
    ("pred", "gold", "expected"),
    [
        ("The Company.", "the company", 1.0),
        ("and/or Licensee;", "and or licensee", 1.0),
        ("alpha beta gamma", "alpha beta", 2 / 3),
        ("alpha", "beta", 0.0),
    ],
)
def test_jaccard_normalisation(pred: str, gold: str, expected: float) -> None:
    assert jaccard(pred, gold) == pytest.approx(expected)


def test_normalize_words_removes_punctuation_and_splits_slash() -> None:
    assert normalize_words("Texas: State/Law, Inc.") == {"texas", "state", "law", "inc"}


def test_parties_substring_rule_only_for_parties() -> None:
    pred = "This agreement is made between Acme Corp and Beta LLC"
    assert is_match(pred, "Acme Corp", "Parties")
    assert not is_match(pred, "Acme Corp", "Parties", substring=False)
    assert not is_match(pred, "Acme Corp", "Governing Law")


def test_aupr_by_hand_two_gold_one_false_positive() -> None:
    # thresholds: >.8 -> P=1,R=.5 ; >.7 -> P=.5,R=.5 ; all -> P=2/3,R=1
    # processed precisions [1, 2/3, 2/3]; area = (2/3) * 0.5 = 1/3
    gold = {"c1": {"X": ["alpha beta", "gamma delta"]}}
    preds = {"c1": {"X": [_p("alpha beta", 0.9), _p("zeta", 0.8), _p("gamma delta", 0.7)]}}
    m = cuad_metrics(preds, gold)
    assert m["aupr"] == pytest.approx(1 / 3)
    assert m["precision_at_80_recall"] == pytest.approx(2 / 3)
    assert m["max_recall"] == 1.0


def test_predictions_for_absent_category_are_false_positives() -> None:
    # points (P,R): (0,0) (.5,.5) (1/3,.5) (.5,1) -> processed all .5 -> area .5
    gold = {"c1": {"X": ["alpha beta", "gamma delta"]}, "c2": {"X": []}}
    preds = {
        "c1": {"X": [_p("alpha beta", 0.9), _p("zeta", 0.8), _p("gamma delta", 0.7)]},
        "c2": {"X": [_p("foo", 0.95)]},
    }
    assert cuad_metrics(preds, gold)["aupr"] == pytest.approx(0.5)


def test_duplicate_hits_on_one_answer_are_neither_tp_nor_fp() -> None:
    gold = {"c1": {"X": ["alpha beta"]}}
    preds = {"c1": {"X": [_p("alpha beta", 0.9), _p("alpha beta.", 0.8)]}}
    m = cuad_metrics(preds, gold)
    assert m["precision_at_90_recall"] == 1.0


def test_unreached_recall_gives_zero_precision_at_recall() -> None:
    gold = {"c1": {"X": ["alpha beta", "gamma delta", "eta theta"]}}
    preds = {"c1": {"X": [_p("alpha beta", 0.9)]}}
    m = cuad_metrics(preds, gold)
    assert m["precision_at_80_recall"] == 0.0
    assert m["max_recall"] == pytest.approx(1 / 3)
