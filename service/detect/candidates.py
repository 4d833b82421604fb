"""Short key-term candidate spans (dates, party names, document titles), CUAD-style values."""

from __future__ import annotations

import re

from service.detect.units import Unit

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DAY = r"(?:[0-3]?\d|_+|\[[^\]]{0,8}\])\s?(?:st|nd|rd|th|t\s?h)?"
_YEAR = r"(?:(?:19|20)\d\d|(?:19|20)\d?_+|\[[^\]]{0,8}\]|_{2,})"
_DATE = re.compile(
    rf"\b{_DAY}\s+day\s+of\s+{_MONTH},?\s+{_YEAR}"  # 8th day of May, 2014
    rf"|\b{_MONTH}\s+(?:{_DAY}\s*)?,?\s*{_YEAR}"  # May 8, 2014 / June , 2010
    rf"|\b{_DAY}\s+{_MONTH},?\s+{_YEAR}"  # 1 August 2019
    r"|\b[01]?\d/[0-3]?\d/(?:19|20)?\d\d\b",  # 7/1/98
    re.I,
)
_SUFFIX = (r"(?:Inc|Incorporated|LLC|L\.L\.C|Ltd|Limited|Corporation|Corp|Company|Co|AG|AB|"
           r"S\.A|SA|N\.V|B\.V|GmbH|plc|PLC|L\.P|LP|LLP|Pty|Trust|Bank|University|Partners)\.?")
_ENTITY = re.compile(
    rf"\b(?:[A-Z0-9][\w&'\-.]*[ ,]{{1,2}}){{0,6}}{_SUFFIX}(?=[\s,;)(\"]|$)(?:\s?\((?:publ)\))?"
)
_ALIAS = re.compile(r"\(\s*(?:the\s+|each\s+a\s+|collectively[, ]+(?:the\s+)?|hereinafter(?:\s+referred\s+to\s+as)?\s*(?:the\s+)?)?[\"\u201c]([^\"\u201d]{2,60})[\"\u201d]\s*\)", re.I)
_TITLE = re.compile(
    r"\b(?:[A-Z][\w\-&/]*[ ,]{1,2}(?:and[ ]|of[ ]|to[ ]|[A-Z][\w\-&/]*[ ,]{1,2}){0,8}?)?"
    r"(?:AGREEMENT|Agreement|CONTRACT|Contract|AMENDMENT|Amendment|LICENSE|License|LEASE|Lease)"
    r"(?:\s+(?:No\.|Number)\s*\S+)?"
)
_PREAMBLE_CHARS = 4000


def _spans(text: str, pattern: re.Pattern, lo: int, hi: int, kind: str, group: int = 0) -> list[Unit]:
    out = []
    for m in pattern.finditer(text, lo, hi):
        s, e = m.span(group)
        while e > s and text[e - 1] in " ,;":
            e -= 1
        if e - s >= 2:
            out.append(Unit(s, e, text[s:e], kind))
    return out


def key_term_candidates(text: str, sentences: list[Unit]) -> list[Unit]:
    """Date, party and title candidates; parties/titles only near the start of the document."""
    head = min(len(text), _PREAMBLE_CHARS)
    cands = _spans(text, _DATE, 0, len(text), "date")
    cands += _spans(text, _ENTITY, 0, head, "party")
    cands += _spans(text, _ALIAS, 0, head, "party", group=1)
    cands += _spans(text, _TITLE, 0, head, "title")
    # Signature blocks repeat party names: entity names in the last 15% of the text.
    tail = int(len(text) * 0.85)
    cands += _spans(text, _ENTITY, tail, len(text), "party")
    seen: set[tuple[int, int]] = {(u.start, u.end) for u in sentences}
    out = []
    for c in cands:
        if (c.start, c.end) not in seen:
            seen.add((c.start, c.end))
            out.append(c)
    return out
