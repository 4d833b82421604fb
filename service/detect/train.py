"""Training: unit labels from gold spans, one-vs-rest logistic models per category."""

from __future__ import annotations

import bisect
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from service.detect.corpus import Contract
from service.detect.features import UnitTable
from service.evaluation.cuad import IOU_THRESH, jaccard

IGNORE = -1  # unit overlaps a gold span without matching it: neither positive nor negative


def unit_labels(table: UnitTable, contract: Contract, categories: Sequence[str]) -> np.ndarray:
    """(units x categories) int8: 1 = unit matches a gold span (Jaccard >= 0.5), 0 = not, -1 = ignore."""
    units = table.units
    order = sorted(range(len(units)), key=lambda i: units[i].start)
    starts = [units[i].start for i in order]
    y = np.zeros((len(units), len(categories)), dtype=np.int8)
    for j, cat in enumerate(categories):
        for g in contract.gold.get(cat, []):
            lo = bisect.bisect_left(starts, g.start - 2000)
            hi = bisect.bisect_right(starts, g.end)
            near = [order[k] for k in range(lo, hi) if units[order[k]].end > g.start]
            for i in near:
                if y[i, j] == 1:
                    continue
                # Strict word-set rule (no Parties substring shortcut): the model learns the
                # short value spans a user wants, not every sentence that names a party.
                y[i, j] = 1 if jaccard(units[i].text, g.text) >= IOU_THRESH else IGNORE
    return y


@dataclass
class LinearModels:
    """Stacked per-category logistic models over one FeatureSpace."""

    coef: np.ndarray  # (categories, width) float32
    intercept: np.ndarray  # (categories,)
    categories: list[str]

    def scores(self, x: sp.csr_matrix) -> np.ndarray:
        """Probability per unit (rows) and category (columns)."""
        z = np.asarray(x @ self.coef.T) + self.intercept[None, :]
        return 1.0 / (1.0 + np.exp(-z))


def _fit_one(x: sp.csr_matrix, y: np.ndarray, c: float, neg_keep: float, seed: int) -> tuple[np.ndarray, float]:
    rows = np.nonzero(y != IGNORE)[0]
    yy = y[rows]
    if yy.sum() == 0:
        return np.zeros(x.shape[1], dtype=np.float32), -8.0
    rng = np.random.default_rng(seed)
    keep = (yy == 1) | (rng.random(len(yy)) < neg_keep)
    rows, yy = rows[keep], yy[keep]
    model = LogisticRegression(C=c, solver="liblinear", max_iter=200, tol=1e-3)
    model.fit(x[rows], yy)
    # Undo negative subsampling in the intercept so probabilities stay calibrated.
    return model.coef_[0].astype(np.float32), float(model.intercept_[0] + np.log(neg_keep))


def fit_linear(x: sp.csr_matrix, y: np.ndarray, categories: list[str], *, c: float = 4.0,
               neg_keep: float = 0.25, workers: int | None = None) -> LinearModels:
    """One logistic model per category (columns of y), fitted in a small thread pool."""
    workers = workers or min(2, os.cpu_count() or 1)
    with ThreadPoolExecutor(workers) as pool:
        fits = list(pool.map(lambda j: _fit_one(x, y[:, j], c, neg_keep, j), range(len(categories))))
    coef = np.stack([f[0] for f in fits])
    intercept = np.array([f[1] for f in fits], dtype=np.float32)
    return LinearModels(coef, intercept, list(categories))
