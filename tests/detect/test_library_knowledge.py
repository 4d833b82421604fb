"""Library-only clause ids (no CUAD data) are detected from library knowledge + payer train split."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.detect.fit import load_payer_train
from service.detect.model import ARTIFACTS_DIR, Detector, DetectorError
from service.errors import InputError
from service.library import load_library
from service.review.components import Components
from service.settings import REPO_ROOT

PAYER_TEXT = (
    "ARTICLE 7 - COMPENSATION. 7.1 Plan shall pay Provider for Covered Services in accordance with "
    "the Fee Schedule. 7.2 Overpayments. If Plan determines that it has overpaid Provider, Plan may "
    "recover the overpayment by offsetting the amount against any current or future payments due to "
    "Provider under any Health Benefit Plan. 7.3 Provider shall maintain an office in the Service Area."
)


@pytest.mark.skipif(not (ARTIFACTS_DIR / "manifest.json").exists(), reason="no shipped artefacts")
def test_shipped_detector_finds_recoupment_in_payer_paragraph(settings) -> None:
    library = load_library(REPO_ROOT / "clause_library")
    if "recoupment_offset_clawback" not in library.entries:
        pytest.skip("library entry recoupment_offset_clawback not written yet")
    det = Components.from_settings(settings).detector  # wired to the installed MiniLM
    found = det.detect(PAYER_TEXT, ["recoupment_offset_clawback"], max_per_clause=1)
    assert found
    quote = PAYER_TEXT[found[0].start:found[0].end]
    assert quote.startswith("If Plan determines that it has overpaid Provider")
    scores = det.unit_scores(PAYER_TEXT, ["recoupment_offset_clawback"])
    office = next(i for i, u in enumerate(scores.table.units) if "office" in u.text)
    assert scores.scores[office, 0] < found[0].score


def _payer_dir(root: Path, with_manifest: bool = True) -> Path:
    (root / "contracts").mkdir(parents=True)
    rows, manifest = [], []
    for cid, split in [("tr01", "train"), ("te01", "test")]:
        (root / "contracts" / f"{cid}.txt").write_text("Plan may offset overpayments.", encoding="utf-8")
        rows.append({"contract_id": cid, "category": "recoupment_offset_clawback", "has_answer": True,
                     "gold_spans": [{"start": 0, "end": 29, "text": "Plan may offset overpayments."}]})
        manifest.append({"contract_id": cid, "split": split})
    (root / "labels.jsonl").write_text("\n".join(map(json.dumps, rows)), encoding="utf-8")
    if with_manifest:
        (root / "manifest.jsonl").write_text("\n".join(map(json.dumps, manifest)), encoding="utf-8")
    return root


def test_payer_loader_never_returns_the_test_split(tmp_path: Path) -> None:
    corpus = load_payer_train(_payer_dir(tmp_path / "payer"))
    assert corpus is not None
    assert [c.id for c in corpus.contracts] == ["tr01"]


def test_payer_loader_refuses_a_corpus_without_split_manifest(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        load_payer_train(_payer_dir(tmp_path / "payer", with_manifest=False))


@pytest.mark.skipif(not (ARTIFACTS_DIR / "manifest.json").exists(), reason="no shipped artefacts")
def test_shipped_detector_without_embeddings_says_so() -> None:
    det = Detector.load()
    if not det.needs_embeddings:
        pytest.skip("shipped detector has no dense block")
    with pytest.raises(DetectorError, match="embeddings"):
        det.detect(PAYER_TEXT, ["recoupment_offset_clawback"])
    # CUAD category heads need no embeddings (the CUAD evaluation runs without the model).
    assert det.unit_scores(PAYER_TEXT, ["Governing Law"]).scores.shape[1] == 1


def test_ids_outside_a_contracts_pack_are_unknown_not_negative() -> None:
    """A lease was never annotated for employment ids: its rows must not train them as negatives."""
    from service.detect.build import overlap_unit_labels
    from service.detect.corpus import Contract, GoldSpan
    from service.detect.features import build_units

    text = "Landlord may change the rent each year. Tenant shall keep the Premises clean."
    lease = Contract("tr_lease", text, {"lease_fmv_referral_source_compliance":
                                        [GoldSpan(0, 39, text[:39])], "governing_law": []})
    cats = ["lease_fmv_referral_source_compliance", "governing_law", "emp_compensation_unilateral_change"]
    table = build_units(text)
    y = overlap_unit_labels(table, lease, cats)
    rent = next(i for i, u in enumerate(table.units) if u.text.startswith("Landlord"))
    clean = next(i for i, u in enumerate(table.units) if u.text.startswith("Tenant"))
    assert (y[rent, 0], y[clean, 0]) == (1, 0)  # annotated id: positive and negative rows
    assert (y[rent, 1], y[clean, 1]) == (0, 0)  # annotated, absent: every row is a negative
    assert (y[:, 2] == -1).all()  # never annotated here: ignored
