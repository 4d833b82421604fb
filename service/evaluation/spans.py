"""Span-overlap metrics for the payer suites: recall/precision/F1, AUPR, P@R, confusions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from service.evaluation.corpus import GoldSpan

# One reporting threshold for every id, or one per id (e.g. a lower one for high-severity ids).
Threshold = float | Mapping[str, float]


def cut_for(threshold: Threshold, clause_id: str) -> float:
    """The threshold that applies to one clause id."""
    return threshold if isinstance(threshold, int | float) else threshold[clause_id]


@dataclass(frozen=True)
class Prediction:
    contract_id: str
    clause_id: str
    start: int
    end: int
    score: float


def _overlap(a_start: int, a_end: int, b: GoldSpan) -> bool:
    return a_start < b.end and b.start < a_end


def match(preds: list[Prediction], gold: dict[str, dict[str, list[GoldSpan]]]
          ) -> tuple[list[tuple[float, bool, str]], dict[tuple[str, str, int], float]]:
    """Greedy by score: each prediction is TP if it overlaps a not-yet-matched gold span.

    Returns (score, is_tp, clause_id) per prediction and, per gold span, the score at which it
    was found.
    """
    found: dict[tuple[str, str, int], float] = {}
    marks = []
    for p in sorted(preds, key=lambda p: -p.score):
        spans = gold.get(p.contract_id, {}).get(p.clause_id, [])
        hit = next((i for i, g in enumerate(spans)
                    if _overlap(p.start, p.end, g) and (p.contract_id, p.clause_id, i) not in found),
                   None)
        if hit is not None:
            found[(p.contract_id, p.clause_id, hit)] = p.score
        elif any(_overlap(p.start, p.end, g) for g in spans):
            continue  # a second hit on an already-found span: neither TP nor FP
        marks.append((p.score, hit is not None, p.clause_id))
    return marks, found


def pr_curve(marks: list[tuple[float, bool, str]], n_gold: int) -> tuple[np.ndarray, np.ndarray]:
    """Precision and recall after each prediction in descending score order."""
    if not marks or n_gold == 0:
        return np.array([]), np.array([])
    ordered = sorted(marks, key=lambda m: -m[0])
    tp = np.cumsum([m[1] for m in ordered])
    k = np.arange(1, len(ordered) + 1)
    return tp / k, tp / n_gold


def aupr(precision: np.ndarray, recall: np.ndarray) -> float:
    """Average precision (step interpolation over recall increments)."""
    if len(precision) == 0:
        return 0.0
    envelope = np.maximum.accumulate(precision[::-1])[::-1]
    steps = np.diff(np.concatenate([[0.0], recall]))
    return float(np.sum(steps * envelope))


def precision_at(precision: np.ndarray, recall: np.ndarray, target: float) -> float:
    """Best precision at any point reaching `target` recall (0 if never reached)."""
    hits = recall >= target - 1e-9
    return float(precision[hits].max()) if hits.any() else 0.0


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "tp": tp, "predicted": n_pred, "gold": n_gold}


def evaluate(preds: list[Prediction], gold: dict[str, dict[str, list[GoldSpan]]],
             threshold: Threshold, clause_ids: list[str] | None = None) -> dict:
    """All metrics, overall and per clause id, at `threshold` and across thresholds."""
    ids = clause_ids or sorted({c for g in gold.values() for c, s in g.items() if s})
    preds = [p for p in preds if p.clause_id in ids]
    marks, found = match(preds, gold)
    n_gold = sum(len(gold[c].get(i, [])) for c in gold for i in ids)
    kept = [m for m in marks if m[0] >= cut_for(threshold, m[2])]
    overall = _prf(sum(m[1] for m in kept), len(kept), n_gold)
    precision, recall = pr_curve(marks, n_gold)
    overall.update(aupr=aupr(precision, recall), p_at_80r=precision_at(precision, recall, 0.8),
                   p_at_90r=precision_at(precision, recall, 0.9))
    # Ids never compete for gold spans, so the per-id figures come from the same matching.
    per_id = {}
    for cid in ids:
        k_sub = [m for m in kept if m[2] == cid]
        g_sub = sum(len(gold[c].get(cid, [])) for c in gold)
        per_id[cid] = _prf(sum(m[1] for m in k_sub), len(k_sub), g_sub)
    return {"overall": overall, "per_id": per_id,
            "doc_recall": doc_recall(preds, gold, threshold, ids),
            "confusions": confusions(preds, gold, threshold, ids),
            "curve": {"precision": precision.round(4).tolist(), "recall": recall.round(4).tolist()},
            "found_scores": {f"{c}|{i}|{n}": s for (c, i, n), s in found.items()}}


def doc_recall(preds: list[Prediction], gold: dict[str, dict[str, list[GoldSpan]]],
               threshold: Threshold, ids: list[str]) -> float:
    """Share of (contract, clause id) pairs with gold where the id was reported at all."""
    pairs = [(c, i) for c in gold for i in ids if gold[c].get(i)]
    reported = {(p.contract_id, p.clause_id) for p in preds
                if p.clause_id in ids and p.score >= cut_for(threshold, p.clause_id)}
    return sum(pair in reported for pair in pairs) / len(pairs) if pairs else 0.0


def confusions(preds: list[Prediction], gold: dict[str, dict[str, list[GoldSpan]]],
               threshold: Threshold, ids: list[str]) -> list[dict]:
    """False positives that overlap gold of another id: which ids are mistaken for which."""
    counts: Counter[tuple[str, str]] = Counter()
    for p in preds:
        if p.clause_id not in ids or p.score < cut_for(threshold, p.clause_id):
            continue
        own = gold.get(p.contract_id, {}).get(p.clause_id, [])
        if any(_overlap(p.start, p.end, g) for g in own):
            continue
        for other, spans in gold.get(p.contract_id, {}).items():
            if other != p.clause_id and any(_overlap(p.start, p.end, g) for g in spans):
                counts[(p.clause_id, other)] += 1
    return [{"predicted": a, "gold": b, "count": n} for (a, b), n in counts.most_common(30)]
