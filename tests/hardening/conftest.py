"""Hardening fixtures: a live API per module, tenant keys, and the figures reliability.md keeps.

Each test records what it tried into `figures`; the totals are printed at the end of the run
("hardening figures" section) and written as JSON to $CLAUSEWISE_HARDENING_JSON when set
(scripts/hardening_report.py reads that file).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from service.settings import Settings
from tests.api.conftest import live_server

# name -> (what was tried, what counts as good); "leaks"/"5xx"-style figures print tried - ok
LABELS: dict[str, tuple[str, str]] = {
    "malformed_pdfs": ("malformed PDFs tried", "handled cleanly"),
    "malformed_docx_txt": ("malformed DOCX/TXT tried", "handled cleanly"),
    "size_limits": ("oversize / too-many-pages uploads", "refused 413 with the right code"),
    "auth_probes": ("requests without a valid key", "refused 401 unauthorized"),
    "cross_tenant": ("cross-tenant probes", "leaks"),
    "xss": ("XSS payloads tried", "inert"),
    "injection": ("injection payloads tried", "verdicts unchanged"),
    "injection_flagged": ("injection payloads tried", "reported as embedded instructions"),
    "injection_fooled_model": ("payloads vs a fooled model", "strong findings kept"),
    "injection_fooled_flagged": ("payloads vs a fooled model", "still reported for human review"),
    "schemathesis": ("schemathesis cases", "5xx"),
    "schemathesis_conformance": ("schemathesis responses checked", "schema violations"),
}
INVERTED = {"cross_tenant", "schemathesis", "schemathesis_conformance"}  # print the failures


@dataclass
class Figures:
    """Tried / ok counters per figure, shared by the whole pytest session."""

    counts: dict[str, list[int]] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)

    def record(self, name: str, ok: bool, note: str = "") -> None:
        """Count one attempt; `note` is kept for failures (shown in the summary)."""
        tried_ok = self.counts.setdefault(name, [0, 0])
        tried_ok[0] += 1
        tried_ok[1] += int(ok)
        if not ok and note:
            self.notes.setdefault(name, []).append(note)

    def add(self, name: str, tried: int, ok: int, notes: list[str] | None = None) -> None:
        """Count a batch of attempts at once."""
        tried_ok = self.counts.setdefault(name, [0, 0])
        tried_ok[0] += tried
        tried_ok[1] += ok
        self.notes.setdefault(name, []).extend(notes or [])

    def lines(self) -> list[str]:
        out = []
        for name, (tried, ok) in sorted(self.counts.items()):
            tried_label, ok_label = LABELS.get(name, (name, "ok"))
            shown = tried - ok if name in INVERTED else ok
            out.append(f"{tried_label}: {tried} / {ok_label}: {shown}")
            out += [f"    ! {n}" for n in self.notes.get(name, [])[:10]]
        return out

    def as_json(self) -> dict[str, dict[str, int]]:
        return {n: {"tried": t, "ok": o, "failed": t - o} for n, (t, o) in self.counts.items()}


FIGURES = pytest.StashKey[Figures]()


@pytest.fixture
def figures(request: pytest.FixtureRequest) -> Figures:
    stash = request.config.stash
    if FIGURES not in stash:
        stash[FIGURES] = Figures()
    return stash[FIGURES]


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    figs = config.stash.get(FIGURES, None)
    if figs is None or not figs.counts:
        return
    terminalreporter.section("hardening figures")
    for line in figs.lines():
        terminalreporter.write_line(line)
    target = os.environ.get("CLAUSEWISE_HARDENING_JSON")
    if target:
        Path(target).write_text(json.dumps(figs.as_json(), indent=1, sort_keys=True))


def hardened_settings(data_dir: Path, model_dir: Path, **overrides: object) -> Settings:
    """Small limits so hostile cases stay fast: 2 MB uploads, 20 pages, 5 s PDF parsing."""
    values: dict[str, object] = dict(data_dir=data_dir, embedding_model_dir=model_dir,
                                     max_upload_bytes=2_000_000, max_pages=20, pdf_timeout_s=5,
                                     pdf_cpu_s=5, pdf_memory_mb=512)
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def hard_settings(tmp_path_factory: pytest.TempPathFactory, model_dir: Path) -> Settings:
    return hardened_settings(tmp_path_factory.mktemp("hardening"), model_dir)


@pytest.fixture(scope="module")
def hard_server(hard_settings: Settings) -> Iterator[str]:
    """A single-user API (no keys) on 127.0.0.1, shared by the tests of one module."""
    with live_server(hard_settings) as url:
        yield url
