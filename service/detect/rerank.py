"""Context reranker: a second stage that rescores the library heads' sentence probabilities.

The linear heads score each sentence on its own. Whether a sentence is really a clause of a given
type also depends on what surrounds it: the same head's scores on the neighbouring sentences (a
clause often runs over two or three), the other heads' scores on the same sentence (a "% of
Medicare" pricing sentence also looks like a rate change, but the benchmark head is surer), and
how the sentence ranks among the document's candidates for that head. The reranker is a small
gradient-boosted tree model over those context features, trained on out-of-fold head scores of
the payer train split (the scores a head gives a contract it was not trained on), so it learns
how far to trust a head's score in context.

The trees are stored as plain arrays (no pickle) and evaluated with numpy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from service.detect.units import Unit

RERANK_FILE = "rerank.npz"
CANDIDATE_FLOOR = 0.02  # head probability below which a sentence is left as it is
FEATURES = (
    "logit", "prev_logit", "next_logit", "window2_logit", "best_other_logit", "margin_over_other",
    "second_other_logit", "doc_best_logit", "gap_to_doc_best", "log_rank", "log_strong_count",
    "log_chars", "position",
)
_FLOOR_LOGIT = -12.0
# Tree model settings, chosen on payer train-split cross-validation (session 5).
TREES = 300
LEARNING_RATE = 0.05
LEAVES = 31
MIN_LEAF = 40


def _logit(p: np.ndarray) -> np.ndarray:
    q = np.clip(p.astype(np.float64), 1e-5, 1 - 1e-5)
    return np.log(q / (1 - q))


def context_features(units: Sequence[Unit], scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows for every (sentence unit, head column) whose probability is >= the floor.

    `scores` is (units, heads) for the library heads of one document. Returns (rows, X): rows are
    (unit index, column) pairs, X is (len(rows), len(FEATURES)).
    """
    n, m = scores.shape
    sent = np.array([u.kind == "sentence" for u in units], dtype=bool)
    si = np.nonzero(sent)[0]
    if m == 0 or len(si) == 0:
        return np.zeros((0, 2), np.int64), np.zeros((0, len(FEATURES)))
    z = np.where(sent[:, None], _logit(scores), _FLOOR_LOGIT)  # other unit kinds never count
    pad = np.full((1, m), _FLOOR_LOGIT)
    zs = z[si]  # sentence rows only, in document order: neighbours are adjacent rows
    prev = np.vstack([pad, zs[:-1]])
    nxt = np.vstack([zs[1:], pad])
    prev2 = np.vstack([pad, pad, zs[:-2]])[: len(si)]
    next2 = np.vstack([zs[2:], pad, pad])[-len(si):] if len(si) >= 2 else np.vstack([pad] * len(si))
    window2 = np.maximum(prev2, next2)
    # Best and second-best other head on the same sentence.
    if m > 1:
        top2 = np.sort(zs, axis=1)[:, -2:]
        best, second = top2[:, 1:2], top2[:, 0:1]
        best_other = np.where(zs >= best, second, best)
        third = np.sort(zs, axis=1)[:, -3:-2] if m > 2 else np.full((len(si), 1), _FLOOR_LOGIT)
        second_other = np.where(zs >= second, third, second)
    else:
        best_other = second_other = np.full_like(zs, _FLOOR_LOGIT)
    doc_best = zs.max(axis=0, keepdims=True)
    rank = np.argsort(np.argsort(-zs, axis=0, kind="stable"), axis=0, kind="stable")
    strong = (scores[si] >= 0.3).sum(axis=0, keepdims=True)
    chars = np.array([len(units[int(i)].text) for i in si], dtype=np.float64)[:, None]
    position = (si / max(1, n))[:, None].astype(np.float64)
    r, c = np.nonzero(scores[si] >= CANDIDATE_FLOOR)
    cols = [zs, prev, nxt, window2, best_other, zs - best_other, second_other,
            np.broadcast_to(doc_best, zs.shape), zs - doc_best, np.log1p(rank),
            np.broadcast_to(np.log1p(strong), zs.shape), np.broadcast_to(np.log1p(chars), zs.shape),
            np.broadcast_to(position, zs.shape)]
    x = np.stack([col[r, c] for col in cols], axis=1)
    return np.stack([si[r], c], axis=1).astype(np.int64), x


@dataclass
class Reranker:
    """Boosted trees as arrays: per node feature, threshold, children, leaf value."""

    feature: np.ndarray  # (nodes,) int32
    threshold: np.ndarray  # (nodes,) float64: go left when x <= threshold
    missing_left: np.ndarray  # (nodes,) bool
    left: np.ndarray  # (nodes,) int32, absolute node index
    right: np.ndarray  # (nodes,) int32
    value: np.ndarray  # (nodes,) float64, leaf contribution (learning rate applied)
    leaf: np.ndarray  # (nodes,) bool
    roots: np.ndarray  # (trees,) int32
    baseline: float
    info: dict

    @classmethod
    def fit(cls, x: np.ndarray, y: np.ndarray, seed: int = 0) -> Reranker:
        from sklearn.ensemble import HistGradientBoostingClassifier

        model = HistGradientBoostingClassifier(max_iter=TREES, learning_rate=LEARNING_RATE,
                                               max_leaf_nodes=LEAVES, min_samples_leaf=MIN_LEAF,
                                               l2_regularization=1.0, random_state=seed)
        model.fit(x, y)
        parts, roots, offset = [], [], 0
        for (tree,) in model._predictors:  # one tree per iteration (binary loss)
            nodes = tree.nodes
            roots.append(offset)
            parts.append((nodes["feature_idx"].astype(np.int32), nodes["num_threshold"].astype(np.float64),
                          nodes["missing_go_to_left"].astype(bool),
                          nodes["left"].astype(np.int32) + offset, nodes["right"].astype(np.int32) + offset,
                          nodes["value"].astype(np.float64), nodes["is_leaf"].astype(bool)))
            offset += len(nodes)
        feature, threshold, missing, left, right, value, leaf = (
            np.concatenate([p[k] for p in parts]) for k in range(7))
        info = {"rows": len(y), "positives": int(y.sum()), "trees": len(roots),
                "features": list(FEATURES)}
        return cls(feature, threshold, missing, left, right, value, leaf, np.array(roots, np.int32),
                   float(np.ravel(model._baseline_prediction)[0]), info)

    def raw(self, x: np.ndarray) -> np.ndarray:
        """Summed tree outputs (log-odds) for feature rows x."""
        out = np.full(len(x), self.baseline)
        if not len(x):
            return out
        rows = np.arange(len(x))
        for root in self.roots:
            node = np.full(len(x), root, dtype=np.int64)
            active = ~self.leaf[node]
            while active.any():
                nd = node[active]
                v = x[rows[active], self.feature[nd]]
                go_left = np.where(np.isnan(v), self.missing_left[nd], v <= self.threshold[nd])
                node[active] = np.where(go_left, self.left[nd], self.right[nd])
                active = ~self.leaf[node]
            out += self.value[node]
        return out

    def probability(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.raw(x)))

    def rescore(self, units: Sequence[Unit], scores: np.ndarray) -> np.ndarray:
        """New (units, heads) probabilities: candidates rescored, the rest unchanged."""
        rows, x = context_features(units, scores)
        out = scores.copy()
        if len(rows):
            out[rows[:, 0], rows[:, 1]] = self.probability(x).astype(out.dtype)
        return out

    def save(self, root: Path) -> None:
        np.savez_compressed(root / RERANK_FILE, allow_pickle=False, feature=self.feature,
                            threshold=self.threshold, missing_left=self.missing_left, left=self.left,
                            right=self.right, value=self.value, leaf=self.leaf, roots=self.roots,
                            baseline=np.array([self.baseline]))

    @classmethod
    def load(cls, root: Path, info: dict | None = None) -> Reranker | None:
        path = root / RERANK_FILE
        if not path.exists():
            return None
        with np.load(path) as z:
            return cls(z["feature"], z["threshold"], z["missing_left"], z["left"], z["right"],
                       z["value"], z["leaf"], z["roots"], float(z["baseline"][0]), info or {})

