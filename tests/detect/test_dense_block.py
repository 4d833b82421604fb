"""The MiniLM dense block of the library heads: trained, saved, reloaded, and actually used."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np

from service.detect.build import cue_set, prepare, train_detector
from service.detect.corpus import load_corpus
from service.detect.features import EMBED_DIM
from service.detect.model import Detector

TEXT = ("7.2 Overpayments. Plan may recover any overpayment by offsetting it against future payments "
        "under any product. 7.3 Provider shall keep an office in the Service Area.")


def fake_embed(texts: list[str]) -> np.ndarray:
    """Deterministic bag-of-words vectors (stands in for MiniLM; no model needed)."""
    out = np.zeros((len(texts), EMBED_DIM), np.float32)
    for i, t in enumerate(texts):
        for w in re.findall(r"[a-z]+", t.lower()):
            out[i, int(hashlib.md5(w.encode()).hexdigest(), 16) % EMBED_DIM] += 1.0
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


def test_dense_block_round_trips_and_moves_scores(tmp_path: Path, tiny_cuad: Path, library) -> None:
    corpus = load_corpus(tiny_cuad)
    prep = prepare(corpus, cue_set(library))
    det = train_detector(prep, range(len(corpus.contracts)), library, embed=fake_embed, dense_weight=1.0)
    assert det.needs_embeddings
    assert det.coef.shape[1] == det.space.width == det.space.sparse_width + EMBED_DIM
    cuad_rows = [i for i, t in enumerate(det.targets) if t.startswith("cuad:")]
    assert not det.coef[cuad_rows, det.space.sparse_width:].any()  # CUAD heads ignore the block
    det.embed = fake_embed
    before = det.unit_scores(TEXT, ["recoupment_offset_clawback"]).scores

    det.save(tmp_path / "art")
    loaded = Detector.load(tmp_path / "art")
    loaded.embed = fake_embed
    after = loaded.unit_scores(TEXT, ["recoupment_offset_clawback"]).scores
    np.testing.assert_allclose(before, after, atol=0.03)  # int8 weights

    loaded.embed = lambda texts: np.zeros((len(texts), EMBED_DIM), np.float32)
    blank = loaded.unit_scores(TEXT, ["recoupment_offset_clawback"]).scores
    assert not np.allclose(after, blank, atol=1e-3)
