"""Load clause_library/ (manifest + one YAML file per entry) into validated models."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from service.errors import LibraryError
from service.library.schema import ClauseEntry, LibraryManifest

CUAD_CATEGORIES_FILE = "cuad_categories.yaml"


@dataclass(frozen=True)
class ClauseLibrary:
    """The validated library: manifest, entries by id, and the CUAD category list."""

    manifest: LibraryManifest
    entries: dict[str, ClauseEntry]
    cuad_categories: tuple[str, ...] = field(default=())
    sources: dict[str, Path] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return self.manifest.version

    def get(self, clause_id: str) -> ClauseEntry:
        try:
            return self.entries[clause_id]
        except KeyError:
            raise KeyError(f"unknown clause id {clause_id!r}") from None

    def for_pack(self, pack: str, kind: str | None = None) -> list[ClauseEntry]:
        """Entries that apply to a contract type (`pack`), optionally of one kind."""
        return [
            e for e in self.entries.values()
            if pack in e.packs and (kind is None or e.kind == kind)
        ]

    def cuad_map(self) -> dict[str, str]:
        """CUAD category -> library id."""
        return {e.cuad_category: e.id for e in self.entries.values() if e.cuad_category}


def _read_yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise LibraryError(f"{path}: invalid YAML: {exc}") from exc


def _entry_files(root: Path) -> Iterable[Path]:
    return sorted((root / "entries").rglob("*.yaml"))


def _load_entries(root: Path) -> tuple[dict[str, ClauseEntry], dict[str, Path]]:
    entries: dict[str, ClauseEntry] = {}
    sources: dict[str, Path] = {}
    for path in _entry_files(root):
        raw = _read_yaml(path)
        try:
            entry = ClauseEntry.model_validate(raw)
        except ValidationError as exc:
            raise LibraryError(f"{path}: {exc}") from exc
        if entry.id in entries:
            raise LibraryError(f"{path}: duplicate id {entry.id!r} (also in {sources[entry.id]})")
        entries[entry.id] = entry
        sources[entry.id] = path
    return entries, sources


def _check_references(manifest: LibraryManifest, entries: dict[str, ClauseEntry],
                      cuad: tuple[str, ...]) -> None:
    seen_cuad: dict[str, str] = {}
    for e in entries.values():
        if e.category not in manifest.categories:
            raise LibraryError(f"{e.id}: unknown category {e.category!r}")
        if e.cuad_category is not None:
            if cuad and e.cuad_category not in cuad:
                raise LibraryError(f"{e.id}: unknown CUAD category {e.cuad_category!r}")
            if e.cuad_category in seen_cuad:
                raise LibraryError(
                    f"CUAD category {e.cuad_category!r} mapped twice: "
                    f"{seen_cuad[e.cuad_category]} and {e.id}")
            seen_cuad[e.cuad_category] = e.id


def load_library(root: Path) -> ClauseLibrary:
    """Load and validate the library under `root`; raises LibraryError on any problem."""
    root = Path(root)
    if not (root / "library.yaml").is_file():
        raise LibraryError(f"no clause library at {root} (missing library.yaml)")
    try:
        manifest = LibraryManifest.model_validate(_read_yaml(root / "library.yaml"))
    except ValidationError as exc:
        raise LibraryError(f"{root / 'library.yaml'}: {exc}") from exc
    cuad: tuple[str, ...] = ()
    if (root / CUAD_CATEGORIES_FILE).is_file():
        raw = _read_yaml(root / CUAD_CATEGORIES_FILE)
        cuad = tuple(raw["categories"]) if isinstance(raw, dict) else ()
    entries, sources = _load_entries(root)
    _check_references(manifest, entries, cuad)
    return ClauseLibrary(manifest=manifest, entries=entries, cuad_categories=cuad, sources=sources)


@lru_cache(maxsize=4)
def _cached(root: str, stamp: float) -> ClauseLibrary:
    return load_library(Path(root))


def get_library(root: Path) -> ClauseLibrary:
    """Cached load, refreshed when any library file changes."""
    root = Path(root).resolve()
    files = [root / "library.yaml", *_entry_files(root)]
    stamp = max((p.stat().st_mtime for p in files if p.exists()), default=0.0)
    return _cached(str(root), stamp)
