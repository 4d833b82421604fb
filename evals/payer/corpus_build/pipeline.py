"""Build every output of the corpus from evals/payer/source/*.txt."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from corpus_build.ids import IdCatalog
from corpus_build.locate import locate_pages, page_count
from corpus_build.render_docx import render_docx
from corpus_build.render_pdf import render_pdf
from corpus_build.source import Contract, SourceError, parse_source


@dataclass
class BuildResult:
    contracts: list[Contract]
    pages: dict[str, int]
    labels: list[dict[str, object]] = field(default_factory=list)


def parse_all(source_dir: Path, catalog: IdCatalog) -> list[Contract]:
    """Parse and validate every source; ids must belong to the contract type's pack."""
    contracts = [parse_source(p) for p in sorted(source_dir.glob("*.txt"))]
    for c in contracts:
        if c.meta["split"] not in ("train", "test"):
            raise SourceError(f"{c.id}: corpus contracts must have split train or test")
        allowed = set(catalog.packs[str(c.meta["contract_type"])])
        bad = sorted({s.category for s in c.spans} - allowed)
        if bad:
            raise SourceError(f"{c.id}: ids not in the {c.meta['contract_type']} pack: "
                              f"{', '.join(bad)}")
    return contracts


def _label_lines(c: Contract, ids: list[str],
                 pages: dict[tuple[int, int, str], int]) -> list[dict[str, object]]:
    lines: list[dict[str, object]] = []
    for cid in ids:
        spans = [s for s in c.spans if s.category == cid]
        gold = [{"start": s.start, "end": s.end, "text": c.text[s.start:s.end],
                 "page": pages[(s.start, s.end, s.category)], "scanned": s.scanned}
                for s in spans]
        lines.append({"contract_id": c.id, "category": cid, "has_answer": bool(gold),
                      "gold_spans": gold})
    return lines


def _manifest_line(c: Contract, pages: int, has_docx: bool,
                   where: dict[tuple[int, int, str], int]) -> dict[str, object]:
    scanned = [{"category": s.category, "start": s.start, "end": s.end,
                "page": where[(s.start, s.end, s.category)]} for s in c.spans if s.scanned]
    return {"contract_id": c.id, "title": c.meta["title"], "contract_type": c.meta["contract_type"],
            "style": c.meta["style"], "split": c.meta["split"], "pages": pages,
            "pdf": f"pdf/{c.id}.pdf", "docx": f"docx/{c.id}.docx" if has_docx else None,
            "scanned_spans": scanned}


def _prune(out: Path, contracts: list[Contract]) -> None:
    """Delete generated files whose source is gone (or no longer asks for DOCX)."""
    keep = {c.id for c in contracts}
    keep_docx = {c.id for c in contracts if "docx" in list(c.meta.get("render") or [])}  # type: ignore[call-overload]
    for sub, suffix, ids in (("contracts", ".txt", keep), ("pdf", ".pdf", keep),
                             ("docx", ".docx", keep_docx)):
        for f in (out / sub).glob(f"*{suffix}"):
            if f.stem not in ids:
                f.unlink()


def build(contracts: list[Contract], catalog: IdCatalog, out: Path) -> BuildResult:
    """Write contracts/, pdf/, docx/, labels.jsonl, manifest.jsonl and categories.json."""
    for sub in ("contracts", "pdf", "docx"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    _prune(out, contracts)
    result = BuildResult(contracts, {})
    manifest: list[dict[str, object]] = []
    for c in contracts:
        (out / "contracts" / f"{c.id}.txt").write_text(c.text, encoding="utf-8")
        pdf = out / "pdf" / f"{c.id}.pdf"
        scanned = render_pdf(c, pdf)
        where = locate_pages(c, pdf, scanned)
        renders = list(c.meta.get("render") or ["pdf"])  # type: ignore[call-overload]
        if "docx" in renders:
            render_docx(c, out / "docx" / f"{c.id}.docx")
        result.pages[c.id] = page_count(pdf)
        result.labels += _label_lines(c, catalog.packs[str(c.meta["contract_type"])], where)
        manifest.append(_manifest_line(c, result.pages[c.id], "docx" in renders, where))
    _write_jsonl(out / "labels.jsonl", result.labels)
    _write_jsonl(out / "manifest.jsonl", manifest)
    used = sorted({str(line["category"]) for line in result.labels})
    cats = [{"category": i, "description": catalog.titles.get(i, i)} for i in used]
    (out / "categories.json").write_text(json.dumps(cats, indent=1) + "\n", encoding="utf-8")
    return result


def _write_jsonl(path: Path, rows: list[dict[str, object]]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")


def coverage(result: BuildResult, catalog: IdCatalog) -> list[str]:
    """Printable table: id -> positive instances in train / test, then pages per contract."""
    split = {c.id: str(c.meta["split"]) for c in result.contracts}
    counts: dict[str, dict[str, int]] = {}
    for c in result.contracts:
        for s in c.spans:
            counts.setdefault(s.category, {"train": 0, "test": 0})[split[c.id]] += 1
    ids = [i for t in ("payer", "employment", "vendor", "lease") for i in catalog.packs.get(t, [])]
    seen: set[str] = set()
    rows = [f"{'clause id':45} {'train':>5} {'test':>5}"]
    for i in ids:
        if i not in seen:
            seen.add(i)
            n = counts.get(i, {"train": 0, "test": 0})
            rows.append(f"{i:45} {n['train']:>5} {n['test']:>5}")
    rows.append("")
    rows += [f"{cid:45} {n:>3} pages  ({split[cid]})" for cid, n in result.pages.items()]
    return rows
