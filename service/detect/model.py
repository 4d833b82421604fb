"""The offline clause detector: load artefacts, score units, return ranked clause spans."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from service.detect.features import (
    BLOCKS,
    CueSet,
    FeatureSpace,
    UnitTable,
    build_units,
    hashed_blocks,
)
from service.detect.rerank import RERANK_FILE, Reranker
from service.detect.spans import ScoredSpan, non_overlapping, ranked_spans
from service.detect.units import Unit
from service.errors import ClausewiseError
from service.records import Section

ARTIFACTS_DIR = Path(__file__).parent / "artifacts"
MANIFEST = "manifest.json"
WEIGHTS = "model.npz"


class DetectorError(ClausewiseError):
    code = "detector_unavailable"
    status = 500


@dataclass(frozen=True, slots=True)
class Detection:
    """One located clause: `text[start:end]` is the operative span; score in [0, 1]."""

    clause_id: str
    start: int
    end: int
    score: float
    unit_kind: str  # sentence | merged | date | party | title


@dataclass
class UnitScores:
    """Per-unit probabilities for candidate generation: rows follow `table.units`."""

    table: UnitTable
    targets: list[str]  # clause ids (or CUAD categories) in column order
    scores: np.ndarray  # (units, targets) float32


@dataclass
class Detector:
    """Linear heads over hashed TF-IDF features; targets are CUAD categories or library ids."""

    space: FeatureSpace
    coef: np.ndarray  # (targets, width)
    intercept: np.ndarray  # (targets,)
    targets: list[str]  # "cuad:<category>" or "lib:<clause id>"
    cues: CueSet
    clause_targets: dict[str, str]  # library clause id -> target
    manifest: dict
    # Sentence embedding function for the dense block (MiniLM, the model named in the manifest's
    # "embedding_model"); required when the feature space has one. Not saved.
    embed: Callable[[list[str]], np.ndarray] | None = None
    # Second stage over the library heads' scores (service/detect/rerank.py); None: scores as is.
    reranker: Reranker | None = None

    @classmethod
    def load(cls, artifacts_dir: Path | None = None) -> Detector:
        """Load artefacts written by `clausewise train` (default: the shipped ones)."""
        root = artifacts_dir or ARTIFACTS_DIR
        if not (root / MANIFEST).exists() or not (root / WEIGHTS).exists():
            raise DetectorError(f"no detector artefacts in {root}; run `clausewise train`")
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        with np.load(root / WEIGHTS) as z:
            space = FeatureSpace(
                {b: z[f"columns_{b}"] for b in BLOCKS}, {b: z[f"idf_{b}"] for b in BLOCKS},
                manifest["block_weights"], float(manifest.get("dense_weight", 0.0)),
            )
            coef = z["coef_q"].astype(np.float32) * z["coef_scale"][:, None]
            intercept = z["intercept"].astype(np.float32)
        cues = CueSet(manifest["cues"], manifest["patterns"])
        return cls(space, coef, intercept, manifest["targets"], cues, manifest["clause_targets"], manifest,
                   reranker=Reranker.load(root, manifest.get("reranker")))

    def save(self, root: Path) -> None:
        """Write model.npz (int8 weights, float16 IDF) and manifest.json."""
        root.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, np.ndarray] = {f"columns_{b}": self.space.columns[b] for b in BLOCKS}
        arrays |= {f"idf_{b}": self.space.idf[b].astype(np.float16) for b in BLOCKS}
        # int8 weights with one scale per target keep the shipped artefacts small (< 40 MB).
        scale = np.maximum(np.abs(self.coef).max(axis=1), 1e-12) / 127.0
        arrays |= {"coef_q": np.round(self.coef / scale[:, None]).astype(np.int8),
                   "coef_scale": scale.astype(np.float32), "intercept": self.intercept.astype(np.float32)}
        np.savez_compressed(root / WEIGHTS, allow_pickle=False, **arrays)
        manifest = dict(self.manifest, targets=self.targets, clause_targets=self.clause_targets,
                        cues=self.cues.cues, patterns=self.cues.patterns,
                        block_weights=self.space.weights, dense_weight=self.space.dense_weight,
                        reranker=self.reranker.info if self.reranker else None)
        if self.reranker is not None:
            self.reranker.save(root)
        else:
            (root / RERANK_FILE).unlink(missing_ok=True)  # never pair new heads with an old reranker
        (root / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")

    def target_of(self, clause_id: str) -> str | None:
        """Model row for a library clause id or a CUAD category name (None: not modelled)."""
        if clause_id in self.clause_targets:
            return self.clause_targets[clause_id]
        for prefix in ("cuad:", "lib:"):
            if prefix + clause_id in self.targets:
                return prefix + clause_id
        return None

    def unit_scores(self, text: str, clause_ids: Sequence[str], *,
                    sections: Sequence[Section] | None = None, rerank: bool = True) -> UnitScores:
        """Probability of every candidate unit for every known clause id (unknown ids skipped).

        rerank=False returns the heads' own scores (what the reranker is trained on).
        """
        table = build_units(text, self.cues, sections)
        known = [c for c in clause_ids if self.target_of(c) is not None]
        if not table.units or not known:
            return UnitScores(table, known, np.zeros((len(table.units), len(known)), np.float32))
        # Only library heads read the dense block: CUAD categories alone need no embeddings.
        heads = set(self.library_heads(known))
        lib = [j for j, c in enumerate(known) if c in heads]
        dense = self.dense(table.units) if lib else None
        scores = self.score_raw(hashed_blocks([table]), known, dense)
        if rerank and self.reranker is not None and lib:
            scores[:, lib] = self.reranker.rescore(table.units, scores[:, lib])
        return UnitScores(table, known, scores)

    def library_heads(self, clause_ids: Sequence[str]) -> list[str]:
        """The ids among `clause_ids` that have a library head (the ones the reranker rescores)."""
        return [c for c in clause_ids if (self.target_of(c) or "").startswith("lib:")]

    @property
    def needs_embeddings(self) -> bool:
        return self.space.dense_weight > 0

    def dense(self, units: Sequence[Unit]) -> np.ndarray | None:
        """The dense block for these units (None when the model has none)."""
        if self.needs_embeddings and self.embed is None:
            raise DetectorError("this detector uses sentence embeddings "
                                f"({self.manifest.get('embedding_model')}); give it an embedding function")
        return self.space.dense(units, self.embed)

    def score_raw(self, raw: dict[str, sp.csr_matrix], clause_ids: Sequence[str],
                  dense: np.ndarray | None = None) -> np.ndarray:
        """Probabilities (rows x clause ids) from raw hashed feature blocks (+ dense block) of units."""
        rows = [self.targets.index(self.target_of(c) or "") for c in clause_ids]
        x = self.space.transform(raw, dense)
        z = np.asarray(x @ self.coef[rows].T) + self.intercept[rows][None, :]
        return (1.0 / (1.0 + np.exp(-z))).astype(np.float32)

    def ranked(self, text: str, clause_ids: Sequence[str], *, top_k: int = 20,
               sections: Sequence[Section] | None = None) -> dict[str, list[ScoredSpan]]:
        """Ranked (possibly overlapping) spans per clause id, as used for CUAD predictions."""
        us = self.unit_scores(text, clause_ids, sections=sections)
        return {cid: ranked_spans(text, us.table.units, us.scores[:, j], top_k=top_k)
                for j, cid in enumerate(us.targets)}

    def detect(self, text: str, clause_ids: Sequence[str], *, sections: Sequence[Section] | None = None,
               max_per_clause: int = 3, min_score: float = 0.05) -> list[Detection]:
        """Non-overlapping top spans per clause id with score >= min_score, best first.

        `sections` (from the segmenter, spans into `text`) supply heading context when given.
        """
        out = []
        # Twice as many ranked spans as locations: merged runs overlap the units they join.
        for cid, spans in self.ranked(text, clause_ids, top_k=2 * max_per_clause, sections=sections).items():
            for s in non_overlapping([s for s in spans if s.score >= min_score], max_per_clause):
                out.append(Detection(cid, s.start, s.end, round(s.score, 6), s.kind))
        return sorted(out, key=lambda d: -d.score)
