"""Pydantic records passed between pipeline stages (ingest -> segment -> index -> review -> report)."""

from __future__ import annotations

import bisect
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

MediaType = Literal[
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "text/plain",
]
ContractType = Literal["payer", "employment", "vendor", "lease", "commercial"]
CONTRACT_TYPES: tuple[str, ...] = ("payer", "employment", "vendor", "lease", "commercial")
Severity = Literal["high", "medium", "low"]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(Record):
    """Half-open character span [start, end) into Document.text."""

    start: int
    end: int


class Page(Record):
    """One physical page: 1-based number and its character span in Document.text."""

    number: int
    start: int
    end: int
    has_text: bool = True


class Document(Record):
    """An ingested contract. `text` is what every offset in the system indexes into."""

    doc_id: str  # sha256 hex of the file bytes (stable across re-uploads)
    filename: str
    sha256: str
    media_type: MediaType
    text: str
    pages: list[Page]
    # Running headers/footers and page-number lines: kept in `text` (offsets stay true),
    # excluded from clause text and chunks.
    excluded: list[Span] = Field(default_factory=list)
    unreadable_pages: list[int] = Field(default_factory=list)

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def page_at(self, offset: int) -> int:
        """1-based page number containing character `offset`."""
        if not self.pages:
            return 1
        starts = [p.start for p in self.pages]
        i = bisect.bisect_right(starts, offset) - 1
        return self.pages[max(0, min(i, len(self.pages) - 1))].number


SectionKind = Literal[
    "preamble", "recital", "article", "section", "definition", "exhibit", "schedule",
    "amendment", "signature", "paragraph",
]


class Section(Record):
    """A clause/section with its printed number and title; spans index Document.text."""

    index: int
    number: str | None = None  # as printed: "2.7", "VI", "3.1(a)", "Exhibit B"
    title: str | None = None
    kind: SectionKind = "section"
    level: int = 0
    parent: int | None = None  # index of the enclosing section
    start: int
    end: int
    page_start: int
    page_end: int


class Chunk(Record):
    """Index unit: follows clause boundaries, never exceeds the embedding window."""

    chunk_id: str  # f"{doc_id}:{ordinal}"
    doc_id: str
    ordinal: int
    text: str  # clause text with headers/footers removed (what gets embedded)
    start: int
    end: int
    section_index: int | None = None
    section_number: str | None = None
    section_title: str | None = None
    page_start: int
    page_end: int


class Segmentation(Record):
    sections: list[Section]
    chunks: list[Chunk]


# ---------------------------------------------------------------- findings contract
class Redline(Record):
    original: str  # verbatim contract text being changed
    proposed: str  # the replacement text


class Finding(Record):
    clause_id: str
    title: str
    kind: Literal["risk", "key_term"]
    category: str
    severity: Severity
    score: float = Field(ge=0.0, le=1.0)
    page: int
    section: str | None = None
    quote: str
    start: int
    end: int
    verified: bool
    rationale: str
    risk_signals: list[str] = Field(default_factory=list)
    redline: Redline | None = None
    fallbacks: list[str] = Field(default_factory=list)
    references: list[str] = Field(default_factory=list)
    needs_human_review: bool = False
    source: str = "offline"  # which reviewer produced it: offline | llm | offline-floor


class DocumentInfo(Record):
    filename: str
    sha256: str
    pages: int
    contract_type: ContractType
    contract_type_detected: ContractType | None = None
    library_version: str
    prompt_version: str | None = None
    unreadable_pages: list[int] = Field(default_factory=list)


class KeyTerm(Record):
    clause_id: str
    label: str
    value: str
    quote: str
    start: int
    end: int
    page: int


class ReviewStats(Record):
    elapsed_s: float = 0.0
    chunks: int = 0
    embedded: int = 0
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    failed_chunks: int = 0


class ReviewResult(Record):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_: Literal["clausewise.review/v1"] = Field(default="clausewise.review/v1", alias="schema")
    document: DocumentInfo
    backend: str
    created_at: str
    findings: list[Finding]
    not_found: list[str]
    key_terms: dict[str, KeyTerm] = Field(default_factory=dict)
    stats: ReviewStats = Field(default_factory=ReviewStats)
    failed: list[str] = Field(default_factory=list)  # parts not analysed (e.g. chunk ids) -> partial
    warnings: list[str] = Field(default_factory=list)

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True, indent=2)
