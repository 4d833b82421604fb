"""The official CUAD metric (Hendrycks et al. 2021, evaluate.py) over span predictions.

Faithful to the published evaluate.py:
- a prediction matches a gold answer when the Jaccard similarity of their word SETS is >= 0.5,
  after removing . , ; : , lower-casing, turning "/" into a space and splitting on " ";
  for the "Parties" category a prediction also matches when it contains the gold text
  (`substr_ok` in evaluate.py);
- per (contract, category): each gold answer with at least one matching prediction is a TP,
  each gold answer with none is a FN, each prediction matching no gold answer is a FP
  (several predictions hitting the same answer are neither extra TPs nor FPs);
- TP/FP/FN are pooled over all categories of all contracts at each confidence threshold
  (predictions with score > threshold are kept); precision is undefined when nothing is kept;
- the precision list (ordered by increasing recall) is made monotone (each precision becomes
  the best precision at that or any higher recall) and AUPR = trapezoid area over recall;
  precision at R% recall = the processed precision of the first point with recall >= R.
Interpretation (documented): thresholds are every distinct prediction score plus -inf (the
finest possible sweep), instead of a fixed grid; no (recall 0, precision 1) point is added.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from service.detect.corpus import Corpus

IOU_THRESH = 0.5
Predictions = Mapping[str, Mapping[str, Sequence[Mapping]]]  # contract -> category -> [{text, score}]
Gold = Mapping[str, Mapping[str, Sequence[str]]]  # contract -> category -> [gold text]


def normalize_words(text: str) -> set[str]:
    """Word set exactly as evaluate.py builds it."""
    for token in (".", ",", ";", ":"):
        text = text.replace(token, "")
    return set(text.lower().replace("/", " ").split(" "))


def jaccard(prediction: str, ground_truth: str) -> float:
    """Word-set Jaccard similarity of evaluate.py."""
    p, g = normalize_words(prediction), normalize_words(ground_truth)
    return len(p & g) / len(p | g)


def is_match(prediction: str, ground_truth: str, category: str, *, substring: bool = True) -> bool:
    """Official match rule, including the Parties substring rule (off with substring=False)."""
    if substring and "Parties" in category and ground_truth in prediction:
        return True
    return jaccard(prediction, ground_truth) >= IOU_THRESH


def _events(preds: Sequence[Mapping], golds: Sequence[str], category: str,
            substring: bool) -> tuple[list[float], list[float]]:
    """Scores at which each gold answer becomes a TP, and scores of non-matching predictions.

    A gold answer is a TP at threshold t iff some matching prediction has score > t, i.e. iff
    t < (best matching score); a non-matching prediction is a FP iff its score > t.
    """
    kept = [(p["text"], float(p["score"])) for p in preds if p.get("text", "") != ""]
    tp_at = []
    matched = [False] * len(kept)
    for g in golds:
        best = -np.inf
        for j, (text, score) in enumerate(kept):
            if is_match(text, g, category, substring=substring):
                matched[j] = True
                best = max(best, score)
        tp_at.append(best)
    fp_at = [score for (_, score), m in zip(kept, matched, strict=True) if not m]
    return tp_at, fp_at


def precision_recall_curve(preds: Predictions, gold: Gold, categories: Sequence[str] | None = None,
                           *, strict: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Pooled (precision, recall) at every distinct score threshold, sorted by recall."""
    tp_at: list[float] = []
    fp_at: list[float] = []
    for cid, by_cat in gold.items():
        for cat, golds in by_cat.items():
            if categories is None or cat in categories:
                t, f = _events(preds.get(cid, {}).get(cat, []), golds, cat, not strict)
                tp_at += t
                fp_at += f
    tp_s, fp_s = np.sort(np.array(tp_at)), np.sort(np.array(fp_at))
    scores = np.concatenate([tp_s[np.isfinite(tp_s)], fp_s])
    thresholds = np.concatenate([np.unique(scores)[::-1], [-np.inf]])
    # number of events with score > t
    tp = len(tp_s) - np.searchsorted(tp_s, thresholds, side="right")
    fp = len(fp_s) - np.searchsorted(fp_s, thresholds, side="right")
    fn = len(tp_s) - tp
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(tp + fp > 0, tp / np.maximum(tp + fp, 1), np.nan)
        recall = np.where(tp + fn > 0, tp / np.maximum(tp + fn, 1), np.nan)
    ok = ~np.isnan(precision) & ~np.isnan(recall)
    order = np.argsort(recall[ok], kind="stable")
    return precision[ok][order], recall[ok][order]


def process_precisions(precisions: np.ndarray) -> np.ndarray:
    """Monotone envelope: precision at recall r = best precision at recall >= r."""
    return np.maximum.accumulate(precisions[::-1])[::-1] if len(precisions) else precisions


def aupr(precisions: np.ndarray, recalls: np.ndarray) -> float:
    """Area under the processed precision-recall curve (trapezoids over recall)."""
    if len(precisions) == 0:
        return 0.0
    p = process_precisions(precisions)
    area = float(np.sum((recalls[1:] - recalls[:-1]) * (p[1:] + p[:-1]) / 2.0))
    return 0.0 if np.isnan(area) else area


def precision_at_recall(precisions: np.ndarray, recalls: np.ndarray, target: float) -> float:
    """Processed precision of the first point whose recall reaches `target` (0 if never)."""
    p = process_precisions(precisions)
    hits = np.nonzero(recalls >= target)[0]
    return float(p[hits[0]]) if len(hits) else 0.0


def cuad_metrics(preds: Predictions, gold: Gold, categories: Sequence[str] | None = None,
                 *, strict: bool = False) -> dict:
    """AUPR, P@80%R, P@90%R pooled over the given categories (all when None).

    strict=True drops the Parties substring rule (word-set Jaccard only), reported alongside.
    """
    p, r = precision_recall_curve(preds, gold, categories, strict=strict)
    return {
        "aupr": aupr(p, r),
        "precision_at_80_recall": precision_at_recall(p, r, 0.8),
        "precision_at_90_recall": precision_at_recall(p, r, 0.9),
        "max_recall": float(r[-1]) if len(r) else 0.0,
    }


def per_category_metrics(preds: Predictions, gold: Gold, categories: Sequence[str]) -> dict[str, dict]:
    """The official metric restricted to each category in turn."""
    return {cat: cuad_metrics(preds, gold, [cat]) for cat in categories}


def gold_texts(corpus: Corpus) -> dict[str, dict[str, list[str]]]:
    """{contract: {category: [gold text]}} for every category of a CUAD-layout corpus."""
    return {c.id: {cat: [g.text for g in c.gold.get(cat, [])] for cat in corpus.categories}
            for c in corpus.contracts}


def run_cuad_eval(data_dir: Path, *, library_dir: Path, folds: int = 0, limit: int | None = None,
                  out_dir: Path | None = None, artifacts_dir: Path | None = None,
                  progress: Callable[[str], None] | None = None) -> dict:
    """Predict a CUAD-layout corpus (K-fold CV when folds > 1, else shipped artefacts) and score it."""
    from service.detect.corpus import load_corpus
    from service.detect.crossval import cross_validate, predict_corpus
    from service.detect.fit import text_fingerprint
    from service.detect.model import Detector
    from service.library import load_library

    t0 = time.monotonic()
    corpus = load_corpus(data_dir, limit=limit)
    library = load_library(library_dir)
    if folds > 1:
        preds = cross_validate(corpus, library, folds, progress=progress)
        mode = f"{folds}-fold cross-validation"
    else:
        detector = Detector.load(artifacts_dir)
        preds = predict_corpus(detector, corpus, library, progress)
        seen = set(detector.manifest.get("training_data", {}).get("cuad_text_sha12", []))
        overlap = sum(text_fingerprint(c.text) in seen for c in corpus.contracts)
        mode = "shipped artefacts" + (f" (WARNING: {overlap} contracts were training data; "
                                      "use --folds K)" if overlap else "")
    gold = gold_texts(corpus)
    result = {
        "data": str(data_dir), "contracts": len(corpus.contracts), "mode": mode,
        "library_version": library.version, "elapsed_s": round(time.monotonic() - t0, 1),
        "overall": cuad_metrics(preds, gold),
        "overall_strict_jaccard": cuad_metrics(preds, gold, strict=True),
        "per_category": per_category_metrics(preds, gold, corpus.categories),
    }
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "cuad_predictions.json").write_text(json.dumps(preds), encoding="utf-8")
        (out_dir / "cuad_metrics.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    return result
