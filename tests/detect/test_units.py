"""Units and key-term candidates are exact substrings of the raw contract text."""

from __future__ import annotations

from service.detect.candidates import key_term_candidates
from service.detect.units import is_heading, split_sentences

TEXT = (
    "EXCLUSIVE DISTRIBUTION AGREEMENT     This Agreement is made on the 8th day of May, 2014 by and "
    "between Acme Holdings Inc. (\"Acme\") and Beta Labs LLC (\"Beta\").   1. Term.  The term of "
    "this Agreement is two (2) years, e.g. until May 8, 2016. It renews automatically.\n\n"
    "12.   GOVERNING LAW\nThis Agreement shall be governed by the laws of the State of New York; "
    "venue lies in New York County.\n"
)


def test_sentences_are_exact_substrings_and_split_sensibly() -> None:
    units = split_sentences(TEXT)
    assert all(TEXT[u.start:u.end] == u.text for u in units)
    texts = [u.text for u in units]
    assert "EXCLUSIVE DISTRIBUTION AGREEMENT" in texts
    assert "It renews automatically." in texts
    # abbreviations ("Inc.", "e.g.") and section numbers do not end sentences
    assert any(t.startswith("This Agreement is made") and t.endswith('("Beta").') for t in texts)
    assert any("e.g. until May 8, 2016." in t for t in texts)
    assert "GOVERNING LAW" in texts
    assert is_heading("12.   GOVERNING LAW")


def test_key_term_candidates_find_values() -> None:
    sents = split_sentences(TEXT)
    cands = key_term_candidates(TEXT, sents)
    assert all(TEXT[c.start:c.end] == c.text for c in cands)
    by_kind = {(c.kind, c.text) for c in cands}
    assert ("date", "8th day of May, 2014") in by_kind
    assert ("date", "May 8, 2016") in by_kind
    assert ("party", "Acme Holdings Inc.") in by_kind
    assert ("party", "Beta") in by_kind
    # the title is already a sentence unit, so it is not duplicated as a candidate
    assert not any(c.text == "EXCLUSIVE DISTRIBUTION AGREEMENT" for c in cands)
