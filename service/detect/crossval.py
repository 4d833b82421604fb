"""CUAD predictions from a Detector, and K-fold cross-validation over a training corpus."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from service.detect.build import Prepared, cue_set, prepare, train_detector
from service.detect.corpus import Corpus
from service.detect.model import Detector
from service.detect.spans import ranked_spans
from service.detect.units import Unit
from service.library import ClauseLibrary

TOP_K = 30  # predictions per (contract, category), like the n-best list of the CUAD baselines
CuadPredictions = dict[str, dict[str, list[dict]]]


def category_ids(detector: Detector, categories: Sequence[str], library: ClauseLibrary | None) -> dict[str, str]:
    """CUAD category -> the id the detector answers it with: the category's own head when the
    detector has one, else the library entry mapped to it (`cuad_category`)."""
    mapping = library.cuad_map() if library is not None else {}
    out = {}
    for cat in categories:
        cid = cat if detector.target_of(cat) is not None else mapping.get(cat, cat)
        if detector.target_of(cid) is not None:
            out[cat] = cid
    return out


def _spans_json(text: str, units: list[Unit], scores: np.ndarray) -> list[dict]:
    return [{"text": text[s.start:s.end], "start": s.start, "end": s.end, "score": round(s.score, 6)}
            for s in ranked_spans(text, units, scores, top_k=TOP_K)]


def predict_contract(detector: Detector, text: str, cat_ids: dict[str, str]) -> dict[str, list[dict]]:
    """{category: [{text, start, end, score}]} for one contract."""
    us = detector.unit_scores(text, list(cat_ids.values()))
    col = {cid: j for j, cid in enumerate(us.targets)}
    return {cat: _spans_json(text, us.table.units, us.scores[:, col[cid]]) for cat, cid in cat_ids.items()}


def predict_corpus(detector: Detector, corpus: Corpus, library: ClauseLibrary | None,
                   progress: Callable[[str], None] | None = None) -> CuadPredictions:
    """Predictions of a trained detector for every contract of a corpus."""
    cat_ids = category_ids(detector, corpus.categories, library)
    out = {}
    for n, c in enumerate(corpus.contracts):
        out[c.id] = predict_contract(detector, c.text, cat_ids)
        if progress and n % 50 == 0:
            progress(f"predicted {n + 1}/{len(corpus.contracts)}")
    return out


def fold_of(n: int, k: int, seed: int = 13) -> np.ndarray:
    """Deterministic fold id per contract (contracts in corpus order)."""
    return np.random.default_rng(seed).permutation(n) % k


def _predict_prepared(det: Detector, prep: Prepared, docs: Sequence[int], cat_ids: dict[str, str]) -> CuadPredictions:
    ids = list(cat_ids.values())
    out = {}
    for i in docs:
        lo, hi = prep.offsets[i], prep.offsets[i + 1]
        scores = det.score_raw({k: v[lo:hi] for k, v in prep.raw.items()}, ids)
        text, units = prep.contracts[i].text, prep.tables[i].units
        out[prep.contracts[i].id] = {cat: _spans_json(text, units, scores[:, j])
                                     for j, cat in enumerate(cat_ids)}
    return out


def cross_validate(corpus: Corpus, library: ClauseLibrary | None, k: int, *, payer: Corpus | None = None,
                   progress: Callable[[str], None] | None = None) -> CuadPredictions:
    """Train on K-1 folds, predict the held-out fold, for every fold; returns all predictions."""
    say = progress or (lambda _m: None)
    cues = cue_set(library)
    prep = prepare(corpus, cues)
    payer_prep = prepare(payer, cues, overlap_labels=True) if payer is not None and payer.contracts else None
    say(f"prepared {len(corpus.contracts)} contracts, {prep.labels.shape[0]} units")
    folds = fold_of(len(corpus.contracts), k)
    preds: CuadPredictions = {}
    for f in range(k):
        train = [i for i in range(len(folds)) if folds[i] != f]
        det = train_detector(prep, train, library, payer_prep, library_heads=False)
        held = [i for i in range(len(folds)) if folds[i] == f]
        preds |= _predict_prepared(det, prep, held, category_ids(det, corpus.categories, library))
        say(f"fold {f + 1}/{k}: trained on {len(train)}, predicted {len(held)}")
    return preds
