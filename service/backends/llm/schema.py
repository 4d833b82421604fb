"""What the model must return for one excerpt, validated with pydantic."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class RedlineOut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    original: str = Field(description="exact words of the quote being changed")
    proposed: str = Field(description="replacement words")


class ClauseJudgement(BaseModel):
    model_config = ConfigDict(extra="forbid")
    clause_id: str
    present: bool
    quote: str = Field(default="", description="verbatim operative sentence(s) from the excerpt")
    severity: Literal["high", "medium", "low"] | None = None
    reasons: list[str] = Field(default_factory=list)
    redline: RedlineOut | None = None


class ChunkVerdict(BaseModel):
    model_config = ConfigDict(extra="forbid")
    judgements: list[ClauseJudgement]
    instruction_like_text: list[str] = Field(default_factory=list)


def verdict_json_schema() -> dict:
    """JSON schema sent to servers that support structured outputs."""
    return ChunkVerdict.model_json_schema()
