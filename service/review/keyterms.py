"""Key terms for page one (parties, dates, renewal, notice, governing law) from findings."""

from __future__ import annotations

import re

from service.library.schema import ClauseEntry
from service.records import Finding, KeyTerm

MAX_VALUE = 240
MAX_VALUES = 6


def extract_value(entry: ClauseEntry, quote: str) -> str:
    """The entry's value_pattern group if it matches, else the (shortened) quote."""
    if entry.value_pattern:
        m = re.search(entry.value_pattern, quote, re.I | re.S)
        if m and m.group("value"):
            return " ".join(m.group("value").split())
    value = " ".join(quote.split())
    return value if len(value) <= MAX_VALUE else value[: MAX_VALUE - 1] + "…"


def key_terms(findings: list[Finding], entries: dict[str, ClauseEntry]) -> dict[str, KeyTerm]:
    """Best-scoring key-term finding per id (earliest on ties) as a KeyTerm."""
    best: dict[str, Finding] = {}
    for f in findings:
        if f.kind != "key_term":
            continue
        cur = best.get(f.clause_id)
        if cur is None or (f.score, -f.start) > (cur.score, -cur.start):
            best[f.clause_id] = f
    out = {
        cid: KeyTerm(clause_id=cid, label=entries[cid].title,
                     value=extract_value(entries[cid], f.quote),
                     quote=f.quote, start=f.start, end=f.end, page=f.page)
        for cid, f in best.items()
    }
    for cid, term in out.items():
        if entries[cid].multi_value:  # e.g. parties: every instance, in order of appearance
            found = [f for f in sorted(findings, key=lambda f: f.start) if f.clause_id == cid]
            distinct = list(dict.fromkeys(" ".join(f.quote.split()) for f in found))
            out[cid] = term.model_copy(update={"value": "; ".join(distinct[:MAX_VALUES])})
    return out
