"""Cross-validation on the payer corpus's *train* split: the honest way to tune the detector.

Each fold trains a fresh detector on all CUAD training contracts plus the payer train contracts
outside the fold, then reviews the held-out train contracts with the real pipeline (offline
backend, no index) and scores them with the payer suite's span metrics. The test split is never
loaded, so decisions made on these figures leave the held-out test figures honest.

The context reranker (service/detect/rerank.py) is trained on out-of-fold head scores. In the CV
it is nested: fold f's reranker learns from the head scores of the *other* folds' held-out
contracts, so no contract's labels ever reach the model that scores it.
"""

from __future__ import annotations

import pickle
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from service.detect.build import (
    DENSE_WEIGHT,
    Embed,
    Prepared,
    cue_set,
    overlap_unit_labels,
    prepare,
    train_detector,
)
from service.detect.corpus import Contract
from service.detect.corpus import Corpus as LabelledCorpus
from service.detect.corpus import load_corpus as load_labelled
from service.detect.features import CueSet
from service.detect.model import Detector
from service.detect.rerank import Reranker, context_features
from service.detect.units import Unit
from service.evaluation.corpus import Corpus as PayerCorpus
from service.evaluation.corpus import load_corpus
from service.evaluation.spans import Prediction, Threshold, evaluate, match
from service.library import ClauseLibrary, get_library
from service.review.components import Components
from service.settings import Settings

Log = Callable[[str], None]
PACKS = ("payer", "employment", "vendor", "lease")
SWEEP = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55)
MIN_RERANK_ROWS = 500  # fewer candidate rows than this (a toy corpus): no reranker
PRECISION_FLOOR = 0.72  # the product's promise: about 3 in 4 reported findings are real


def _cuad_prepared(cuad_dir: Path, cues: CueSet, cache: Path | None, say: Log) -> Prepared:
    """CUAD units and features; cached on disk when asked (the same library cues only)."""
    if cache is not None and cache.is_file():
        with cache.open("rb") as fh:
            stored = pickle.load(fh)  # a cache this command wrote itself
        if stored.get("cues") == (cues.cues, cues.patterns):
            say(f"CUAD features from cache {cache}")
            return stored["prepared"]
    prep = prepare(load_labelled(cuad_dir), cues)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with cache.open("wb") as fh:
            pickle.dump({"cues": (cues.cues, cues.patterns), "prepared": prep}, fh,
                        protocol=pickle.HIGHEST_PROTOCOL)
    return prep


@dataclass
class HeadScores:
    """One contract's library-head scores from a detector that never saw it, with its labels."""

    contract_id: str
    units: list[Unit]
    scores: np.ndarray  # (units, heads)
    labels: np.ndarray  # (units, heads) int8


def fold_detectors(cuad: Prepared, payer: LabelledCorpus, library: ClauseLibrary, cues: CueSet, k: int, *,
                   cuad_heads: bool = False, embed: Embed | None = None,
                   dense_weight: float = DENSE_WEIGHT) -> Iterator[tuple[int, list[str], Detector]]:
    """(fold, held-out contract ids, detector trained on CUAD + the other folds) for K folds.

    Contract n (in id order) is in fold n % k: payer-cv and `clausewise train` share the folds.
    """
    ids = sorted(c.id for c in payer.contracts)
    for f in range(k):
        held = [c for n, c in enumerate(ids) if n % k == f]
        rest = payer.only(set(ids) - set(held))
        yield f, held, train_detector(cuad, range(len(cuad.contracts)), library,
                                      prepare(rest, cues, overlap_labels=True), cuad_heads=cuad_heads,
                                      embed=embed, dense_weight=dense_weight)


def head_scores(det: Detector, contracts: Sequence[Contract], view: PayerCorpus, library: ClauseLibrary,
                settings: Settings, comps: Components) -> list[HeadScores]:
    """The heads' own scores on these contracts, computed exactly as a review computes them
    (ingested file, segmenter's sections, the contract type's entries), plus their unit labels
    (the ones the heads train on: at least half of a sentence inside a gold span)."""
    from service.ingest import ingest_path
    from service.segment.wraps import unwrapped_text

    comps.use_detector(det)  # gives it the embedding function its dense block needs
    out = []
    for c in contracts:
        doc = ingest_path(view.path(c.id), settings)
        entries = [e.id for e in library.for_pack(view.meta[c.id].contract_type)]
        us = det.unit_scores(unwrapped_text(doc), det.library_heads(entries),
                             sections=comps.segment(doc).sections, rerank=False)
        labels = (overlap_unit_labels(us.table, c, us.targets) == 1).astype(np.int8)
        out.append(HeadScores(c.id, us.table.units, us.scores, labels))
    return out


def fit_reranker(records: Sequence[HeadScores]) -> Reranker | None:
    """Train the context reranker on out-of-fold head scores (None: too little to learn from)."""
    xs, ys = [], []
    for r in records:
        rows, x = context_features(r.units, r.scores)
        xs.append(x)
        ys.append(r.labels[rows[:, 0], rows[:, 1]])
    x, y = (np.vstack(xs), np.concatenate(ys)) if xs else (np.zeros((0, 1)), np.zeros(0))
    if len(y) < MIN_RERANK_ROWS or y.min() == y.max():
        return None
    return Reranker.fit(x, y)


def payer_cross_validate(cuad_dir: Path, payer_dir: Path, settings: Settings, *, folds: int = 0,
                         threshold: float | None = None, cache: Path | None = None,
                         cuad_heads: bool = True, dense_weight: float | None = None,
                         limit: int | None = None, rerank: bool = True,
                         progress: Log | None = None) -> dict:
    """K-fold (default: leave-one-contract-out) CV over the payer train split; returns metrics.

    cuad_heads=False trains only the library heads (several times faster): ids answered by a
    CUAD category head (commercial entries in practice packs) then go unscored. rerank=False
    measures the heads alone (no context reranker); with it, the heads alone are measured on the
    same folds too (metrics["heads_alone"]), so every run shows what the reranker adds.
    """
    say = progress or (lambda _m: None)
    t0 = time.monotonic()
    library = get_library(settings.library_dir)
    cues = cue_set(library)
    cuad = _cuad_prepared(cuad_dir, cues, cache, say)
    payer = load_labelled(payer_dir, split="train")
    if limit:
        payer = payer.only({c.id for c in sorted(payer.contracts, key=lambda c: c.id)[:limit]})
    view = load_corpus(payer_dir)
    ids = sorted(c.id for c in payer.contracts)
    k = folds if 1 < folds < len(ids) else len(ids)
    fold_of = {cid: n % k for n, cid in enumerate(ids)}
    clause_ids = sorted({e.id for p in PACKS for e in library.for_pack(p) if e.kind == "risk"})
    preds: list[Prediction] = []
    comps = Components.from_settings(settings)
    weight = DENSE_WEIGHT if dense_weight is None else dense_weight
    records: dict[str, HeadScores] = {}
    heads_alone: list[Prediction] = []  # the same folds without the reranker, for comparison
    # Pass 1 trains every fold's detector (and, for the reranker, records its out-of-fold head
    # scores); pass 2 reviews, once all records exist. Fold detectors wait on disk in between:
    # leave-one-out would otherwise hold one detector per contract in memory.
    with tempfile.TemporaryDirectory(prefix="clausewise-cv-") as tmp:
        for f, held, det in fold_detectors(cuad, payer, library, cues, k, cuad_heads=cuad_heads,
                                           embed=comps.embedder.embed, dense_weight=weight):
            if not rerank:
                comps.use_detector(det)
                preds += _review(held, view, settings, comps)
                say(f"fold {f + 1}/{k}: held out {', '.join(held)} ({time.monotonic() - t0:.0f}s)")
                continue
            held_contracts = payer.only(set(held)).contracts
            records |= {r.contract_id: r for r in head_scores(det, held_contracts, view, library, settings, comps)}
            det.embed = None  # a bound method of the embedder: set again when reviewing
            with (Path(tmp) / f"fold{f}.pkl").open("wb") as fh:
                pickle.dump(det, fh, protocol=pickle.HIGHEST_PROTOCOL)  # this process's own file
            say(f"fold {f + 1}/{k}: trained without {', '.join(held)} ({time.monotonic() - t0:.0f}s)")
        for f in range(k if rerank else 0):
            held = [c for c in ids if fold_of[c] == f]
            with (Path(tmp) / f"fold{f}.pkl").open("rb") as fh:
                det = pickle.load(fh)
            comps.use_detector(det)
            heads_alone += _review(held, view, settings, comps)
            det.reranker = fit_reranker([records[c] for c in ids if fold_of[c] != f])
            preds += _review(held, view, settings, comps)
            say(f"fold {f + 1}/{k}: reviewed {len(held)} held-out contracts ({time.monotonic() - t0:.0f}s)")
    gold = {c: view.gold.get(c, {}) for c in ids}
    high = [i for i in clause_ids if library.entries[i].severity.default == "high"]
    cut: Threshold = threshold if threshold is not None else {
        i: settings.threshold_for(library.entries[i]) for i in clause_ids}
    metrics = evaluate(preds, gold, cut, clause_ids)
    metrics["high_severity"] = evaluate(preds, gold, cut, high)["overall"]
    metrics["sweep"] = threshold_sweep(preds, gold, clause_ids, set(high))
    metrics["chosen"] = choose_thresholds(metrics["sweep"])
    if heads_alone:
        sweep = threshold_sweep(heads_alone, gold, clause_ids, set(high))
        metrics["heads_alone"] = {"overall": evaluate(heads_alone, gold, cut, clause_ids)["overall"],
                                  "sweep": sweep, "chosen": choose_thresholds(sweep)}
    return {"folds": k, "contracts": ids, "clause_ids": clause_ids, "rerank": rerank,
            "threshold": threshold if threshold is not None else
            {"min_score": settings.min_score, "min_score_high": settings.min_score_high},
            "metrics": metrics, "predictions": [p.__dict__ for p in preds],
            "elapsed_s": round(time.monotonic() - t0, 1)}


def _review(contract_ids: Sequence[str], view: PayerCorpus, settings: Settings,
            comps: Components) -> list[Prediction]:
    """Every candidate (threshold 0) of the offline pipeline on these contracts."""
    from service.ingest import ingest_path
    from service.review.pipeline import ReviewOptions, review_document

    preds = []
    for cid in contract_ids:
        doc = ingest_path(view.path(cid), settings)
        options = ReviewOptions(contract_type=view.meta[cid].contract_type, backend="offline",
                                min_score=0.0, use_index=False)
        result = review_document(doc, settings, options, components=comps)
        preds += [Prediction(cid, x.clause_id, x.start, x.end, x.score) for x in result.findings]
    return preds


def threshold_sweep(preds: list[Prediction], gold: dict, clause_ids: list[str],
                    high: set[str]) -> list[dict]:
    """Recall, precision and high-severity recall for every pair of thresholds on the grid:
    `high` for high-severity ids, `other` for the rest (`high <= other`; equal = one threshold)."""
    # Ids never compete for gold spans, so one matching serves every pair of thresholds.
    marks, _ = match([p for p in preds if p.clause_id in clause_ids], gold)
    n_gold = sum(len(gold[c].get(i, [])) for c in gold for i in clause_ids)
    n_high = sum(len(gold[c].get(i, [])) for c in gold for i in high)
    rows = []
    for other in SWEEP:
        for th in (t for t in SWEEP if t <= other):
            kept = [m for m in marks if m[0] >= (th if m[2] in high else other)]
            tp = sum(m[1] for m in kept)
            tp_high = sum(m[1] for m in kept if m[2] in high)
            rows.append({"high": th, "other": other, "recall": tp / n_gold if n_gold else 0.0,
                         "precision": tp / len(kept) if kept else 0.0,
                         "high_severity_recall": tp_high / n_high if n_high else 0.0})
    return rows


def choose_thresholds(sweep: list[dict], floor: float = PRECISION_FLOOR) -> dict | None:
    """The rule that sets Settings.min_score / min_score_high, in code.

    1. One threshold: the lowest grid step whose precision stays >= `floor`.
    2. A lower threshold for high-severity ids is adopted only if some pair keeps precision
       >= `floor` and recall >= that of (1) and raises high-severity recall: the pair with the
       highest high-severity recall (then recall, then precision) wins.
    """
    single = [r for r in sweep if r["high"] == r["other"] and r["precision"] >= floor]
    if not single:
        return None
    base = min(single, key=lambda r: r["other"])
    better = [r for r in sweep if r["precision"] >= floor and r["recall"] >= base["recall"]
              and r["high_severity_recall"] > base["high_severity_recall"]]
    best = max(better, key=lambda r: (r["high_severity_recall"], r["recall"], r["precision"]),
               default=base)
    return {"min_score": best["other"],
            "min_score_high": best["high"] if best["high"] != best["other"] else None,
            "recall": best["recall"], "precision": best["precision"],
            "high_severity_recall": best["high_severity_recall"]}
