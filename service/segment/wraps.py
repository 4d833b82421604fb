"""PDF text breaks at every printed line; join the soft wraps without moving any offset."""

from __future__ import annotations

import re

from service.records import Document

# A line break is a soft wrap (PDF extraction) when the line runs on into lower-case text or a
# continuation, not when it ends a sentence or the next line starts a numbered clause/heading.
SOFT_WRAP = re.compile(r"(?<=[^\s.:;!?])\n(?=[ \t]*(?:[a-z(\"“'$%&,-]|[A-Z][a-z]+\b(?![.)])))")
NUMBERED = re.compile(r"\n[ \t]*(?:\(?[0-9ivxA-Za-z]{1,4}[.)]|(?:ARTICLE|Article|Section|SECTION|"
                      r"Exhibit|EXHIBIT|Schedule|SCHEDULE)\b|[0-9]+(?:\.[0-9]+)+)")


def soften_wraps(text: str) -> str:
    """Replace soft line wraps with spaces (same length: every offset stays valid)."""
    chars = list(text)
    for m in SOFT_WRAP.finditer(text):
        if not NUMBERED.match(text, m.start()):
            chars[m.start()] = " "
    return "".join(chars)


def unwrapped_text(doc: Document) -> str:
    """Document.text with PDF soft wraps joined (same length); other formats unchanged."""
    return soften_wraps(doc.text) if doc.media_type == "application/pdf" else doc.text
