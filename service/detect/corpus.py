"""Read corpora in the CUAD layout (contracts/, labels.jsonl, categories.json[, manifest.jsonl])."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from service.errors import InputError


@dataclass(frozen=True)
class GoldSpan:
    start: int
    end: int
    text: str


@dataclass
class Contract:
    """One annotated contract: text plus gold spans per category (category -> spans)."""

    id: str
    text: str
    gold: dict[str, list[GoldSpan]] = field(default_factory=dict)


@dataclass
class Corpus:
    """Contracts (in a stable order) and the category list of a CUAD-layout directory."""

    root: Path
    contracts: list[Contract]
    categories: list[str]

    def only(self, keep: set[str]) -> Corpus:
        """The same corpus restricted to these contract ids (cross-validation folds)."""
        return Corpus(self.root, [c for c in self.contracts if c.id in keep], self.categories)

    def digest(self) -> str:
        """sha256 over contract texts and labels, recorded in artefact manifests."""
        h = hashlib.sha256()
        for c in self.contracts:
            h.update(c.id.encode())
            h.update(hashlib.sha256(c.text.encode()).digest())
            for cat in sorted(c.gold):
                for s in c.gold[cat]:
                    h.update(f"{cat}|{s.start}|{s.end}".encode())
        return h.hexdigest()


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _allowed_ids(root: Path, split: str | None) -> set[str] | None:
    """Ids of the requested split from manifest.jsonl; None when no split filtering applies."""
    manifest = root / "manifest.jsonl"
    if split is None:
        return None
    if not manifest.exists():
        # Without a manifest the split is unknown: refuse rather than risk training on test.
        raise InputError(f"{root}: split {split!r} requested but manifest.jsonl is missing")
    return {r["contract_id"] for r in _read_jsonl(manifest) if r.get("split") == split}


def load_corpus(root: Path, *, split: str | None = None, limit: int | None = None) -> Corpus:
    """Load a CUAD-layout directory; with `split`, only contracts of that manifest split."""
    labels_path = root / "labels.jsonl"
    if not (root / "contracts").is_dir() or not labels_path.exists():
        raise InputError(f"{root}: not a CUAD-layout directory (needs contracts/ and labels.jsonl)")
    allowed = _allowed_ids(root, split)
    by_id: dict[str, dict[str, list[GoldSpan]]] = {}
    for row in _read_jsonl(labels_path):
        cid = row["contract_id"]
        if allowed is not None and cid not in allowed:
            continue
        spans = [GoldSpan(s["start"], s["end"], s["text"]) for s in row.get("gold_spans", [])]
        by_id.setdefault(cid, {}).setdefault(row["category"], []).extend(spans)
    ids = sorted(by_id)[:limit] if limit else sorted(by_id)
    contracts = [
        Contract(cid, (root / "contracts" / f"{cid}.txt").read_text(encoding="utf-8"), by_id[cid])
        for cid in ids
    ]
    return Corpus(root, contracts, _categories(root, by_id))


def _categories(root: Path, by_id: dict[str, dict[str, list[GoldSpan]]]) -> list[str]:
    path = root / "categories.json"
    if path.exists():
        raw = json.loads(path.read_text(encoding="utf-8"))
        return [c["category"] if isinstance(c, dict) else str(c) for c in raw]
    return sorted({cat for gold in by_id.values() for cat in gold})
