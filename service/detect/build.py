"""Build a Detector from CUAD-layout corpora and the clause library (used by train and CV)."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from service.detect.corpus import Contract, Corpus
from service.detect.features import (
    CueSet,
    FeatureSpace,
    UnitTable,
    build_units,
    hashed_blocks,
    snippet_table,
)
from service.detect.model import Detector
from service.detect.train import LinearModels, fit_linear, unit_labels
from service.library import ClauseLibrary

BACKGROUND_SENTENCES = 12000  # random CUAD sentences as negatives for library-only heads
EXEMPLAR_WEIGHT = 4.0  # library snippets (exemplars, near misses, peers' exemplars) count more
POSITIVE_SHARE = 0.2
LIBRARY_C = 2.0  # inverse regularisation of the library heads
PAYER_WEIGHT = 3.0  # weight of a payer train-split unit against a CUAD background sentence; chosen
# on payer train-split CV (69 contracts, same folds: 1.0 AUPR 0.834, 3.0 AUPR 0.841)
DENSE_WEIGHT = 2.0  # weight of the MiniLM block against the (unit-norm, weighted) sparse blocks;
# chosen on payer train-split cross-validation (1.0: recall 0.687, 2.0: 0.695 at 0.5)
Embed = Callable[[list[str]], np.ndarray]


@dataclass
class Prepared:
    """Units, raw hashed features and labels of a corpus (rows of all contracts stacked)."""

    contracts: list[Contract]
    tables: list[UnitTable]
    raw: dict[str, sp.csr_matrix]
    labels: np.ndarray  # (rows, len(categories)) int8
    categories: list[str]
    offsets: np.ndarray  # row offset of each contract, len = contracts + 1

    def rows(self, docs: Sequence[int]) -> np.ndarray:
        """Row indices of the given contracts."""
        parts = [np.arange(self.offsets[i], self.offsets[i + 1]) for i in docs]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def cue_set(library: ClauseLibrary | None) -> CueSet:
    """Library cue phrases and patterns per clause id."""
    if library is None:
        return CueSet()
    entries = library.entries.values()
    return CueSet({e.id: list(e.detection.cues) for e in entries},
                  {e.id: list(e.detection.patterns) for e in entries})


def prepare(corpus: Corpus, cues: CueSet, *, overlap_labels: bool = False) -> Prepared:
    """Split, featurise and label every contract of a corpus."""
    tables = [build_units(c.text, cues) for c in corpus.contracts]
    label_fn = overlap_unit_labels if overlap_labels else unit_labels
    labels = [label_fn(t, c, corpus.categories) for t, c in zip(tables, corpus.contracts, strict=True)]
    sizes = [len(t.units) for t in tables]
    y = np.vstack(labels) if labels else np.zeros((0, len(corpus.categories)), np.int8)
    return Prepared(corpus.contracts, tables, hashed_blocks(tables), y, list(corpus.categories),
                    np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64))


def overlap_unit_labels(table: UnitTable, contract: Contract, categories: Sequence[str]) -> np.ndarray:
    """Positive when at least half of a sentence unit lies inside a gold span (payer-style gold).

    A category the contract was never annotated for (an id outside its contract type's pack: no
    label line at all) is unknown there, not absent: its column is -1 (ignored), so a lease's
    rent-review sentence does not teach the employment compensation head that "may change the
    rates" is a negative.
    """
    y = np.zeros((len(table.units), len(categories)), dtype=np.int8)
    for j, cat in enumerate(categories):
        if cat not in contract.gold:
            y[:, j] = -1
            continue
        spans = sorted((g.start, g.end) for g in contract.gold[cat])
        starts = [s for s, _ in spans]
        for i, u in enumerate(table.units):
            k = bisect.bisect_right(starts, u.end)
            inside = sum(max(0, min(u.end, e) - max(u.start, s)) for s, e in spans[max(0, k - 3):k])
            if inside * 2 >= (u.end - u.start):
                y[i, j] = 1 if u.kind == "sentence" else -1
    return y


def library_targets(library: ClauseLibrary | None, categories: Sequence[str]) -> tuple[dict[str, str], list[str]]:
    """clause id -> model target; and the library ids that need a library-knowledge head.

    Commercial entries and key terms with a CUAD category use that category's head. A practice
    risk entry (home pack payer, employment, vendor or lease) always gets its own head, even when it maps to
    a CUAD category: CUAD's label for, say, Exclusivity is about commercial supply deals, not a
    payer's bar on joining other networks; that head learns from the category's CUAD positives
    *and* the practice exemplars and gold.
    """
    if library is None:
        return {}, []
    mapping, lib_only = {}, []
    for e in library.entries.values():
        cuad = e.cuad_category if e.cuad_category in categories else None
        practice = e.kind == "risk" and e.packs[0] != "commercial"  # first pack = home pack
        if cuad and not practice:
            mapping[e.id] = f"cuad:{cuad}"
        else:
            mapping[e.id] = f"lib:{e.id}"
            lib_only.append(e.id)
    return mapping, sorted(lib_only)


def _stack(parts: list[sp.csr_matrix]) -> sp.csr_matrix:
    return sp.vstack([p for p in parts if p.shape[0]], format="csr")


def fit_library_heads(space: FeatureSpace, library: ClauseLibrary, ids: list[str], cuad_x: sp.csr_matrix,
                      cuad_y: np.ndarray, categories: Sequence[str], background: np.ndarray,
                      payer: tuple[sp.csr_matrix, np.ndarray, list[str]] | None,
                      embed: Embed | None = None) -> LinearModels:
    """One head per library id: its exemplars (and its CUAD category's positives, if any) against
    its near-miss negatives, the snippets of entries sharing a pack with it, CUAD background
    sentences and the payer train contracts annotated for it.

    cuad_x / cuad_y: the CUAD rows these heads may use (background + category positives);
    background: positions of the background sentences among them.
    """
    cues = cue_set(library)
    snippets, owner, positive = [], [], []
    for e in library.entries.values():
        for text, pos in [(t, True) for t in e.detection.exemplars] + [(t, False) for t in e.detection.negatives]:
            snippets.append(text)
            owner.append(e.id)
            positive.append(pos)
    xs = None
    if snippets:
        table = snippet_table(snippets, cues)
        xs = space.transform(hashed_blocks([table]), space.dense(table.units, embed))
    owners, is_exemplar = np.array(owner), np.array(positive, dtype=bool)
    owner_packs = {o: set(library.entries[o].packs) for o in set(owner)}
    coefs, intercepts = [], []
    for cid in ids:
        cat = library.entries[cid].cuad_category
        col = cuad_y[:, list(categories).index(cat)] if cat and cat in categories else None
        bg = background if col is None else background[col[background] == 0]
        parts, ys, ws = [cuad_x[bg]], [np.zeros(len(bg))], [np.ones(len(bg))]
        if col is not None:
            pos_rows = np.nonzero(col == 1)[0]
            parts.append(cuad_x[pos_rows])
            ys.append(np.ones(len(pos_rows)))
            ws.append(np.ones(len(pos_rows)))
        if xs is not None:
            # Other entries' snippets are negatives only where both entries can be reviewed
            # together (a shared pack): an employer's "may change the call rates" exemplar is no
            # negative for a payer's unilateral rate change, which never meets it in a contract.
            packs = set(library.entries[cid].packs)
            mine = owners == cid
            peer = np.array([bool(packs & owner_packs[o]) for o in owner])
            use = mine | peer
            parts.append(xs[use])
            ys.append((mine & is_exemplar)[use].astype(float))
            ws.append(np.full(int(use.sum()), EXEMPLAR_WEIGHT))
        if payer is not None and cid in payer[2]:
            pcol = payer[1][:, payer[2].index(cid)]
            keep = pcol >= 0
            parts.append(payer[0][keep])
            ys.append((pcol[keep] == 1).astype(float))
            ws.append(np.full(int(keep.sum()), PAYER_WEIGHT))
        y, w = np.concatenate(ys), np.concatenate(ws)
        # Give the few positives a fixed share of the total weight, so a clause sentence scores
        # well above 0.5 rather than being drowned by thousands of background sentences.
        if y.sum() > 0:
            w[y == 1] *= max(1.0, POSITIVE_SHARE * w[y == 0].sum() / w[y == 1].sum())
        coef, icpt = _fit_weighted(_stack(parts), y, w)
        coefs.append(coef)
        intercepts.append(icpt)
    width = space.width
    coef_m = np.stack(coefs) if coefs else np.zeros((0, width), np.float32)
    return LinearModels(coef_m, np.array(intercepts, dtype=np.float32), [f"lib:{i}" for i in ids])


def _fit_weighted(x: sp.csr_matrix, y: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, float]:
    if y.sum() == 0:
        return np.zeros(x.shape[1], dtype=np.float32), -8.0
    model = LogisticRegression(C=LIBRARY_C, solver="liblinear", max_iter=300)
    model.fit(x, y, sample_weight=w)
    return model.coef_[0].astype(np.float32), float(model.intercept_[0])


def train_detector(cuad: Prepared, train_docs: Sequence[int], library: ClauseLibrary | None,
                   payer: Prepared | None = None, *, c: float = 4.0, seed: int = 0,
                   library_heads: bool = True, cuad_heads: bool = True,
                   embed: Embed | None = None, dense_weight: float = DENSE_WEIGHT) -> Detector:
    """Fit the feature space and all heads on the given CUAD contracts (+ payer train split).

    library_heads=False skips the library heads (CUAD cross-validation never scores them);
    cuad_heads=False skips the CUAD category heads (payer cross-validation scores only library
    heads), leaving ids that would use them unmodelled. `embed` (MiniLM sentence vectors) adds
    the dense block to the library heads; without it they use the sparse features only.
    """
    rows = cuad.rows(train_docs)
    raw_parts = {k: v[rows] for k, v in cuad.raw.items()}
    if payer is not None:
        raw_parts = {k: sp.vstack([v, payer.raw[k]], format="csr") for k, v in raw_parts.items()}
    use_dense = embed is not None and library_heads and dense_weight > 0
    space = FeatureSpace.fit(raw_parts, dense_weight=dense_weight if use_dense else 0.0)
    heads = []
    if cuad_heads:
        # CUAD heads see the sparse features only: their dense block is all zeros, so their
        # weights there are zero too.
        x = space.transform({k: v[rows] for k, v in cuad.raw.items()})
        heads.append(fit_linear(x, cuad.labels[rows], cuad.categories, c=c))
        heads[0].categories = [f"cuad:{cat}" for cat in cuad.categories]
    mapping, lib_ids = library_targets(library, cuad.categories)
    if library is not None and lib_ids and library_heads:
        units = [u for i in train_docs for u in cuad.tables[i].units]
        is_sentence = np.array([u.kind == "sentence" for u in units])
        rng = np.random.default_rng(seed)
        sentence_rows = np.nonzero(is_sentence)[0]
        pick = np.sort(rng.choice(sentence_rows, size=min(BACKGROUND_SENTENCES, len(sentence_rows)),
                                  replace=False))
        # CUAD positives of a mapped category: sentence units only (key-term units are a
        # different kind of span than a practice clause).
        y_cuad = np.where(is_sentence[:, None], cuad.labels[rows], 0)
        cats = [library.entries[i].cuad_category for i in lib_ids]
        mapped = [cuad.categories.index(c) for c in cats if c and c in cuad.categories]
        positives = np.nonzero((y_cuad[:, mapped] == 1).any(axis=1))[0] if mapped else np.zeros(0, int)
        need = np.union1d(pick, positives)
        x_lib = space.transform({k: v[rows[need]] for k, v in cuad.raw.items()},
                                space.dense([units[i] for i in need], embed))
        payer_xy = None
        if payer is not None:
            payer_units = [u for t in payer.tables for u in t.units]
            payer_xy = (space.transform(payer.raw, space.dense(payer_units, embed)),
                        payer.labels, payer.categories)
        heads.append(fit_library_heads(space, library, lib_ids, x_lib, y_cuad[need], cuad.categories,
                                       np.searchsorted(need, pick), payer_xy, embed))
    targets = {t for h in heads for t in h.categories}
    mapping = {k: v for k, v in mapping.items() if v in targets}
    manifest = {
        "schema": "clausewise.detector/v1",
        "library_version": library.version if library else None,
        "cuad_categories": cuad.categories,
        "trained_on": {"cuad_contracts": len(train_docs),
                       "payer_contracts": len(payer.contracts) if payer else 0,
                       "payer_ids": sorted(c.id for c in payer.contracts) if payer else []},
        "attribution": "Trained on CUAD v1 (The Atticus Project, CC BY 4.0, https://www.atticusprojectai.org/cuad).",
    }
    return Detector(space, np.vstack([h.coef for h in heads]),
                    np.concatenate([h.intercept for h in heads]),
                    [t for h in heads for t in h.categories], cue_set(library), mapping, manifest)
