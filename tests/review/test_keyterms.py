"""Key-term values for page one come from the library's value patterns."""

from __future__ import annotations

import pytest

from service.review.keyterms import extract_value


@pytest.mark.parametrize("clause_id,quote,value", [
    ("governing_law", "This Agreement shall be governed by the laws of the State of New York, "
     "without regard to its conflicts rules.", "New York"),
    ("renewal_term", "Thereafter it renews for successive one (1) year terms unless terminated.",
     "successive one (1) year terms"),
    ("notice_period_to_terminate_renewal", "either party may give notice of non-renewal at least "
     "ninety (90) days prior to the end of the then-current term.",
     "at least ninety (90) days prior to the end of the then-current term"),
    ("expiration_date", "The initial term of three (3) years begins on the Effective Date.",
     "initial term of three (3) years begins on the Effective Date"),
    ("effective_date", "effective as of January 1, 2026 (the \"Effective Date\")", "January 1, 2026"),
])
def test_values_are_extracted(library, clause_id, quote, value):
    assert extract_value(library.get(clause_id), quote) == value


def test_quote_is_the_fallback_value(library):
    quote = "The parties agree that this Agreement is governed by applicable law."
    assert extract_value(library.get("governing_law"), quote) == quote
