"""The offline reviewer (default): trusts the detector's calibrated scores, no network."""

from __future__ import annotations

from service.backends.base import Judgement, ReviewContext
from service.settings import Settings


class OfflineReviewer:
    """Every candidate becomes a judgement scored by the offline detector."""

    name = "offline"

    def __init__(self, settings: Settings):
        self.settings = settings

    def judge(self, ctx: ReviewContext) -> list[Judgement]:
        """Candidates -> judgements; the pipeline applies the reporting threshold."""
        return [
            Judgement(clause_id=c.clause_id, present=True, score=c.score,
                      start=c.start, end=c.end, source="offline")
            for c in ctx.candidates
        ]
