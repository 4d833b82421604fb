"""Library lint: schema, ids, mappings, exemplar quality, coverage per pack."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from service.errors import LibraryError
from service.library.loader import ClauseLibrary, load_library

# Canonical ids from the domain reference (payer-clauses.md): every one must exist.
REQUIRED_IDS_FILE = "required_ids.yaml"
MIN_EXEMPLAR_WORDS = 12


@dataclass
class LintReport:
    problems: list[str] = field(default_factory=list)
    coverage: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def _near_duplicate(a: str, b: str) -> bool:
    wa, wb = _words(a), _words(b)
    return bool(wa and wb) and len(wa & wb) / len(wa | wb) > 0.8


def _lint_exemplars(lib: ClauseLibrary, problems: list[str]) -> None:
    for e in lib.entries.values():
        texts = [*e.detection.exemplars, *e.detection.negatives]
        for t in texts:
            if len(t.split()) < MIN_EXEMPLAR_WORDS and e.kind == "risk":
                problems.append(f"{e.id}: exemplar too short ({len(t.split())} words): {t[:60]!r}")
        for i, a in enumerate(texts):
            for b in texts[i + 1:]:
                if _near_duplicate(a, b):
                    problems.append(f"{e.id}: near-duplicate exemplars: {a[:50]!r} ~ {b[:50]!r}")


def _lint_required(lib: ClauseLibrary, root: Path, problems: list[str]) -> None:
    path = root / REQUIRED_IDS_FILE
    if not path.is_file():
        problems.append(f"missing {REQUIRED_IDS_FILE}")
        return
    required = yaml.safe_load(path.read_text(encoding="utf-8"))
    for pack, ids in required.items():
        for cid in ids:
            if cid not in lib.entries:
                problems.append(f"required id missing: {cid} ({pack})")
            elif pack not in lib.entries[cid].packs:
                problems.append(f"{cid}: must be in pack {pack}")


def _lint_cuad(lib: ClauseLibrary, problems: list[str]) -> None:
    mapped = lib.cuad_map()
    for cat in lib.cuad_categories:
        if cat not in mapped:
            problems.append(f"CUAD category not mapped: {cat!r}")
        elif "commercial" not in lib.entries[mapped[cat]].packs:
            problems.append(f"{mapped[cat]}: maps CUAD {cat!r} so must be in pack commercial")


def _coverage(lib: ClauseLibrary) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for pack in lib.manifest.packs:
        entries = lib.for_pack(pack)
        out[pack] = {
            "risk": sum(e.kind == "risk" for e in entries),
            "key_term": sum(e.kind == "key_term" for e in entries),
        }
    return out


def lint_library(root: Path) -> LintReport:
    """Run every check; problems are collected, not raised (except unloadable files)."""
    report = LintReport()
    try:
        lib = load_library(root)
    except LibraryError as exc:
        report.problems.append(str(exc))
        return report
    _lint_exemplars(lib, report.problems)
    _lint_required(lib, Path(root), report.problems)
    _lint_cuad(lib, report.problems)
    report.coverage = _coverage(lib)
    return report
