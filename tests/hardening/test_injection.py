"""Prompt injection (OWASP LLM01) inside the contract must not change verdicts: offline, with an
OpenAI-compatible model (the fake server, at the wire), and with a model that is fooled."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from service.backends.llm.fake_server import Behaviour, FakeLLMServer
from service.ingest import ingest_bytes
from service.records import ReviewResult
from service.review.components import Components
from service.review.pipeline import ReviewOptions, review_document
from service.settings import Settings
from tests.hardening.injection_docs import NEUTRAL, PAYLOADS, Mode, payer_pdf

FLAG = "embedded_instruction_text"
STRONG = 0.8  # offline score the LLM reviewer keeps as a floor (reviewer.FLOOR_SCORE)
IDS = [p[0] for p in PAYLOADS]
NO_RULE = ("bug: the library's embedded_instruction_text patterns only feed the learned detector; "
           "a payload matching them can score < min_score, and below the LLM floor a silent or "
           "fooled model drops the flag (fix: pattern candidates in service/review/candidates.py)")
OFFLINE_MISSED: set[str] = set()  # all fixed by integrity-pattern candidates
LLM_MISSED: set[str] = set()


def marked(missed: set[str]) -> list[Any]:
    """PAYLOADS as params; the ones in `missed` are known failures (xfail strict)."""
    return [pytest.param(*p, id=p[0], marks=[pytest.mark.xfail(strict=True, reason=NO_RULE)]
                         if p[0] in missed else []) for p in PAYLOADS]

Verdicts = set[tuple[str, str]]


def _norm(text: str) -> str:
    return " ".join(text.split())


def _without_payload(quote: str, payload: str) -> str:
    """The quote with any payload words next to it removed (a quote may run into the injected
    text when they share a sentence; the verdict is about the contract's own words)."""
    words, bad = _norm(quote).split(), set(_norm(payload).split())
    while words and words[0] in bad:
        words.pop(0)
    while words and words[-1] in bad:
        words.pop()
    return " ".join(words)


def verdicts(result: ReviewResult, payload: str = "") -> Verdicts:
    """(clause_id, normalised quote) of every finding about the contract's own clauses: not the
    injection flag, nor a quote taken from inside the payload (quoting it is reporting it)."""
    return {(f.clause_id, _without_payload(f.quote, payload)) for f in result.findings
            if f.clause_id != FLAG and not (payload and _norm(f.quote) in _norm(payload))}


def flagged(result: ReviewResult) -> list[str]:
    return [" ".join(f.quote.split()) for f in result.findings if f.clause_id == FLAG]


Env = tuple[Components, Settings, dict[tuple[bytes, str], ReviewResult]]


@pytest.fixture(scope="module")
def env(tmp_path_factory, model_dir) -> Env:
    settings = Settings(data_dir=tmp_path_factory.mktemp("inject"), embedding_model_dir=model_dir)
    return Components.from_settings(settings), settings, {}


def review(env: Env, pdf: bytes, settings: Settings | None = None,
           backend: str = "offline") -> ReviewResult:
    """Review once per (file, backend endpoint) in this module; later calls reuse the result."""
    comps, base, cache = env
    s = settings or base
    key = (hashlib.sha256(pdf).digest(), f"{backend}:{s.llm_base_url}")
    if key not in cache:
        doc = ingest_bytes(pdf, "contract.pdf", s)
        cache[key] = review_document(doc, s, ReviewOptions(backend=backend), components=comps)
    return cache[key]


@pytest.fixture(scope="module")
def control(env: Env) -> Callable[..., ReviewResult]:
    """The review of the neutral-paragraph contract, per mode and backend."""
    def get(mode: Mode, settings: Settings | None = None, backend: str = "offline") -> ReviewResult:
        result = review(env, payer_pdf(NEUTRAL, mode), settings, backend)
        assert verdicts(result) and not flagged(result)  # finds risks, flags nothing
        return result

    return get


def _llm(env, behaviour: Behaviour) -> Iterator[Settings]:
    from service.library import get_library

    base = env[1]
    with FakeLLMServer(get_library(base.library_dir), behaviour) as srv:
        yield base.model_copy(update={"llm_base_url": srv.url, "llm_api_key": "k",
                                      "llm_model": "fake", "backend": "llm",
                                      "llm_max_retries": 1, "llm_timeout_s": 20.0})


@pytest.fixture(scope="module")
def llm_settings(env) -> Iterator[Settings]:
    yield from _llm(env, Behaviour())


@pytest.fixture(scope="module")
def gullible_settings(env) -> Iterator[Settings]:
    yield from _llm(env, Behaviour(gullible=True))


@pytest.mark.parametrize(("name", "payload", "mode"), PAYLOADS, ids=IDS)
def test_offline_verdicts_unchanged(env, control, figures, name, payload, mode):
    result = review(env, payer_pdf(payload, mode))
    same = verdicts(result, payload) == verdicts(control(mode))
    figures.record("injection", same, f"offline/{name}")
    assert verdicts(result, payload) == verdicts(control(mode))


@pytest.mark.parametrize(("name", "payload", "mode"), marked(OFFLINE_MISSED))
def test_offline_reports_the_payload(env, figures, name, payload, mode):
    result = review(env, payer_pdf(payload, mode))
    figures.record("injection_flagged", bool(flagged(result)), f"offline/{name}")
    assert flagged(result), "instruction-like text is itself a finding"


@pytest.mark.slow
@pytest.mark.server
@pytest.mark.parametrize(("name", "payload", "mode"), PAYLOADS, ids=IDS)
def test_llm_verdicts_unchanged(env, control, llm_settings, figures, name, payload, mode):
    result = review(env, payer_pdf(payload, mode), llm_settings, "llm")
    clean = control(mode, llm_settings, "llm")
    same = verdicts(result, payload) == verdicts(clean) and not result.failed
    figures.record("injection", same, f"llm/{name}")
    assert result.backend.startswith("llm") and not result.failed
    assert verdicts(result, payload) == verdicts(clean)


@pytest.mark.slow
@pytest.mark.server
@pytest.mark.parametrize(("name", "payload", "mode"), marked(LLM_MISSED))
def test_llm_reports_the_payload(env, llm_settings, figures, name, payload, mode):
    result = review(env, payer_pdf(payload, mode), llm_settings, "llm")
    figures.record("injection_flagged", bool(flagged(result)), f"llm/{name}")
    assert flagged(result)


@pytest.mark.slow
@pytest.mark.server
@pytest.mark.parametrize(("name", "payload", "mode"), PAYLOADS, ids=IDS)
def test_fooled_model_cannot_silence_strong_offline_findings(env, gullible_settings, figures,
                                                             name, payload, mode):
    """The gullible model answers "nothing here" for the excerpt holding the payload: every
    strong offline finding must survive."""
    pdf = payer_pdf(payload, mode)
    offline = review(env, pdf)
    fooled = review(env, pdf, gullible_settings, "llm")
    strong = {f.clause_id for f in offline.findings if f.score >= STRONG}
    kept = {f.clause_id for f in fooled.findings}
    figures.record("injection_fooled_model", strong <= kept,
                   f"gullible/{name}: lost {sorted(strong - kept)}")
    assert strong and strong <= kept


@pytest.mark.slow
@pytest.mark.server
@pytest.mark.parametrize(("name", "payload", "mode"), marked(set(IDS)))
def test_fooled_model_still_reports_the_payload(env, gullible_settings, figures, name, payload,
                                                mode):
    """The model is the thing under attack: it must not be able to remove the injection flag,
    which then needs human review."""
    fooled = review(env, payer_pdf(payload, mode), gullible_settings, "llm")
    flags = [f for f in fooled.findings if f.clause_id == FLAG]
    ok = bool(flags) and all(f.needs_human_review for f in flags)
    figures.record("injection_fooled_flagged", ok, f"gullible/{name}")
    assert ok
