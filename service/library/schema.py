"""Clause library schema: YAML entries validated strictly (unknown fields fail)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Pack = Literal["payer", "employment", "vendor", "lease", "commercial"]
Kind = Literal["risk", "key_term"]
Direction = Literal[
    "payer_favorable",  # drafted for the insurer / health plan against the practice
    "provider_favorable",  # favours the practice (mirror terms; never propose the illegal side)
    "counterparty_favorable",  # favours the other side in non-payer contracts (employer, vendor, landlord, licensor)
    "mutual",
    "neutral",  # informational (key terms)
]
Severity = Literal["high", "medium", "low"]
ID_RE = re.compile(r"^[a-z][a-z0-9_]{2,63}$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SeverityDefault(Strict):
    default: Severity
    reason: str = Field(min_length=20)


class RiskSignal(Strict):
    """A feature of one instance that makes it worse or milder than the default severity."""

    id: str
    label: str  # short, shown to lawyers: "No look-back limit"
    effect: Literal["worse", "milder"]
    weight: int = Field(default=1, ge=1, le=3)
    # Python regex (case-insensitive) searched in the clause text. With `when: absent` the
    # signal fires when the pattern is NOT found (e.g. no time limit anywhere in the clause).
    pattern: str
    when: Literal["present", "absent"] = "present"
    explanation: str = Field(min_length=10)

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, v: str) -> str:
        re.compile(v, re.I)
        return v


class Detection(Strict):
    cues: list[str] = Field(min_length=2)  # literal phrases, case-insensitive
    patterns: list[str] = Field(default_factory=list)  # Python regexes, case-insensitive
    queries: list[str] = Field(default_factory=list)  # retrieval queries for the vector index
    exemplars: list[str] = Field(default_factory=list)  # realistic clause text that IS this type
    negatives: list[str] = Field(default_factory=list)  # near misses that are NOT this type

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, v: list[str]) -> list[str]:
        for p in v:
            re.compile(p, re.I)
        return v


class FallbackLadder(Strict):
    preferred: str = Field(min_length=40)  # clause language favourable to the practice
    acceptable: str = Field(min_length=40)  # a compromise a lawyer could accept
    walk_away: str = Field(min_length=20)  # the trigger at which the practice should not sign


class MustHave(Strict):
    """One line of the report's walk-away checklist."""

    label: str
    met_when: Literal["absent", "pattern"]  # absent: clause not in the contract; pattern: found in it
    pattern: str | None = None

    @model_validator(mode="after")
    def _pattern_needed(self) -> MustHave:
        if self.met_when == "pattern":
            if not self.pattern:
                raise ValueError("met_when: pattern needs a pattern")
            re.compile(self.pattern, re.I)
        return self


class Reference(Strict):
    title: str
    url: str = Field(pattern=r"^https?://")
    note: str | None = None


class ClauseEntry(Strict):
    id: str
    title: str
    kind: Kind
    packs: list[Pack] = Field(min_length=1)  # the first is the entry's home pack
    category: str
    direction: Direction
    severity: SeverityDefault
    cuad_category: str | None = None
    description: str = Field(min_length=30)
    why_it_matters: str = Field(min_length=30)
    detection: Detection
    risk_signals: list[RiskSignal] = Field(default_factory=list)
    fallback_ladder: FallbackLadder | None = None
    talking_points: list[str] = Field(default_factory=list)
    must_have: MustHave | None = None
    references: list[Reference] = Field(default_factory=list)
    # key terms: regex with a named group `value` that extracts the value from the quote
    value_pattern: str | None = None
    # key terms with several values (parties): page one lists every instance, in order
    multi_value: bool = False

    @field_validator("value_pattern")
    @classmethod
    def _value_group(cls, v: str | None) -> str | None:
        if v is not None and "value" not in re.compile(v, re.I).groupindex:
            raise ValueError("value_pattern needs a named group (?P<value>...)")
        return v

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        if not ID_RE.match(v):
            raise ValueError(f"id {v!r} must be snake_case, 3-64 chars")
        return v

    @model_validator(mode="after")
    def _risk_entries_complete(self) -> ClauseEntry:
        if self.kind == "risk":
            d = self.detection
            missing = []
            if len(d.exemplars) < 4:
                missing.append("at least 4 exemplars")
            if len(d.negatives) < 2:
                missing.append("at least 2 negatives")
            if self.fallback_ladder is None:
                missing.append("fallback_ladder")
            if not self.talking_points:
                missing.append("talking_points")
            if not self.references:
                missing.append("references")
            if not self.risk_signals:
                missing.append("risk_signals")
            if missing:
                raise ValueError(f"risk entry {self.id} lacks: {', '.join(missing)}")
        elif len(self.detection.exemplars) < 2:
            raise ValueError(f"key_term entry {self.id} needs at least 2 exemplars")
        return self


class LibraryManifest(Strict):
    version: str
    title: str
    caveat: str
    packs: dict[Pack, str]  # pack -> description
    categories: dict[str, str]  # category id -> label
