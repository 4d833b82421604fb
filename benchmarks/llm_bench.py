"""LLM cost: the product's chunk-batched calls vs two baselines, on the gold corpus, same fake model.

Every approach sends real requests to the project's FakeLLMServer (so calls and tokens are
counted by the same code) with prompts rendered from prompts/ by the product's own reviewer:
- product: review_document(backend="llm") — one call per candidate chunk, all its candidate types;
- naive: every chunk x every applicable clause type, one clause type per call;
- whole: the whole contract in one prompt per applicable clause type.
Recall of each is computed with service.evaluation.spans.evaluate on the corpus gold spans.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from service.evaluation.corpus import Corpus, load_corpus
from service.evaluation.spans import Prediction, evaluate
from service.records import Chunk, Document, ReviewStats
from service.settings import REPO_ROOT, Settings

CORPUS = REPO_ROOT / "evals" / "payer"
APPROACHES = ("product", "naive", "whole")
Log = Callable[[str], None]


@dataclass
class Tally:
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0


def _delta(srv: Any, before: tuple[int, int, int], tally: Tally) -> None:
    c = srv.counters
    tally.calls += c.calls - before[0]
    tally.prompt_tokens += c.prompt_tokens - before[1]
    tally.completion_tokens += c.completion_tokens - before[2]


def _snap(srv: Any) -> tuple[int, int, int]:
    c = srv.counters
    return c.calls, c.prompt_tokens, c.completion_tokens


def _ask(reviewer: Any, ctx: Any, chunk: Chunk, clause_id: str) -> tuple[int, int] | None:
    """One baseline call (one clause type, one excerpt); the located span if judged present."""
    from service.backends.llm.client import parse_json
    from service.backends.llm.reviewer import ChunkJob
    from service.backends.llm.schema import verdict_json_schema
    from service.review.verify import locate_quote

    job = ChunkJob(chunk=chunk, candidates=[], ids=[clause_id])
    excerpt = ctx.doc.text[chunk.start:chunk.end]
    messages = reviewer._messages(ctx, job, excerpt, secrets.token_hex(8))
    raw = reviewer.client.complete(messages, verdict_json_schema()).raw
    for j in parse_json(raw).get("judgements", []):
        if j.get("clause_id") == clause_id and j.get("present"):
            span = locate_quote(excerpt, j.get("quote") or "")
            if span:
                return chunk.start + span[0], chunk.start + span[1]
    return None


def _baseline(kind: str, cid: str, doc: Document, reviewer: Any, comps: Any,
              ctype: str, ids: list[str]) -> list[Prediction]:
    """Naive (chunk x type) or whole-contract (one prompt per type) predictions for one contract."""
    from service.backends.base import ReviewContext
    from service.library import get_library

    seg = comps.segment(doc)
    entries = {e.id: e for e in get_library(reviewer.settings.library_dir).for_pack(ctype)}
    ctx = ReviewContext(doc=doc, segmentation=seg, entries=entries, candidates=[],
                        settings=reviewer.settings, stats=ReviewStats(), contract_type=ctype)
    if kind == "naive":
        units = seg.chunks
    else:
        units = [Chunk(chunk_id=f"{doc.doc_id}:whole", doc_id=doc.doc_id, ordinal=0, text=doc.text,
                       start=0, end=len(doc.text), page_start=1, page_end=doc.page_count)]
    work = [(u, e) for u in units for e in entries]  # every applicable type, judged or not
    with ThreadPoolExecutor(max_workers=8) as pool:
        spans = list(pool.map(lambda w: _ask(reviewer, ctx, w[0], w[1]), work))
    return [Prediction(cid, e, s[0], s[1], 1.0) for (_, e), s in zip(work, spans, strict=True)
            if s is not None and e in ids]


def _product(cid: str, doc: Document, settings: Settings, comps: Any, ctype: str) -> list[Prediction]:
    from service.review.pipeline import ReviewOptions, review_document

    opts = ReviewOptions(contract_type=ctype, backend="llm", tenant="bench-llm", min_score=0.0)
    result = review_document(doc, settings, opts, components=comps)
    return [Prediction(cid, f.clause_id, f.start, f.end, f.score) for f in result.findings]


def _risk_ids(settings: Settings, ctype: str) -> list[str]:
    from service.library import get_library

    return sorted(e.id for e in get_library(settings.library_dir).for_pack(ctype) if e.kind == "risk")


def compare(settings: Settings, contract_ids: list[str] | None = None, split: str = "train",
            log: Log = print) -> dict[str, Any]:
    """Calls, tokens and recall per approach over the chosen corpus contracts."""
    from service.backends.llm.fake_server import FakeLLMServer
    from service.backends.llm.reviewer import LLMReviewer
    from service.ingest import ingest_path
    from service.library import get_library
    from service.review.components import Components

    corpus: Corpus = load_corpus(CORPUS)
    ids = contract_ids or corpus.ids(split)
    tallies = {a: Tally() for a in APPROACHES}
    preds: dict[str, list[Prediction]] = {a: [] for a in APPROACHES}
    evaluated: set[str] = set()
    with FakeLLMServer(get_library(settings.library_dir)) as srv:
        s = settings.model_copy(update={"llm_base_url": srv.url, "backend": "llm",
                                        "llm_structured_output": "json_schema"})
        comps = Components.from_settings(s)
        reviewer = LLMReviewer(s)
        for cid in ids:
            ctype = corpus.meta[cid].contract_type
            risk = _risk_ids(s, ctype)
            evaluated.update(risk)
            doc = ingest_path(corpus.path(cid), s)
            for approach in APPROACHES:
                before = _snap(srv)
                if approach == "product":
                    preds[approach] += _product(cid, doc, s, comps, ctype)
                else:
                    preds[approach] += _baseline(approach, cid, doc, reviewer, comps, ctype, risk)
                _delta(srv, before, tallies[approach])
            log(f"  llm {cid}: " + ", ".join(f"{a} {tallies[a].calls} calls" for a in APPROACHES))
    return _report(ids, corpus, tallies, preds, sorted(evaluated), s.min_score)


def _report(ids: list[str], corpus: Corpus, tallies: dict[str, Tally],
            preds: dict[str, list[Prediction]], evaluated: list[str],
            threshold: float) -> dict[str, Any]:
    gold = {c: corpus.gold.get(c, {}) for c in ids}
    n = len(ids)
    out: dict[str, Any] = {"contracts": ids, "threshold": threshold, "approaches": {}}
    for a in APPROACHES:
        m = evaluate(preds[a], gold, threshold, evaluated)
        t = tallies[a]
        out["approaches"][a] = {
            "calls_per_contract": round(t.calls / n, 1),
            "prompt_tokens_per_contract": round(t.prompt_tokens / n),
            "completion_tokens_per_contract": round(t.completion_tokens / n),
            "recall": round(m["overall"]["recall"], 3), "precision": round(m["overall"]["precision"], 3),
            "doc_recall": round(m["doc_recall"], 3), "gold_spans": m["overall"]["gold"]}
    naive = out["approaches"]["naive"]["prompt_tokens_per_contract"] or 1
    for a in APPROACHES:
        out["approaches"][a]["tokens_vs_naive"] = round(
            out["approaches"][a]["prompt_tokens_per_contract"] / naive, 4)
    return out


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="train", choices=["train", "test", "all"])
    ap.add_argument("--contracts", nargs="*", help="corpus contract ids (default: the split)")
    ap.add_argument("--model-dir", type=Path, default=None)
    args = ap.parse_args()
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        base = Settings(data_dir=Path(tmp), embedding_model_dir=args.model_dir or Settings().model_dir)
        print(json.dumps(compare(base, args.contracts, args.split), indent=2))
