"""Reviewer backends: one-method protocol and a name -> factory registry."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

from service.errors import ConfigError
from service.library.schema import ClauseEntry
from service.records import Chunk, Document, ReviewStats, Segmentation
from service.settings import Settings


class Candidate(BaseModel):
    """A (clause id, text span) worth judging, with what the offline stages know about it."""

    model_config = ConfigDict(extra="forbid")
    clause_id: str
    start: int
    end: int
    score: float = Field(ge=0.0, le=1.0)  # offline detector score
    similarity: float = 0.0  # best retrieval similarity of its chunk to the entry's queries
    chunk_id: str | None = None
    sources: list[str] = Field(default_factory=list)  # detector | retrieval | pattern


class Judgement(BaseModel):
    """A backend's verdict on one clause instance."""

    model_config = ConfigDict(extra="forbid")
    clause_id: str
    present: bool
    score: float = Field(ge=0.0, le=1.0)
    start: int | None = None  # span into Document.text when known
    end: int | None = None
    quote: str | None = None  # verbatim quote (located in the text when start/end unknown)
    severity: str | None = None  # backend's grade; None -> graded from risk signals
    reasons: list[str] = Field(default_factory=list)
    proposed: str | None = None  # backend-drafted redline of the quote
    source: str = "offline"
    needs_human_review: bool = False


@dataclass
class ReviewContext:
    """Everything a backend may look at for one review."""

    doc: Document
    segmentation: Segmentation
    entries: dict[str, ClauseEntry]  # applicable entries by id
    candidates: list[Candidate]
    settings: Settings
    stats: ReviewStats
    contract_type: str = "commercial"
    failed: list[str] = field(default_factory=list)  # parts not analysed (chunk ids)
    warnings: list[str] = field(default_factory=list)

    def chunk(self, chunk_id: str) -> Chunk:
        return next(c for c in self.segmentation.chunks if c.chunk_id == chunk_id)


class Reviewer(Protocol):
    """A backend decides which candidates are real findings."""

    name: str

    def judge(self, ctx: ReviewContext) -> list[Judgement]: ...


# name -> "module:factory"; imported lazily so optional SDKs load only when used.
REGISTRY: dict[str, str] = {
    "offline": "service.backends.offline:OfflineReviewer",
    "llm": "service.backends.llm:LLMReviewer",
}


def get_reviewer(name: str, settings: Settings) -> Reviewer:
    """Instantiate the backend registered under `name`."""
    if name not in REGISTRY:
        raise ConfigError(f"unknown backend {name!r}; choose one of {sorted(REGISTRY)}")
    module_name, attr = REGISTRY[name].split(":")
    factory: Callable[[Settings], Reviewer] = getattr(importlib.import_module(module_name), attr)
    return factory(settings)
