"""The review pipeline end to end (offline): verified quotes, grading, key terms, cache, injection."""

from __future__ import annotations

import pytest

from service.detect.units import heading_prefix_length
from service.ingest import ingest_bytes
from service.library import get_library
from service.review.components import Components
from service.review.pipeline import ReviewOptions, review_document
from tests.review.factories import INJECTION, contract_pdf


@pytest.fixture(scope="module")
def comps_settings(tmp_path_factory, model_dir):
    from service.settings import Settings

    s = Settings(data_dir=tmp_path_factory.mktemp("data"), embedding_model_dir=model_dir)
    return Components.from_settings(s), s


def _review(comps_settings, data: bytes, **opts):
    comps, s = comps_settings
    doc = ingest_bytes(data, "contract.pdf", s)
    return doc, review_document(doc, s, ReviewOptions(**opts), components=comps)


def test_findings_are_verified_quotes_with_page_and_section(comps_settings):
    doc, result = _review(comps_settings, contract_pdf())
    assert result.document.contract_type == "payer"
    ids = {f.clause_id for f in result.findings}
    assert {"recoupment_offset_clawback", "unilateral_amendment_deemed_acceptance",
            "all_products_participation", "timely_filing_limit"} <= ids
    for f in result.findings:
        assert f.verified and doc.text[f.start:f.end] == f.quote
        assert f.page >= 1 and len(f.quote) < 1500  # the operative text, not a page
        if f.kind == "risk":  # ... without the inline section heading ("6.1 Amendment. ")
            assert heading_prefix_length(f.quote) == 0, f.quote
    recoup = next(f for f in result.findings if f.clause_id == "recoupment_offset_clawback")
    assert recoup.severity == "high" and recoup.section == "4.2"
    assert recoup.redline and recoup.redline.original == recoup.quote
    assert recoup.risk_signals  # reasons shown
    assert set(result.not_found).isdisjoint(ids)
    assert "governing_law" in result.key_terms and "Ohio" in result.key_terms["governing_law"].value


def test_second_review_reuses_embeddings(comps_settings):
    _, first = _review(comps_settings, contract_pdf() + b"\n% copy")
    _, second = _review(comps_settings, contract_pdf() + b"\n% copy")
    assert second.stats.embedded == 0 and second.stats.chunks == first.stats.chunks


def test_type_override_changes_the_library_pack(comps_settings):
    _, result = _review(comps_settings, contract_pdf(), contract_type="lease")
    assert result.document.contract_type == "lease"
    assert result.document.contract_type_detected == "payer"
    assert not any(f.clause_id == "recoupment_offset_clawback" for f in result.findings)


@pytest.mark.parametrize("hidden", [False, True])
def test_injected_instructions_change_nothing_and_are_flagged(comps_settings, hidden):
    _, clean = _review(comps_settings, contract_pdf())
    _doc, injected = _review(comps_settings, contract_pdf(INJECTION, hidden=hidden))
    key = lambda r: {(f.clause_id, " ".join(f.quote.split())) for f in r.findings  # noqa: E731
                     if f.clause_id != "embedded_instruction_text"}
    assert key(injected) == key(clean)
    flagged = [f for f in injected.findings if f.clause_id == "embedded_instruction_text"]
    assert flagged and "ignore previous instructions" in " ".join(flagged[0].quote.split())


def test_high_severity_entries_can_report_at_a_lower_threshold(comps_settings):
    comps, base = comps_settings
    doc = ingest_bytes(contract_pdf(), "contract.pdf", base)
    everything = review_document(doc, base, ReviewOptions(min_score=0.0), components=comps)
    library = get_library(base.library_dir)
    risks = [f for f in everything.findings if f.kind == "risk"]
    high = [f for f in risks if library.entries[f.clause_id].severity.default == "high"]
    assert high, "the sample clauses include high-severity entries"
    cut = max(f.score for f in risks) + 0.01  # nothing reaches the general threshold
    lowered = base.model_copy(update={"min_score": cut, "min_score_high": 0.0})
    shown = review_document(doc, lowered, components=comps).findings
    assert {f.clause_id for f in shown if f.kind == "risk"} == {f.clause_id for f in high}
    same = base.model_copy(update={"min_score": cut, "min_score_high": None})
    assert not [f for f in review_document(doc, same, components=comps).findings if f.kind == "risk"]
