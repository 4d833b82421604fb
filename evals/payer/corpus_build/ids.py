"""Clause ids per contract type (required_ids.yaml + key terms) checked against the clause library."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

KEY_TERMS = ["document_name", "parties", "agreement_date", "effective_date", "expiration_date",
             "renewal_term", "notice_period_to_terminate_renewal", "governing_law"]
# Document-integrity id (text aimed at automated reviewers); applies to every contract type.
INTEGRITY = ["embedded_instruction_text"]


@dataclass(frozen=True)
class IdCatalog:
    # contract_type -> ordered ids labelled for it. Fixed by required_ids.yaml so labels do not
    # drift while library entries are added; the library only supplies titles and a cross-check.
    packs: dict[str, list[str]]
    titles: dict[str, str]
    library_packs: dict[str, list[str]] = field(default_factory=dict)  # id -> packs, if loaded

    def warnings(self) -> list[str]:
        """Ids the corpus labels that the loaded clause library lacks or files in another pack."""
        if not self.library_packs:
            return ["clause library has no entries; ids checked against required_ids.yaml only"]
        out = []
        for ctype, ids in self.packs.items():
            for i in ids:
                packs = self.library_packs.get(i)
                if packs is None:
                    out.append(f"{i}: not in the clause library yet")
                elif i not in KEY_TERMS + INTEGRITY and ctype not in packs:
                    out.append(f"{i}: library packs {packs} lack {ctype}")
        return sorted(set(out))


def _library(repo: Path) -> tuple[dict[str, str], dict[str, list[str]]]:
    if str(repo) not in sys.path:
        sys.path.insert(0, str(repo))
    from service.errors import LibraryError
    from service.library.loader import load_library

    try:
        lib = load_library(repo / "clause_library")
    except LibraryError as exc:
        print(f"warning: clause library did not load ({exc})", file=sys.stderr)
        return {}, {}
    return ({e.id: e.title for e in lib.entries.values()},
            {e.id: list(e.packs) for e in lib.entries.values()})


def load_catalog(repo: Path) -> IdCatalog:
    """Ids per contract type from required_ids.yaml plus key terms; titles from the library."""
    required = yaml.safe_load((repo / "clause_library" / "required_ids.yaml").read_text("utf-8"))
    packs = {t: [*ids, *KEY_TERMS, *INTEGRITY] for t, ids in required.items()}
    titles, lib_packs = _library(repo)
    for ids in packs.values():
        for i in ids:
            titles.setdefault(i, i.replace("_", " ").capitalize())
    return IdCatalog(packs, titles, lib_packs)
