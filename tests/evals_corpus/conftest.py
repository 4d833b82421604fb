"""Fixtures for the payer gold corpus build: import path, a small source factory."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "evals" / "payer"
sys.path.insert(0, str(CORPUS))

FRONT = """---
contract_id: {cid}
title: Test agreement
contract_type: {ctype}
style: commercial_ppo
split: train
header: "Acme Health Plan - Provider Agreement"
footer: "ACME-PPA"
render: [pdf, docx]
---
"""


@pytest.fixture
def write_source(tmp_path: Path) -> Callable[..., Path]:
    """Write a source file with standard front matter; returns its path."""

    def _write(body: str, cid: str = "t01_acme", ctype: str = "payer") -> Path:
        src = tmp_path / "source"
        src.mkdir(exist_ok=True)
        path = src / f"{cid}.txt"
        path.write_text(FRONT.format(cid=cid, ctype=ctype) + body, encoding="utf-8")
        return path

    return _write
