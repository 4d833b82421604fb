"""LLM reviewer: one call per candidate chunk judging all its candidate clause types."""

from __future__ import annotations

import json
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from service.backends.base import Candidate, Judgement, ReviewContext
from service.backends.llm.client import StructuredClient, parse_json
from service.backends.llm.prompts import load_prompts
from service.backends.llm.schema import ChunkVerdict, ClauseJudgement, verdict_json_schema
from service.errors import BackendError, ConfigError
from service.records import Chunk
from service.review.verify import locate_quote
from service.settings import Settings

SEND_MIN_SCORE = 0.15  # offline score worth a model call
FLOOR_SCORE = 0.8  # offline score kept (needs human review) even when the model disagrees
CONFIRM_BASE = 0.55  # a model-confirmed finding scores at least this
INSTRUCTION_ID = "embedded_instruction_text"


@dataclass
class ChunkJob:
    chunk: Chunk
    candidates: list[Candidate]
    verdict: ChunkVerdict | None = None
    failed: bool = False
    ids: list[str] = field(default_factory=list)


class LLMReviewer:
    """Confirms or rejects candidates with any OpenAI-compatible endpoint."""

    name = "llm"

    def __init__(self, settings: Settings, http_client: Any = None):
        if not settings.llm_configured:
            raise ConfigError("the llm backend needs CLAUSEWISE_LLM_BASE_URL (and usually "
                              "CLAUSEWISE_LLM_API_KEY, CLAUSEWISE_LLM_MODEL)")
        self.settings = settings
        self.client = StructuredClient(settings, http_client=http_client)
        self.prompts = load_prompts(str(settings.prompts_dir))
        self.prompt_version = self.prompts.version
        self.label = f"llm:{settings.llm_model}"
        self._lock = threading.Lock()

    def judge(self, ctx: ReviewContext) -> list[Judgement]:
        """Send candidate chunks (within budget) to the model and merge with the offline floor."""
        jobs, skipped = self._plan(ctx)
        with ThreadPoolExecutor(max_workers=max(1, self.settings.llm_concurrency)) as pool:
            list(pool.map(lambda job: self._run(ctx, job), jobs))
        judged = {job.chunk.chunk_id: job for job in jobs}
        for job in jobs:
            if job.failed:
                ctx.failed.append(job.chunk.chunk_id)
        if skipped:
            ctx.warnings.append(f"LLM call budget ({self.settings.llm_max_calls}) reached: "
                                f"{skipped} chunk(s) judged offline only (needs human review)")
        return merge(ctx, judged)

    def _plan(self, ctx: ReviewContext) -> tuple[list[ChunkJob], int]:
        groups: dict[str, list[Candidate]] = {}
        for c in ctx.candidates:
            if c.chunk_id and (c.score >= SEND_MIN_SCORE or "retrieval" in c.sources):
                groups.setdefault(c.chunk_id, []).append(c)
        order = sorted(groups, key=lambda k: -max(c.score for c in groups[k]))
        budget = max(0, self.settings.llm_max_calls // 2)  # each chunk may need a re-ask
        jobs = [ChunkJob(chunk=ctx.chunk(k), candidates=groups[k]) for k in order[:budget]]
        return jobs, max(0, len(order) - budget)

    def _run(self, ctx: ReviewContext, job: ChunkJob) -> None:
        job.ids = sorted({c.clause_id for c in job.candidates})
        excerpt = ctx.doc.text[job.chunk.start:job.chunk.end]
        boundary = secrets.token_hex(8)
        messages = self._messages(ctx, job, excerpt, boundary)
        for attempt in (1, 2):
            try:
                completion = self.client.complete(messages, verdict_json_schema())
            except BackendError as exc:
                ctx.warnings.append(f"chunk {job.chunk.chunk_id}: {exc.message}")
                job.failed = True
                return
            self._count(ctx, completion.prompt_tokens, completion.completion_tokens)
            try:
                job.verdict = validate_verdict(completion.raw, job.ids, excerpt)
                return
            except ValueError as exc:
                if attempt == 2:
                    ctx.warnings.append(f"chunk {job.chunk.chunk_id}: invalid model output "
                                        f"after re-ask: {exc}")
                    job.failed = True
                    return
                reask = self.prompts.render("reask", error=str(exc)[:800], ids=job.ids,
                                            boundary=boundary)
                messages = [*messages, {"role": "assistant", "content": completion.raw},
                            {"role": "user", "content": reask}]

    def _messages(self, ctx: ReviewContext, job: ChunkJob, excerpt: str,
                  boundary: str) -> list[dict[str, str]]:
        line = f"===== CONTRACT EXCERPT {boundary} ====="
        system = self.prompts.render(
            "system", boundary=boundary, schema_in_prompt=self.client.schema_in_prompt,
            schema_json=json.dumps(verdict_json_schema()))
        user = self.prompts.render(
            "user", contract_type=ctx.contract_type,
            section=job.chunk.section_number, section_title=job.chunk.section_title,
            page=job.chunk.page_start, entries=[ctx.entries[i] for i in job.ids],
            boundary_line=line, excerpt=excerpt)
        return [{"role": "system", "content": system}, {"role": "user", "content": user}]

    def _count(self, ctx: ReviewContext, prompt: int, completion: int) -> None:
        with self._lock:
            ctx.stats.llm_calls += 1
            ctx.stats.prompt_tokens += prompt
            ctx.stats.completion_tokens += completion


def validate_verdict(raw: str, ids: list[str], excerpt: str) -> ChunkVerdict:
    """Schema check plus the rules pydantic cannot express (ids answered, quotes verbatim)."""
    try:
        verdict = ChunkVerdict.model_validate(parse_json(raw))
    except ValidationError as exc:
        raise ValueError(f"schema mismatch: {exc.errors()[:3]}") from exc
    problems = []
    answered = {j.clause_id for j in verdict.judgements}
    if missing := sorted(set(ids) - answered):
        problems.append(f"no judgement for {missing}")
    for j in verdict.judgements:
        if j.present and locate_quote(excerpt, j.quote) is None:
            problems.append(f"quote for {j.clause_id} is not verbatim text of the excerpt")
    if problems:
        raise ValueError("; ".join(problems))
    return verdict


def _located(ctx: ReviewContext, chunk: Chunk, quote: str) -> tuple[int, int] | None:
    span = locate_quote(ctx.doc.text[chunk.start:chunk.end], quote)
    return (chunk.start + span[0], chunk.start + span[1]) if span else None


def _confirmed(ctx: ReviewContext, job: ChunkJob, v: ClauseJudgement,
               best: float) -> Judgement | None:
    span = _located(ctx, job.chunk, v.quote)
    if span is None:
        return None
    quote = ctx.doc.text[span[0]:span[1]]
    proposed = None
    if v.redline and v.redline.original and v.redline.original in quote:
        proposed = quote.replace(v.redline.original, v.redline.proposed, 1)
    return Judgement(clause_id=v.clause_id, present=True, start=span[0], end=span[1],
                     score=CONFIRM_BASE + (1 - CONFIRM_BASE) * best, severity=v.severity,
                     reasons=v.reasons, proposed=proposed, source="llm")


def _floor(c: Candidate) -> Judgement:
    return Judgement(clause_id=c.clause_id, present=True, score=c.score, start=c.start,
                     end=c.end, source="offline-floor", needs_human_review=True)


def _judge_job(ctx: ReviewContext, job: ChunkJob) -> list[Judgement]:
    if job.failed or job.verdict is None:
        return [_floor(c) for c in job.candidates if c.score >= SEND_MIN_SCORE]
    out: list[Judgement] = []
    by_id = {v.clause_id: v for v in job.verdict.judgements}
    for cid in job.ids:
        cands = [c for c in job.candidates if c.clause_id == cid]
        best = max(c.score for c in cands)
        v = by_id[cid]
        confirmed = _confirmed(ctx, job, v, best) if v.present else None
        if confirmed is not None:
            out.append(confirmed)
        else:  # the model is silent: offline detectors stay as a floor
            out.extend(_floor(c) for c in cands if c.score >= FLOOR_SCORE)
    if INSTRUCTION_ID in ctx.entries:
        for text in job.verdict.instruction_like_text:
            span = _located(ctx, job.chunk, text)
            if span:
                out.append(Judgement(clause_id=INSTRUCTION_ID, present=True, score=0.9,
                                     start=span[0], end=span[1], source="llm"))
    return out


def merge(ctx: ReviewContext, judged: dict[str, ChunkJob]) -> list[Judgement]:
    """Model verdicts for judged chunks; offline judgements (flagged) everywhere else."""
    out: list[Judgement] = []
    for job in judged.values():
        out.extend(_judge_job(ctx, job))
    for c in ctx.candidates:
        if c.chunk_id in judged:
            continue
        over_budget = c.chunk_id is not None and c.score >= SEND_MIN_SCORE
        out.append(Judgement(clause_id=c.clause_id, present=True, score=c.score, start=c.start,
                             end=c.end, source="offline", needs_human_review=over_budget))
    return out
