"""Risk grading of one clause instance from the library entry's risk signals."""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.library.schema import ClauseEntry, RiskSignal

LEVELS = ("low", "medium", "high")


@dataclass(frozen=True)
class Grade:
    severity: str
    fired: list[RiskSignal]

    @property
    def reasons(self) -> list[str]:
        """Human-readable reasons, worse first."""
        ordered = sorted(self.fired, key=lambda s: (s.effect != "worse", -s.weight))
        return [f"{'▲' if s.effect == 'worse' else '▼'} {s.label}: {s.explanation}" for s in ordered]


def fired_signals(entry: ClauseEntry, clause_text: str) -> list[RiskSignal]:
    """Signals whose pattern is present (or absent, for `when: absent`) in the clause text."""
    fired = []
    for signal in entry.risk_signals:
        found = re.search(signal.pattern, clause_text, re.I) is not None
        if found == (signal.when == "present"):
            fired.append(signal)
    return fired


def grade(entry: ClauseEntry, clause_text: str) -> Grade:
    """Move the default severity one level per 2 points of net signal weight (max two levels)."""
    fired = fired_signals(entry, clause_text)
    delta = sum(s.weight if s.effect == "worse" else -s.weight for s in fired)
    steps = max(-2, min(2, int(delta / 2)))
    base = LEVELS.index(entry.severity.default)
    return Grade(severity=LEVELS[max(0, min(2, base + steps))], fired=fired)
