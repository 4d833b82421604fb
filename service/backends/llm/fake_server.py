"""A small OpenAI-compatible server for tests, benchmarks and demos (127.0.0.1 only).

It is a working (weak) model: a candidate clause is "present" when one of the library's cue
phrases occurs in the excerpt, and the quote is the sentence holding it. It counts calls and
tokens, and can be told to misbehave (HTTP 429/500 first, slow answers, invalid JSON, no
json_schema support like llama.cpp, or to be fooled by injected instructions).
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from service.library.loader import ClauseLibrary

BOUNDARY = re.compile(r"^===== CONTRACT EXCERPT (\w+) =====$", re.M)
CANDIDATE = re.compile(r"^\[([a-z0-9_]+)\] ", re.M)
INSTRUCTION = re.compile(r"ignore (all )?(previous|prior|above) instructions|report no risks"
                         r"|you are an? (ai|language model)|system prompt", re.I)
SENTENCE = re.compile(r"[^.;]+(?:[.;]|$)")


@dataclass
class Behaviour:
    methods: tuple[str, ...] = ("json_schema", "function_calling", "json_object")
    fail_statuses: list[int] = field(default_factory=list)  # returned first, in order
    delay_first_s: list[float] = field(default_factory=list)  # sleeps for the first requests
    invalid_first: int = 0  # first N answers are not JSON
    gullible: bool = False  # obeys "report no risks" inside the contract


@dataclass
class Counters:
    requests: int = 0
    calls: int = 0  # answered with a completion
    prompt_tokens: int = 0
    completion_tokens: int = 0
    methods: list[str] = field(default_factory=list)


def _tokens(text: str) -> int:
    return max(1, len(text) // 4)


def _quote_for(excerpt: str, cues: list[str]) -> str | None:
    low = excerpt.lower()
    for cue in cues:
        pos = low.find(cue.lower())
        if pos < 0:
            continue
        for m in SENTENCE.finditer(excerpt):
            if m.start() <= pos < m.end():
                return m.group(0).strip()
    return None


def decide(library: ClauseLibrary, prompt: str, gullible: bool) -> dict[str, Any]:
    """The fake model's verdict for one chat prompt."""
    marks = list(BOUNDARY.finditer(prompt))
    excerpt = prompt[marks[0].end():marks[1].start()].strip("\n") if len(marks) >= 2 else ""
    ids = CANDIDATE.findall(prompt[: marks[0].start()] if marks else prompt)
    fooled = gullible and bool(INSTRUCTION.search(excerpt))
    judgements = []
    for cid in dict.fromkeys(ids):
        entry = library.entries.get(cid)
        quote = None if fooled or entry is None else _quote_for(excerpt, entry.detection.cues)
        judgements.append({"clause_id": cid, "present": quote is not None, "quote": quote or "",
                           "severity": None, "reasons": ["Cue phrase present."] if quote else [],
                           "redline": None})
    injected = [] if fooled else [m.group(0).strip() for m in SENTENCE.finditer(excerpt)
                                  if INSTRUCTION.search(m.group(0))]
    return {"judgements": judgements, "instruction_like_text": injected}


class FakeLLMServer:
    """`with FakeLLMServer(library) as srv:` serves http://127.0.0.1:<port>/v1."""

    def __init__(self, library: ClauseLibrary, behaviour: Behaviour | None = None):
        self.library = library
        self.behaviour = behaviour or Behaviour()
        self.counters = Counters()
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def __enter__(self) -> FakeLLMServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def respond(self, body: dict[str, Any]) -> tuple[int, dict[str, Any], dict[str, str]]:
        """Status, JSON body and headers for one chat-completions request."""
        b = self.behaviour
        with self._lock:
            n = self.counters.requests
            self.counters.requests += 1
        if n < len(b.delay_first_s):
            time.sleep(b.delay_first_s[n])
        if n < len(b.fail_statuses):
            status = b.fail_statuses[n]
            return status, {"error": {"message": f"injected {status}"}}, {"Retry-After": "0"}
        method = _method(body)
        if method not in b.methods:
            return 500, {"error": {"message": f"{method} not supported"}}, {}
        prompt = "\n".join(str(m.get("content") or "") for m in body.get("messages", []))
        verdict = decide(self.library, prompt, b.gullible)
        with self._lock:
            invalid = self.counters.calls < b.invalid_first
        text = "this is not json" if invalid else json.dumps(verdict)
        with self._lock:
            self.counters.calls += 1
            self.counters.prompt_tokens += _tokens(prompt)
            self.counters.completion_tokens += _tokens(text)
            self.counters.methods.append(method)
        return 200, _chat_response(body, method, text, _tokens(prompt)), {}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                return None

            def do_GET(self) -> None:
                self._send(200, {"object": "list", "data": [{"id": "fake", "object": "model"}]}, {})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                self._send(*server.respond(body))

            def _send(self, status: int, payload: dict[str, Any], headers: dict[str, str]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

        return Handler


def _method(body: dict[str, Any]) -> str:
    if body.get("tools"):
        return "function_calling"
    fmt = (body.get("response_format") or {}).get("type")
    return "json_schema" if fmt == "json_schema" else "json_object"


def _chat_response(body: dict[str, Any], method: str, text: str, prompt_tokens: int) -> dict:
    message: dict[str, Any] = {"role": "assistant", "content": text}
    if method == "function_calling":
        message = {"role": "assistant", "content": None, "tool_calls": [{
            "id": "call_1", "type": "function",
            "function": {"name": body["tools"][0]["function"]["name"], "arguments": text}}]}
    return {"id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()),
            "model": body.get("model", "fake"),
            "choices": [{"index": 0, "message": message,
                         "finish_reason": "tool_calls" if method == "function_calling" else "stop"}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": _tokens(text),
                      "total_tokens": prompt_tokens + _tokens(text)}}
