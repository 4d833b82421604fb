"""Annotated corpora in the CUAD layout: contracts/, labels.jsonl, categories.json (+ manifest)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from service.errors import ConfigError


class GoldSpan(BaseModel):
    model_config = ConfigDict(extra="ignore")
    start: int
    end: int
    text: str
    page: int | None = None


class ContractMeta(BaseModel):
    model_config = ConfigDict(extra="ignore")
    contract_id: str
    contract_type: str = "commercial"
    split: str = "train"
    title: str | None = None
    pdf: str | None = None
    docx: str | None = None


@dataclass
class Corpus:
    root: Path
    meta: dict[str, ContractMeta]
    gold: dict[str, dict[str, list[GoldSpan]]]  # contract -> category -> spans ([] = absent)
    categories: list[str] = field(default_factory=list)

    def text(self, contract_id: str) -> str:
        """The contract text exactly as the spans index it."""
        return (self.root / "contracts" / f"{contract_id}.txt").read_text(encoding="utf-8")

    def path(self, contract_id: str, fmt: str = "txt") -> Path:
        if fmt == "txt":
            return self.root / "contracts" / f"{contract_id}.txt"
        rel = getattr(self.meta[contract_id], fmt)
        if not rel:
            raise ConfigError(f"{contract_id} has no {fmt} rendering")
        return self.root / rel

    def ids(self, split: str = "all") -> list[str]:
        """Contract ids of a split (train, test or all), sorted."""
        return sorted(c for c, m in self.meta.items() if split == "all" or m.split == split)


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def load_corpus(root: Path) -> Corpus:
    """Load a CUAD-layout directory; manifest.jsonl (split, type) is optional."""
    root = Path(root)
    if not (root / "labels.jsonl").is_file() or not (root / "contracts").is_dir():
        raise ConfigError(f"{root} is not a corpus (needs contracts/ and labels.jsonl)")
    gold: dict[str, dict[str, list[GoldSpan]]] = {}
    for row in _read_jsonl(root / "labels.jsonl"):
        spans = [GoldSpan.model_validate(s) for s in row.get("gold_spans", [])]
        gold.setdefault(row["contract_id"], {})[row["category"]] = spans
    meta = {cid: ContractMeta(contract_id=cid) for cid in gold}
    if (root / "manifest.jsonl").is_file():
        for row in _read_jsonl(root / "manifest.jsonl"):
            meta[row["contract_id"]] = ContractMeta.model_validate(row)
    categories: list[str] = []
    if (root / "categories.json").is_file():
        raw = json.loads((root / "categories.json").read_text(encoding="utf-8"))
        categories = [c["category"] if isinstance(c, dict) else str(c) for c in raw]
    return Corpus(root=root, meta=meta, gold=gold, categories=categories)
