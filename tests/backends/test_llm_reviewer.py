"""The LLM reviewer with the real openai client: stubbed at the wire and over a socket."""

from __future__ import annotations

import json

import httpx
import pytest

from service.backends.llm import LLMReviewer
from service.backends.llm.fake_server import Behaviour, FakeLLMServer, decide
from service.errors import ConfigError
from tests.backends.factories import GOVLAW, INJECT, RECOUP, make_ctx, make_doc


def _mock_client(library, seen: list[dict]) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        seen.append(body)
        prompt = "\n".join(m["content"] or "" for m in body["messages"])
        verdict = decide(library, prompt, gullible=False)
        return httpx.Response(200, json={
            "id": "x", "object": "chat.completion", "created": 0, "model": "test-model",
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": json.dumps(verdict)}}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}})

    return httpx.Client(transport=httpx.MockTransport(handler))


def test_confirms_candidate_with_verbatim_quote_at_the_wire(llm_settings, library):
    seen: list[dict] = []
    doc = make_doc(RECOUP, GOVLAW)
    ctx = make_ctx(llm_settings, library, doc, [("recoupment_offset_clawback", RECOUP, 0.4)])
    reviewer = LLMReviewer(llm_settings, http_client=_mock_client(library, seen))
    out = [j for j in reviewer.judge(ctx) if j.present]
    assert [j.clause_id for j in out] == ["recoupment_offset_clawback"]
    j = out[0]
    assert j.source == "llm" and j.score >= 0.55
    assert doc.text[j.start:j.end] in RECOUP
    assert ctx.stats.llm_calls == 1 and ctx.stats.prompt_tokens == 100
    assert seen[0]["response_format"]["type"] == "json_schema"
    assert seen[0]["max_tokens"] == llm_settings.llm_max_tokens


def test_contract_text_is_delimited_by_a_random_boundary(llm_settings, library):
    seen: list[dict] = []
    doc = make_doc(RECOUP)
    for _ in range(2):
        ctx = make_ctx(llm_settings, library, doc, [("recoupment_offset_clawback", RECOUP, 0.4)])
        LLMReviewer(llm_settings, http_client=_mock_client(library, seen)).judge(ctx)
    tokens = [json.dumps(b).split("CONTRACT EXCERPT ")[1][:16] for b in seen]
    assert tokens[0] != tokens[1]
    user = seen[0]["messages"][1]["content"]
    assert user.count(f"===== CONTRACT EXCERPT {tokens[0]} =====") == 2


def test_llm_backend_requires_an_endpoint(settings):
    with pytest.raises(ConfigError):
        LLMReviewer(settings)


@pytest.mark.server
@pytest.mark.parametrize("methods,expected", [
    (("json_schema", "function_calling", "json_object"), "json_schema"),
    (("function_calling", "json_object"), "function_calling"),  # llama.cpp-like: no json_schema
    (("json_object",), "json_object"),
])
def test_auto_picks_a_structured_output_method_the_server_supports(
        llm_settings, library, methods, expected):
    with FakeLLMServer(library, Behaviour(methods=methods)) as srv:
        s = llm_settings.model_copy(update={"llm_base_url": srv.url})
        doc = make_doc(RECOUP)
        ctx = make_ctx(s, library, doc, [("recoupment_offset_clawback", RECOUP, 0.3)])
        out = [j for j in LLMReviewer(s).judge(ctx) if j.present]
        assert srv.counters.methods[-1] == expected
    assert out and out[0].source == "llm"


@pytest.mark.server
def test_retries_429_and_5xx_then_succeeds(llm_settings, library):
    with FakeLLMServer(library, Behaviour(fail_statuses=[429, 503])) as srv:
        s = llm_settings.model_copy(update={"llm_base_url": srv.url,
                                            "llm_structured_output": "json_schema"})
        ctx = make_ctx(s, library, make_doc(RECOUP), [("recoupment_offset_clawback", RECOUP, 0.3)])
        out = [j for j in LLMReviewer(s).judge(ctx) if j.present]
        assert srv.counters.requests == 3
    assert out and not ctx.failed


@pytest.mark.server
def test_timeout_is_retried(llm_settings, library):
    with FakeLLMServer(library, Behaviour(delay_first_s=[2.0])) as srv:
        s = llm_settings.model_copy(update={"llm_base_url": srv.url, "llm_timeout_s": 0.5,
                                            "llm_structured_output": "json_schema"})
        ctx = make_ctx(s, library, make_doc(RECOUP), [("recoupment_offset_clawback", RECOUP, 0.3)])
        out = [j for j in LLMReviewer(s).judge(ctx) if j.present]
    assert out and not ctx.failed


@pytest.mark.server
def test_invalid_output_is_reasked_once(llm_settings, library):
    with FakeLLMServer(library, Behaviour(invalid_first=1)) as srv:
        s = llm_settings.model_copy(update={"llm_base_url": srv.url,
                                            "llm_structured_output": "json_schema"})
        ctx = make_ctx(s, library, make_doc(RECOUP), [("recoupment_offset_clawback", RECOUP, 0.3)])
        out = [j for j in LLMReviewer(s).judge(ctx) if j.present]
        assert srv.counters.calls == 2
    assert out and out[0].source == "llm" and not ctx.failed


@pytest.mark.server
def test_twice_invalid_marks_chunk_failed_never_no_risk(llm_settings, library):
    with FakeLLMServer(library, Behaviour(invalid_first=2)) as srv:
        s = llm_settings.model_copy(update={"llm_base_url": srv.url,
                                            "llm_structured_output": "json_schema"})
        ctx = make_ctx(s, library, make_doc(RECOUP), [("recoupment_offset_clawback", RECOUP, 0.3)])
        out = [j for j in LLMReviewer(s).judge(ctx) if j.present]
    assert ctx.failed == [ctx.segmentation.chunks[0].chunk_id]
    assert out and all(j.needs_human_review for j in out)


@pytest.mark.server
def test_injected_instruction_cannot_silence_a_strong_offline_finding(llm_settings, library):
    """A fooled model says nothing; the offline floor keeps the finding for human review."""
    para = RECOUP + " " + INJECT
    with FakeLLMServer(library, Behaviour(gullible=True)) as srv:
        s = llm_settings.model_copy(update={"llm_base_url": srv.url})
        ctx = make_ctx(s, library, make_doc(para), [("recoupment_offset_clawback", para, 0.92)])
        out = [j for j in LLMReviewer(s).judge(ctx) if j.present]
    kept = [j for j in out if j.clause_id == "recoupment_offset_clawback"]
    assert kept and kept[0].needs_human_review and kept[0].source == "offline-floor"


@pytest.mark.server
def test_instruction_like_text_is_reported(llm_settings, library):
    para = RECOUP + " " + INJECT
    with FakeLLMServer(library) as srv:
        s = llm_settings.model_copy(update={"llm_base_url": srv.url})
        doc = make_doc(para)
        ctx = make_ctx(s, library, doc, [("recoupment_offset_clawback", para, 0.5)])
        out = [j for j in LLMReviewer(s).judge(ctx) if j.present]
    flagged = [j for j in out if j.clause_id == "embedded_instruction_text"]
    assert flagged and "ignore previous instructions" in doc.text[flagged[0].start:flagged[0].end]


@pytest.mark.server
def test_call_budget_is_respected(llm_settings, library):
    paras = [f"{RECOUP} Clause {i}." for i in range(6)]
    with FakeLLMServer(library) as srv:
        s = llm_settings.model_copy(update={"llm_base_url": srv.url, "llm_max_calls": 4,
                                            "llm_structured_output": "json_schema"})
        ctx = make_ctx(s, library, make_doc(*paras),
                       [("recoupment_offset_clawback", p, 0.5) for p in paras])
        out = LLMReviewer(s).judge(ctx)
        assert srv.counters.calls <= 4
    assert any("budget" in w for w in ctx.warnings)
    assert sum(j.needs_human_review for j in out) >= 1
