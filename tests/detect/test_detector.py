"""A detector trained on a tiny corpus finds governing-law sentences; artefacts round-trip."""

from __future__ import annotations

from pathlib import Path

from service.detect.model import Detector

CONTRACT = (
    "MASTER SERVICES AGREEMENT\n\n1. Services.\nVendor shall perform the services described in each "
    "statement of work. Each invoice shall be paid within thirty (30) days after receipt.\n\n"
    "14. GOVERNING LAW\nThis Agreement shall be governed by and construed in accordance with the laws "
    "of the State of Vermont. All notices shall be in writing.\n"
)


def test_tiny_detector_finds_governing_law_sentence(tiny_detector: Detector) -> None:
    det = tiny_detector
    found = det.detect(CONTRACT, ["Governing Law"])
    assert found, "no governing-law finding"
    best = found[0]
    assert CONTRACT[best.start:best.end].startswith("This Agreement shall be governed by")
    assert CONTRACT[best.start:best.end].endswith("State of Vermont.")
    assert 0.0 <= best.score <= 1.0
    # an invoice sentence scores lower than the governing-law sentence
    us = det.unit_scores(CONTRACT, ["Governing Law"])
    texts = [u.text for u in us.table.units]
    gov = texts.index(CONTRACT[best.start:best.end])
    inv = next(i for i, t in enumerate(texts) if t.startswith("Each invoice"))
    assert us.scores[gov, 0] > us.scores[inv, 0]


def test_artefacts_round_trip(tiny_detector: Detector, tmp_path: Path) -> None:
    det = tiny_detector
    det.save(tmp_path / "art")
    loaded = Detector.load(tmp_path / "art")
    a = det.detect(CONTRACT, ["Governing Law", "Anti-Assignment"])
    b = loaded.detect(CONTRACT, ["Governing Law", "Anti-Assignment"])
    assert [(d.clause_id, d.start, d.end) for d in a] == [(d.clause_id, d.start, d.end) for d in b]
    assert loaded.manifest["schema"] == "clausewise.detector/v1"


def test_unknown_clause_ids_are_skipped(tiny_detector: Detector) -> None:
    assert tiny_detector.detect(CONTRACT, ["no_such_clause"]) == []


def test_segmenter_section_titles_give_heading_context(tiny_detector: Detector) -> None:
    from service.records import Section

    text = "1. Miscellaneous\nThe laws of the State of Vermont apply to this Agreement.\n"
    start = text.index("The laws")
    plain = tiny_detector.unit_scores(text, ["Governing Law"])
    sec = Section(index=0, number="12", title="GOVERNING LAW", start=0, end=len(text), page_start=1, page_end=1)
    titled = tiny_detector.unit_scores(text, ["Governing Law"], sections=[sec])
    row = next(i for i, u in enumerate(plain.table.units) if u.start == start)
    assert titled.scores[row, 0] > plain.scores[row, 0]
