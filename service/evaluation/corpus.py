"""Eval view of a CUAD-layout corpus: the labels (parsed by service.detect.corpus) plus the
manifest's per-contract metadata (type, split, rendered PDF/DOCX)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from service.detect.corpus import GoldSpan
from service.detect.corpus import load_corpus as load_labelled
from service.errors import ConfigError, InputError

__all__ = ["ContractMeta", "Corpus", "GoldSpan", "load_corpus"]


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
    texts: dict[str, str]
    categories: list[str] = field(default_factory=list)

    def text(self, contract_id: str) -> str:
        """The contract text exactly as the spans index it."""
        return self.texts[contract_id]

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


def load_corpus(root: Path) -> Corpus:
    """Load a CUAD-layout directory; manifest.jsonl (split, type, renderings) is optional."""
    root = Path(root)
    try:
        labelled = load_labelled(root)
    except InputError as exc:
        raise ConfigError(exc.message) from exc
    meta = {c.id: ContractMeta(contract_id=c.id) for c in labelled.contracts}
    manifest = root / "manifest.jsonl"
    if manifest.is_file():
        for line in manifest.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = ContractMeta.model_validate(json.loads(line))
                meta[row.contract_id] = row
    return Corpus(root=root, meta=meta, gold={c.id: c.gold for c in labelled.contracts},
                  texts={c.id: c.text for c in labelled.contracts},
                  categories=labelled.categories)
