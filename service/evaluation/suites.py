"""Eval suites (evals/suites/*.yaml): which corpus, split, packs, backend and gates."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from service.errors import ConfigError


class Gates(BaseModel):
    model_config = ConfigDict(extra="forbid")
    recall: float | None = None
    precision: float | None = None
    high_severity_recall: float | None = None
    aupr: float | None = None
    doc_recall: float | None = None
    tolerance: float = 0.02  # max drop of an overall metric against the previous run
    id_tolerance: float = 0.34  # max drop of one clause id's recall against the previous run


class Suite(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    description: str
    kind: Literal["spans", "cuad"] = "spans"
    corpus: Path
    split: Literal["train", "test", "all"] = "test"
    format: Literal["txt", "pdf", "docx"] = "txt"
    packs: list[str] = Field(default_factory=lambda: ["payer"])
    kinds: list[Literal["risk", "key_term"]] = Field(default=["risk"])
    backend: Literal["offline", "llm"] = "offline"
    threshold: float | None = None  # None -> settings.min_score
    limit: int | None = None  # first N contracts (smoke suites)
    use_index: bool = True
    folds: int = 0  # cuad suites: K-fold cross-validation on the corpus (0: shipped artefacts)
    nightly: bool = True  # part of `clausewise eval nightly`
    gates: Gates = Field(default_factory=Gates)


def suites_dir(repo: Path) -> Path:
    return repo / "evals" / "suites"


def suite_names(repo: Path) -> list[str]:
    return sorted(p.stem for p in suites_dir(repo).glob("*.yaml"))


def load_suite(name_or_path: str, repo: Path) -> Suite:
    """A suite by name (evals/suites/NAME.yaml) or by path; corpus resolved from the repo."""
    path = Path(name_or_path)
    if not path.suffix:
        path = suites_dir(repo) / f"{name_or_path}.yaml"
    if not path.is_file():
        known = sorted(p.stem for p in suites_dir(repo).glob("*.yaml"))
        raise ConfigError(f"no eval suite {name_or_path!r}; known: {known}")
    suite = Suite.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    if not suite.corpus.is_absolute():
        suite = suite.model_copy(update={"corpus": (repo / suite.corpus).resolve()})
    return suite
