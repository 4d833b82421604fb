"""Run an eval suite: review every contract of the split, score spans, apply the gates."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from service.evaluation.corpus import Corpus, load_corpus
from service.evaluation.spans import Prediction, Threshold, evaluate
from service.evaluation.suites import Suite
from service.library import ClauseLibrary, get_library
from service.records import ReviewResult
from service.review.components import Components
from service.review.verify import locate_quote
from service.settings import REPO_ROOT, Settings

Log = Callable[[str], None]


def _predictions(cid: str, result: ReviewResult, source: str, same_text: bool) -> list[Prediction]:
    """Findings as predictions in source-text offsets (quotes re-located for PDF/DOCX input)."""
    out = []
    for f in result.findings:
        span = (f.start, f.end) if same_text else locate_quote(source, f.quote, near=f.start)
        if span is not None:
            out.append(Prediction(cid, f.clause_id, span[0], span[1], f.score))
    return out


def _evaluated_ids(suite: Suite, settings: Settings) -> list[str]:
    lib = get_library(settings.library_dir)
    return sorted({e.id for pack in suite.packs for e in lib.for_pack(pack)
                   if e.kind in suite.kinds})


def _contracts(suite: Suite, corpus: Corpus) -> list[str]:
    ids = [c for c in corpus.ids(suite.split) if corpus.meta[c].contract_type in suite.packs]
    return ids[: suite.limit] if suite.limit else ids


def review_corpus(suite: Suite, corpus: Corpus, settings: Settings, comps: Components,
                  log: Log) -> tuple[list[Prediction], dict]:
    """Review each contract with min_score 0 so the PR curve sees every candidate."""
    from service.ingest import ingest_path
    from service.review.pipeline import ReviewOptions, review_document

    preds: list[Prediction] = []
    stats = {"contracts": 0, "elapsed_s": 0.0, "llm_calls": 0, "prompt_tokens": 0,
             "completion_tokens": 0, "failed_parts": 0}
    for cid in _contracts(suite, corpus):
        doc = ingest_path(corpus.path(cid, suite.format), settings)
        options = ReviewOptions(contract_type=corpus.meta[cid].contract_type,
                                backend=suite.backend, tenant=f"eval-{suite.name}",
                                min_score=0.0, use_index=suite.use_index)
        result = review_document(doc, settings, options, components=comps)
        preds += _predictions(cid, result, corpus.text(cid), suite.format == "txt")
        stats["contracts"] += 1
        stats["elapsed_s"] += result.stats.elapsed_s
        for key in ("llm_calls", "prompt_tokens", "completion_tokens"):
            stats[key] += getattr(result.stats, key)
        stats["failed_parts"] += len(result.failed)
        log(f"  {cid}: {len(result.findings)} findings in {result.stats.elapsed_s:.1f}s")
    return preds, stats


def git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT,
                             capture_output=True, text=True, timeout=5, check=False)
    except OSError:
        return None
    return out.stdout.strip() or None


def run_suite(suite: Suite, settings: Settings, *, components: Components | None = None,
              log: Log = print) -> dict:
    """Review, score and summarise one suite (gates are applied by the caller)."""
    corpus = load_corpus(suite.corpus)
    comps = components or Components.from_settings(settings)
    ids = _evaluated_ids(suite, settings)
    t0 = time.perf_counter()
    preds, stats = review_corpus(suite, corpus, settings, comps, log)
    contracts = _contracts(suite, corpus)
    gold = {c: corpus.gold.get(c, {}) for c in contracts}
    lib = get_library(settings.library_dir)
    # Each id at the threshold the product reports it at, unless the suite fixes one.
    per_id = {i: settings.threshold_for(lib.entries[i]) for i in ids}
    cuts: Threshold = per_id if suite.threshold is None else suite.threshold
    metrics = evaluate(preds, gold, cuts, ids)
    high = [i for i in ids if lib.entries[i].severity.default == "high"]
    metrics["high_severity"] = evaluate(preds, gold, cuts, high)["overall"] if high else {}
    threshold = suite.threshold if suite.threshold is not None else _describe(per_id, lib)
    stats["wall_s"] = round(time.perf_counter() - t0, 2)
    return {
        "suite": suite.name, "description": suite.description, "split": suite.split,
        "format": suite.format, "backend": suite.backend, "threshold": threshold,
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"), "git_commit": git_commit(),
        "library_version": lib.version, "prompt_version": _prompt_version(settings, suite),
        "contracts": contracts, "clause_ids": ids, "metrics": metrics, "stats": stats,
        "predictions": [p.__dict__ for p in preds],
    }


def _describe(cuts: dict[str, float], lib: ClauseLibrary) -> float | str:
    """The thresholds for the record: one number, or one per group of ids."""
    if len(set(cuts.values())) == 1:
        return next(iter(cuts.values()))
    groups: dict[str, float] = {}
    for cid, cut in cuts.items():
        e = lib.entries[cid]
        group = ("key terms" if e.kind == "key_term" else
                 "high-severity ids" if e.severity.default == "high" else "other ids")
        groups[group] = cut
    return ", ".join(f"{g} {c:g}" for g, c in sorted(groups.items()))


def _prompt_version(settings: Settings, suite: Suite) -> str | None:
    if suite.backend != "llm":
        return None
    from service.backends.llm.prompts import load_prompts

    return load_prompts(str(settings.prompts_dir)).version


def default_out_dir() -> Path:
    return REPO_ROOT / "evals" / "results"
