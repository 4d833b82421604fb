"""Redline proposals: replace the risky operative text with the library's fallback language."""

from __future__ import annotations

from service.library.schema import ClauseEntry
from service.records import Redline


def ladder_lines(entry: ClauseEntry) -> list[str]:
    """The fallback ladder as labelled lines for reports."""
    ladder = entry.fallback_ladder
    if ladder is None:
        return []
    return [
        f"Preferred: {ladder.preferred}",
        f"Acceptable fallback: {ladder.acceptable}",
        f"Walk away: {ladder.walk_away}",
    ]


def propose(entry: ClauseEntry, original: str, severity: str) -> Redline | None:
    """Offline proposal: the preferred language for high risk, the acceptable one otherwise."""
    ladder = entry.fallback_ladder
    if entry.kind != "risk" or ladder is None:
        return None
    proposed = ladder.preferred if severity == "high" else ladder.acceptable
    return Redline(original=original, proposed=proposed.strip())
