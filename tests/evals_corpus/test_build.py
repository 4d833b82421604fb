"""Building a small corpus end to end: PDF pages, scanned pages, labels, id validation."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.evals_corpus.conftest import CORPUS, REPO

BODY = """# <<document_name>>PROVIDER AGREEMENT<</document_name>>

This Agreement is between <<parties>>Acme Health Plan, Inc.<</parties>> and <<parties>>Birch Eye Group, P.C.<</parties>>.

## 1. CLAIMS

1.1 <<timely_filing_limit>>Claims must be received within ninety (90) days after the date of service.<</timely_filing_limit>>

<<rate-table seed=2 rows=40 specialty=ophthalmology>>

<<two-column>>
## 2. GENERAL

2.1 <<governing_law>>This Agreement is governed by Ohio law.<</governing_law>>
<</two-column>>

<<scanned>>
AMENDMENT NO. 1

<<recoupment_offset_clawback>>Plan may offset overpayments against later payments.<</recoupment_offset_clawback>>
<</scanned>>

Signed by the parties.
"""


def _build(source_dir: Path, out: Path) -> int:
    import build  # evals/payer/build.py

    return build.main(["--source", str(source_dir), "--out", str(out), "--quiet"])


def test_small_corpus_builds_with_pages_and_scans(write_source: Callable[..., Path],
                                                  tmp_path: Path) -> None:
    src = write_source(BODY)
    out = tmp_path / "out"
    assert _build(src.parent, out) == 0
    labels = {(r["category"]): r for r in map(json.loads, (out / "labels.jsonl").open())}
    text = (out / "contracts" / "t01_acme.txt").read_text(encoding="utf-8")
    for row in labels.values():
        for g in row["gold_spans"]:
            assert text[g["start"]:g["end"]] == g["text"]
    reader = PdfReader(str(out / "pdf" / "t01_acme.pdf"))
    n = len(reader.pages)
    recoup = labels["recoupment_offset_clawback"]["gold_spans"][0]
    assert recoup["scanned"] and reader.pages[recoup["page"] - 1].extract_text().strip() == ""
    law = labels["governing_law"]["gold_spans"][0]
    assert "governedbyOhiolaw" in "".join(reader.pages[law["page"] - 1].extract_text().split())
    assert f"Page 1 of {n}" in reader.pages[0].extract_text()
    assert labels["lesser_of_billed_charges"]["has_answer"] is False  # absent ids are listed
    manifest = json.loads((out / "manifest.jsonl").read_text())
    assert manifest["pages"] == n and manifest["docx"] == "docx/t01_acme.docx"
    assert (out / "docx" / "t01_acme.docx").stat().st_size > 5000


def test_a_scanned_block_may_end_the_file(write_source: Callable[..., Path], tmp_path: Path) -> None:
    # A writer's file ending in <</scanned>> once crashed the page locator (IndexError).
    body = BODY[: BODY.index("<</scanned>>")] + "\nBy: /s/ Plan officer\n\n<</scanned>>\n"
    src = write_source(body)
    out = tmp_path / "out"
    assert _build(src.parent, out) == 0
    rows = {r["category"]: r for r in map(json.loads, (out / "labels.jsonl").open())}
    assert rows["recoupment_offset_clawback"]["gold_spans"][0]["scanned"]


def test_id_outside_the_contract_pack_fails(write_source: Callable[..., Path], tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    src = write_source("<<lease_personal_guaranty>>Guarantor guarantees.<</lease_personal_guaranty>>\n")
    assert _build(src.parent, tmp_path / "out") == 1
    assert "lease_personal_guaranty" in capsys.readouterr().err


def test_committed_labels_hold_invariants() -> None:
    import yaml

    required = yaml.safe_load((REPO / "clause_library" / "required_ids.yaml").read_text())
    from corpus_build.ids import INTEGRITY, KEY_TERMS

    manifest = {r["contract_id"]: r for r in map(json.loads, (CORPUS / "manifest.jsonl").open())}
    for row in map(json.loads, (CORPUS / "labels.jsonl").open()):
        ctype = manifest[row["contract_id"]]["contract_type"]
        assert row["category"] in [*required[ctype], *KEY_TERMS, *INTEGRITY]
        text = (CORPUS / "contracts" / f"{row['contract_id']}.txt").read_text(encoding="utf-8")
        assert row["has_answer"] == bool(row["gold_spans"])
        for g in row["gold_spans"]:
            assert text[g["start"]:g["end"]] == g["text"]
            assert 1 <= g["page"] <= manifest[row["contract_id"]]["pages"]


@pytest.mark.slow
def test_committed_outputs_match_a_fresh_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _build(CORPUS / "source", out) == 0
    for name in ("labels.jsonl", "manifest.jsonl"):
        fresh, committed = (set((d / name).read_text().splitlines()) for d in (out, CORPUS))
        stale = sorted({json.loads(line)["contract_id"] for line in fresh ^ committed})
        assert not stale, f"{name} is stale for {stale}: run evals/payer/build.py"
    for txt in (CORPUS / "contracts").glob("*.txt"):
        assert (out / "contracts" / txt.name).read_text() == txt.read_text(), txt.name
    assert sorted(p.name for p in (out / "pdf").iterdir()) == \
        sorted(p.name for p in (CORPUS / "pdf").iterdir())
