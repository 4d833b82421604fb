"""`clausewise train`: build the shipped detector artefacts reproducibly from CUAD + library + payer train."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from pathlib import Path

from service.detect.build import Prepared, cue_set, prepare, train_detector
from service.detect.corpus import Corpus, load_corpus
from service.detect.features import CueSet
from service.detect.model import ARTIFACTS_DIR, Detector
from service.detect.rerank import Reranker
from service.index import Embedder
from service.library import ClauseLibrary, load_library

RERANK_FOLDS = 5  # fold detectors whose out-of-fold head scores train the context reranker
ATTRIBUTION = """# Offline detector artefacts

Built by `clausewise train` from the CUAD v1 training split (Contract Understanding Atticus Dataset,
The Atticus Project, CC BY 4.0, https://www.atticusprojectai.org/cuad), the Clausewise clause
library and the train split of the Clausewise payer gold corpus. The model weights are derived from
CUAD; keep this attribution wherever they are shipped. manifest.json records data hashes, the
library version and the cross-validated CUAD metric.
"""


def text_fingerprint(text: str) -> str:
    """Short content hash of a contract text (used to warn when evaluating on training data)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def load_payer_train(payer_dir: Path | None) -> Corpus | None:
    """The payer gold corpus, train split only (the test split is never loaded)."""
    if payer_dir is None or not (payer_dir / "labels.jsonl").exists():
        return None
    return load_corpus(payer_dir, split="train")


def train_and_save(cuad_dir: Path, library_dir: Path, out_dir: Path | None = None, *,
                   payer_dir: Path | None = None, cv_folds: int = 0, rerank_folds: int = RERANK_FOLDS,
                   progress: Callable[[str], None] | None = None) -> Detector:
    """Train on all CUAD training contracts (+ payer train split) and write the artefacts.

    With the payer train split and rerank_folds > 1, the context reranker is trained too: on the
    head scores of `rerank_folds` fold detectors, each scoring the train contracts it never saw.
    """
    say = progress or (lambda _m: None)
    t0 = time.monotonic()
    library: ClauseLibrary = load_library(library_dir)
    cuad = load_corpus(cuad_dir)
    payer = load_payer_train(payer_dir)
    metrics = {}
    if cv_folds > 1:
        metrics = _cv_metrics(cuad, library, cv_folds, say)
    cues = cue_set(library)
    prep = prepare(cuad, cues)
    payer_prep = prepare(payer, cues, overlap_labels=True) if payer and payer.contracts else None
    say(f"prepared {len(cuad.contracts)} CUAD contracts ({prep.labels.shape[0]} units)")
    embedder = _embedder()
    det = train_detector(prep, range(len(cuad.contracts)), library, payer_prep,
                         embed=embedder.embed if embedder else None)
    if payer is not None and payer_dir is not None and rerank_folds > 1 and len(payer.contracts) >= rerank_folds:
        det.reranker = _fit_reranker(prep, payer, payer_dir, library, cues, embedder, rerank_folds, say)
    det.manifest["embedding_model"] = embedder.model_id if embedder else None
    det.manifest["training_data"] = {
        "cuad_dir": cuad_dir.name, "cuad_sha256": cuad.digest(),
        "cuad_text_sha12": sorted(text_fingerprint(c.text) for c in cuad.contracts),
        "payer_train_sha256": payer.digest() if payer else None,
        "payer_train_contracts": [c.id for c in payer.contracts] if payer else [],
    }
    det.manifest["metrics"] = metrics
    det.manifest["train_seconds"] = round(time.monotonic() - t0, 1)
    out = out_dir or ARTIFACTS_DIR
    det.save(out)
    (out / "ATTRIBUTION.md").write_text(ATTRIBUTION, encoding="utf-8")
    say(f"wrote {out} in {time.monotonic() - t0:.0f}s")
    return det


def _fit_reranker(cuad: Prepared, payer: Corpus, payer_dir: Path, library: ClauseLibrary, cues: CueSet,
                  embedder: Embedder | None, k: int, say: Callable[[str], None]) -> Reranker | None:
    """Out-of-fold head scores of the payer train split (K library-head detectors), then the
    reranker on all of them: the same procedure `clausewise eval payer-cv` measures."""
    from service.evaluation.corpus import load_corpus as load_view
    from service.evaluation.payer_cv import fit_reranker, fold_detectors, head_scores
    from service.review.components import Components
    from service.settings import load_settings

    settings = load_settings()
    comps = Components.from_settings(settings)
    view = load_view(payer_dir)
    records = []
    for f, held, fold_det in fold_detectors(cuad, payer, library, cues, k,
                                            embed=embedder.embed if embedder else None):
        records += head_scores(fold_det, payer.only(set(held)).contracts, view, library, settings, comps)
        say(f"reranker fold {f + 1}/{k}: head scores of {len(held)} unseen train contracts")
    return fit_reranker(records)


def _embedder() -> Embedder | None:
    """The installed MiniLM (with the shared embedding cache); None if `clausewise setup` has not
    run, in which case the detector is trained without the dense block."""
    from service.index.embeddings import ModelMissing
    from service.settings import load_settings

    try:
        return Embedder.from_settings(load_settings())
    except (ModelMissing, FileNotFoundError):
        return None


def _cv_metrics(cuad: Corpus, library: ClauseLibrary, k: int, say: Callable[[str], None]) -> dict:
    """Same computation as `clausewise eval cuad --folds K` on the training data."""
    from service.detect.crossval import cross_validate
    from service.evaluation.cuad import cuad_metrics, gold_texts, per_category_metrics

    t0 = time.monotonic()
    preds = cross_validate(cuad, library, k, progress=say)
    gold = gold_texts(cuad)
    per_cat = per_category_metrics(preds, gold, cuad.categories)
    return {f"cuad_{k}fold_cv": {
        **{key: round(v, 4) for key, v in cuad_metrics(preds, gold).items()},
        "strict_jaccard_aupr": round(cuad_metrics(preds, gold, strict=True)["aupr"], 4),
        "per_category_aupr": {cat: round(m["aupr"], 4) for cat, m in per_cat.items()},
        "seconds": round(time.monotonic() - t0, 1),
    }}
