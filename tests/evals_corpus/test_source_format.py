"""The source parser: offsets, trimming, and every format violation it must reject."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from corpus_build.source import SourceError, parse_source


def test_labels_index_the_stripped_text(write_source: Callable[..., Path]) -> None:
    body = ("# <<document_name>>PROVIDER AGREEMENT<</document_name>>\n\n"
            "## 1. PAYMENT\n\n"
            "1.1 <<lesser_of_billed_charges>> Plan pays the lesser of charges or the rate. "
            "<</lesser_of_billed_charges>>Other text.\n")
    c = parse_source(write_source(body))
    assert "<<" not in c.text and "## " not in c.text
    got = {s.category: c.text[s.start:s.end] for s in c.spans}
    assert got == {"document_name": "PROVIDER AGREEMENT",
                   "lesser_of_billed_charges": "Plan pays the lesser of charges or the rate."}


def test_overlapping_different_ids_are_allowed(write_source: Callable[..., Path]) -> None:
    body = "<<renewal_term>>Renews yearly <<evergreen_term_rate_lock>>at the same rates<</renewal_term>> forever.<</evergreen_term_rate_lock>>\n"
    c = parse_source(write_source(body))
    spans = {s.category: c.text[s.start:s.end] for s in c.spans}
    assert spans["renewal_term"] == "Renews yearly at the same rates"
    assert spans["evergreen_term_rate_lock"] == "at the same rates forever."


def test_rate_table_expands_deterministically(write_source: Callable[..., Path]) -> None:
    body = "<<rate-table seed=4 rows=10 specialty=ophthalmology>>\n"
    first = parse_source(write_source(body))
    second = parse_source(write_source(body))
    table = next(b for b in first.blocks if b.kind == "table")
    assert table.rows[0][0] == "Code" and len(table.rows) > 10
    assert first.text == second.text and "% of Medicare" in first.text


def test_scanned_spans_are_flagged(write_source: Callable[..., Path]) -> None:
    body = "Intro.\n\n<<scanned>>\n<<timely_filing_limit>>File in 90 days.<</timely_filing_limit>>\n<</scanned>>\n"
    (span,) = parse_source(write_source(body)).spans
    assert span.scanned


@pytest.mark.parametrize("body, message", [
    ("<<recoupment_offset_clawback>>Plan may offset.\n", "never closed"),
    ("Plan may offset.<</recoupment_offset_clawback>>\n", "closes nothing"),
    ("<<parties>>A <<parties>>B<</parties>><</parties>>\n", "opened twice"),
    ("Text <<page-break>> more text\n", "own line"),
    ("<<scanned>>\nNo end.\n", "never closed"),
    ("<<rate-table seed=1 rows=5 specialty=dentistry>>\n", "specialty"),
    ("<<parties>>A\n\n<<scanned>>\nB<</parties>>\n<</scanned>>\n", "straddles"),
])
def test_format_violations_fail(write_source: Callable[..., Path], body: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_source(write_source(body))


def test_contract_id_must_match_file_name(write_source: Callable[..., Path], tmp_path: Path) -> None:
    path = write_source("Text.\n")
    other = path.with_name("other_name.txt")
    path.rename(other)
    with pytest.raises(SourceError, match="file name"):
        parse_source(other)
