"""The context reranker: its features, its exported trees, and how a detector applies it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from service.detect.rerank import (
    CANDIDATE_FLOOR,
    FEATURES,
    LEARNING_RATE,
    LEAVES,
    MIN_LEAF,
    TREES,
    Reranker,
    context_features,
)
from service.detect.units import Unit


def _units(n: int) -> list[Unit]:
    out, pos = [], 0
    for i in range(n):
        text = f"Sentence number {i} of the contract."
        out.append(Unit(pos, pos + len(text), text, "sentence"))
        pos += len(text) + 1
    return out


def _col(name: str) -> int:
    return FEATURES.index(name)


def test_features_read_neighbours_rivals_and_rank() -> None:
    units = _units(4)
    scores = np.array([[0.9, 0.01], [0.6, 0.8], [0.01, 0.3], [0.5, 0.01]], np.float32)
    rows, x = context_features(units, scores)
    at = {(int(i), int(j)): x[k] for k, (i, j) in enumerate(rows)}
    assert (2, 0) not in at and (0, 1) not in at  # below the candidate floor: left alone
    assert all(scores[i, j] >= CANDIDATE_FLOOR for i, j in at)
    logit = lambda p: np.log(p / (1 - p))  # noqa: E731
    f = at[(1, 0)]  # second sentence, first head
    assert f[_col("prev_logit")] == pytest.approx(logit(0.9), abs=1e-4)
    assert f[_col("next_logit")] == pytest.approx(logit(0.01), abs=1e-4)
    assert f[_col("best_other_logit")] == pytest.approx(logit(0.8), abs=1e-4)
    assert f[_col("margin_over_other")] == pytest.approx(logit(0.6) - logit(0.8), abs=1e-4)
    assert f[_col("log_rank")] == pytest.approx(np.log1p(1))  # second best for the head
    assert f[_col("gap_to_doc_best")] == pytest.approx(logit(0.6) - logit(0.9), abs=1e-4)
    assert at[(0, 0)][_col("log_rank")] == 0.0
    assert at[(0, 0)][_col("prev_logit")] < -10  # no sentence before the first


def test_features_skip_units_that_are_not_sentences() -> None:
    units = _units(3)
    units[1] = Unit(units[1].start, units[1].end, units[1].text, "party")
    scores = np.full((3, 2), 0.5, np.float32)
    rows, x = context_features(units, scores)
    assert 1 not in set(rows[:, 0].tolist())
    first = x[(rows[:, 0] == 0) & (rows[:, 1] == 0)][0]
    assert first[_col("next_logit")] == pytest.approx(0.0, abs=1e-6)  # neighbour = next *sentence*


def test_exported_trees_predict_what_sklearn_predicts(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(800, len(FEATURES)))
    x[rng.random(x.shape) < 0.02] = np.nan
    y = (np.nan_to_num(x[:, 0]) + 0.5 * x[:, 1] ** 2 - x[:, 4] > 0.3).astype(int)
    ours = Reranker.fit(x, y)
    theirs = HistGradientBoostingClassifier(max_iter=TREES, learning_rate=LEARNING_RATE,
                                            max_leaf_nodes=LEAVES, min_samples_leaf=MIN_LEAF,
                                            l2_regularization=1.0, random_state=0).fit(x, y)
    assert np.allclose(ours.probability(x), theirs.predict_proba(x)[:, 1], atol=1e-9)
    ours.save(tmp_path)
    again = Reranker.load(tmp_path)
    assert again is not None and np.array_equal(again.probability(x), ours.probability(x))
    assert Reranker.load(tmp_path / "nowhere") is None


def test_rescore_changes_only_candidates() -> None:
    units = _units(5)
    rng = np.random.default_rng(1)
    scores = rng.random((5, 3)).astype(np.float32)
    scores[2, 1] = 0.001
    x = rng.normal(size=(400, len(FEATURES)))
    model = Reranker.fit(x, (x[:, 0] > 0).astype(int))
    out = model.rescore(units, scores)
    assert out[2, 1] == scores[2, 1]
    assert out.shape == scores.shape and out.dtype == scores.dtype
    assert not np.array_equal(out, scores)


def test_reranker_labels_need_half_the_sentence_inside_the_span() -> None:
    # The reranker learns from the heads' own unit labels (build.overlap_unit_labels).
    from service.detect.build import overlap_unit_labels
    from service.detect.corpus import Contract, GoldSpan
    from service.detect.features import build_units

    text = " ".join(u.text for u in _units(3))
    units = build_units(text).units
    a, b = units[1].start, units[1].end
    gold = {"x": [GoldSpan(a, b, text[a:b])], "y": [GoldSpan(a, a + 3, text[a:a + 3])], "z": []}
    y = overlap_unit_labels(build_units(text), Contract("c", text, gold), ["x", "y", "z"]) == 1
    assert y[:, 0].tolist() == [0, 1, 0]
    assert y[:, 1].tolist() == [0, 0, 0]
    assert y[:, 2].tolist() == [0, 0, 0]


def test_detector_applies_its_reranker_to_library_heads_only(tmp_path: Path, tiny_cuad: Path,
                                                             library) -> None:
    from service.detect.build import cue_set, prepare, train_detector
    from service.detect.corpus import load_corpus
    from service.detect.model import Detector
    from service.detect.rerank import RERANK_FILE
    from tests.detect.test_dense_block import TEXT, fake_embed

    corpus = load_corpus(tiny_cuad)
    det = train_detector(prepare(corpus, cue_set(library)), range(len(corpus.contracts)), library,
                         embed=fake_embed, dense_weight=1.0)
    det.embed = fake_embed
    ids = ["recoupment_offset_clawback", "Governing Law"]
    assert det.library_heads(ids) == ["recoupment_offset_clawback"]
    plain = det.unit_scores(TEXT, ids).scores
    rng = np.random.default_rng(2)
    x = rng.normal(size=(400, len(FEATURES)))
    # A reranker that inverts the evidence: whatever the head said, the opposite comes out.
    det.reranker = Reranker.fit(x, (x[:, FEATURES.index("logit")] < 0).astype(int))
    det.save(tmp_path / "art")
    loaded = Detector.load(tmp_path / "art")
    loaded.embed = fake_embed
    assert loaded.reranker is not None and loaded.manifest["reranker"]["rows"] == 400
    reranked = loaded.unit_scores(TEXT, ids).scores
    raw = loaded.unit_scores(TEXT, ids, rerank=False).scores
    np.testing.assert_allclose(raw, plain, atol=0.03)  # int8 weights
    assert not np.allclose(reranked[:, 0], raw[:, 0], atol=0.05)  # the library head is rescored
    np.testing.assert_array_equal(reranked[:, 1], raw[:, 1])  # the CUAD head is not

    loaded.reranker = None
    loaded.save(tmp_path / "art")  # no stale reranker is left beside new heads
    assert not (tmp_path / "art" / RERANK_FILE).exists()
    assert Detector.load(tmp_path / "art").reranker is None


def test_shipped_detector_carries_a_trained_reranker() -> None:
    from service.detect.model import ARTIFACTS_DIR, Detector

    if not (ARTIFACTS_DIR / "manifest.json").exists():
        pytest.skip("no shipped artefacts")
    det = Detector.load()
    assert det.reranker is not None
    info = det.manifest["reranker"]
    assert info["features"] == list(FEATURES) and info["positives"] > 1000
