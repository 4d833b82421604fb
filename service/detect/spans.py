"""Turn per-unit scores into ranked spans: top units plus merged runs of adjacent sentences."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from service.detect.units import Unit

MERGE_DISCOUNT = 0.85  # a merged run is only as good as its weaker sentence, slightly less


@dataclass(frozen=True, slots=True)
class ScoredSpan:
    start: int
    end: int
    score: float
    kind: str


def ranked_spans(text: str, units: list[Unit], scores: np.ndarray, *, top_k: int = 20,
                 merge: bool = True) -> list[ScoredSpan]:
    """Best `top_k` spans for one target; overlapping spans allowed (CUAD evaluation form)."""
    order = np.argsort(-scores, kind="stable")[: top_k]
    spans = [ScoredSpan(units[i].start, units[i].end, float(scores[i]), units[i].kind) for i in order]
    if merge:
        spans += _merged_runs(units, scores, set(order.tolist()))
    spans.sort(key=lambda s: -s.score)
    return spans[: top_k + top_k // 2]


def _merged_runs(units: list[Unit], scores: np.ndarray, chosen: set[int]) -> list[ScoredSpan]:
    """Adjacent sentence pairs and triples among the chosen units (annotators mark whole clauses)."""
    sent = [i for i in range(len(units)) if units[i].kind == "sentence"]
    pos = {i: k for k, i in enumerate(sent)}
    seen: set[tuple[int, int]] = set()
    out = []
    for i in chosen:
        if i not in pos:
            continue
        for length in (2, 3):
            for first in range(max(0, pos[i] - length + 1), pos[i] + 1):
                run = sent[first: first + length]
                if len(run) < length or (first, length) in seen:
                    continue
                seen.add((first, length))
                low = min(float(scores[j]) for j in run)
                out.append(ScoredSpan(units[run[0]].start, units[run[-1]].end,
                                      low * MERGE_DISCOUNT ** (length - 1), "merged"))
    return out


def non_overlapping(spans: list[ScoredSpan], limit: int) -> list[ScoredSpan]:
    """Greedy best-first selection of spans that do not overlap (runtime findings)."""
    picked: list[ScoredSpan] = []
    for s in sorted(spans, key=lambda s: -s.score):
        if all(s.end <= p.start or s.start >= p.end for p in picked):
            picked.append(s)
            if len(picked) >= limit:
                break
    return picked
