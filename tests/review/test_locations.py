"""Several locations of one clause type: best non-overlapping ones, up to MAX_LOCATIONS."""

from __future__ import annotations

from service.records import Finding
from service.review.findings import MAX_LOCATIONS, dedupe


def _finding(clause_id: str, start: int, end: int, score: float) -> Finding:
    return Finding(clause_id=clause_id, title=clause_id, kind="risk", category="payment",
                   severity="medium", score=score, page=1, quote="x" * (end - start), start=start,
                   end=end, verified=True, rationale="")


def test_keeps_every_location_up_to_the_limit_best_first() -> None:
    many = [_finding("lesser_of_billed_charges", 100 * i, 100 * i + 50, 0.3 + i / 100)
            for i in range(MAX_LOCATIONS + 3)]
    kept = dedupe([*many, _finding("timely_filing_limit", 5000, 5050, 0.4)])
    lesser = [f for f in kept if f.clause_id == "lesser_of_billed_charges"]
    assert len(lesser) == MAX_LOCATIONS
    # The three weakest locations are the ones dropped.
    assert min(f.score for f in lesser) > max(f.score for f in many[:3])
    assert any(f.clause_id == "timely_filing_limit" for f in kept)  # other ids are not affected
    assert [f.start for f in kept] == sorted(f.start for f in kept)  # document order


def test_overlapping_findings_of_one_id_collapse_to_the_best() -> None:
    kept = dedupe([_finding("recoupment_offset_clawback", 0, 80, 0.6),
                   _finding("recoupment_offset_clawback", 40, 120, 0.9),
                   _finding("post_payment_audit_extrapolation", 40, 120, 0.5)])
    assert sorted((f.clause_id, f.score) for f in kept) == [("post_payment_audit_extrapolation", 0.5),
                                                            ("recoupment_offset_clawback", 0.9)]
