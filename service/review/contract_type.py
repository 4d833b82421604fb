"""Detect the contract type (payer, employment, vendor, lease, commercial) from its wording."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

TITLE_WINDOW = 2000
TITLE_WEIGHT = 6
MAX_COUNT = 5


class TypeSignals(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: list[str]
    body: list[str]


class TypeConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    min_score: int
    types: dict[str, TypeSignals]


@lru_cache(maxsize=4)
def load_type_config(library_dir: str) -> TypeConfig:
    """Read clause_library/contract_types.yaml (validated strictly)."""
    raw = yaml.safe_load((Path(library_dir) / "contract_types.yaml").read_text(encoding="utf-8"))
    return TypeConfig.model_validate(raw)


def type_scores(text: str, config: TypeConfig) -> dict[str, int]:
    """Weighted phrase counts per contract type."""
    head = text[:TITLE_WINDOW].lower()
    body = text.lower()
    scores: dict[str, int] = {}
    for name, signals in config.types.items():
        score = sum(TITLE_WEIGHT for p in signals.title if p in head)
        score += sum(min(MAX_COUNT, body.count(p)) for p in signals.body)
        scores[name] = score
    return scores


def detect_contract_type(text: str, library_dir: Path) -> str:
    """The best-scoring type, or `commercial` when nothing is convincing."""
    config = load_type_config(str(library_dir))
    scores = type_scores(text, config)
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] >= config.min_score else "commercial"
