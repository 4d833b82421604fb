"""Factories: a tiny synthetic corpus in the CUAD layout (contracts/, labels.jsonl, categories.json)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from service.detect.build import cue_set, prepare, train_detector
from service.detect.corpus import load_corpus
from service.detect.model import Detector

STATES = ["New York", "Delaware", "California", "Texas", "Illinois", "Ohio", "Florida", "Nevada"]
FILLER = [
    "The Supplier shall deliver the Products to the facilities designated by the Customer.",
    "Each invoice shall be paid within thirty (30) days after receipt.",
    "The parties shall meet quarterly to review the marketing plan.",
    "All notices shall be in writing and delivered by courier or certified mail.",
    "The Customer shall provide forecasts of its requirements every month.",
    "Capitalized terms have the meanings given to them in Exhibit A.",
    "The Supplier shall maintain records of all shipments for two years.",
    "This Agreement may be executed in counterparts, each of which is an original.",
    "Headings are for convenience only and do not affect interpretation.",
    "The Distributor shall use reasonable efforts to promote the Products in the Territory.",
]
GOV = [
    "This Agreement shall be governed by and construed in accordance with the laws of the State of {s}.",
    "This Agreement is governed by the laws of the State of {s}, without regard to its conflict of laws rules.",
    "The validity and interpretation of this Agreement shall be governed by {s} law.",
]
CATEGORIES = ["Governing Law", "Anti-Assignment"]


def make_contract(rng: random.Random, i: int) -> tuple[str, dict[str, list[dict]]]:
    """A short contract with filler, one governing-law and one assignment sentence."""
    parts: list[str] = [f"SUPPLY AGREEMENT NO. {i}\n\n1. Supply.\n"]
    parts += [rng.choice(FILLER) + " " for _ in range(rng.randint(6, 12))]
    gold: dict[str, list[dict]] = {c: [] for c in CATEGORIES}
    for cat, sentence in [("Anti-Assignment", "Neither party may assign this Agreement without the prior "
                           "written consent of the other party."),
                          ("Governing Law", rng.choice(GOV).format(s=rng.choice(STATES)))]:
        parts.append(f"\n\n{cat.upper()}\n")
        start = sum(len(p) for p in parts)
        parts.append(sentence + " ")
        gold[cat].append({"start": start, "end": start + len(sentence), "text": sentence})
        parts += [rng.choice(FILLER) + " " for _ in range(rng.randint(2, 5))]
    return "".join(parts), gold


def write_corpus(root: Path, n: int, seed: int = 7) -> Path:
    """Write n synthetic contracts in the CUAD layout under root."""
    rng = random.Random(seed)
    (root / "contracts").mkdir(parents=True)
    rows = []
    for i in range(n):
        text, gold = make_contract(rng, i)
        cid = f"synthetic_{i:03d}"
        (root / "contracts" / f"{cid}.txt").write_text(text, encoding="utf-8")
        rows += [{"contract_id": cid, "category": c, "has_answer": bool(g), "gold_spans": g}
                 for c, g in gold.items()]
    (root / "labels.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    (root / "categories.json").write_text(json.dumps([{"category": c} for c in CATEGORIES]), encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def tiny_cuad(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("cuad"), 16)


@pytest.fixture(scope="session")
def tiny_detector(tiny_cuad: Path) -> Detector:
    """A detector trained on the tiny synthetic corpus (no library heads)."""
    corpus = load_corpus(tiny_cuad)
    return train_detector(prepare(corpus, cue_set(None)), range(len(corpus.contracts)), None)
