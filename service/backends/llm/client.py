"""OpenAI-compatible chat client with the structured-output method each server supports."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from typing import Any

from service.errors import BackendError
from service.settings import Settings

METHODS = ("json_schema", "function_calling", "json_object")
TOOL_NAME = "report_judgements"
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.S)


@dataclass
class Completion:
    raw: str  # the model's JSON text (content or tool arguments)
    prompt_tokens: int
    completion_tokens: int


class StructuredClient:
    """Sends chat requests and returns the JSON text, whatever the server's method."""

    def __init__(self, settings: Settings, http_client: Any = None):
        try:
            import openai
        except ImportError as exc:  # pragma: no cover - openai is a core dependency
            raise BackendError("the llm backend needs the `openai` package") from exc
        self._openai = openai
        self.settings = settings
        self.client = openai.OpenAI(
            base_url=settings.llm_base_url, api_key=settings.llm_api_key or "not-needed",
            timeout=settings.llm_timeout_s, max_retries=settings.llm_max_retries,
            http_client=http_client)
        self._method: str | None = (None if settings.llm_structured_output == "auto"
                                    else settings.llm_structured_output)
        self._lock = threading.Lock()

    @property
    def schema_in_prompt(self) -> bool:
        """json_object servers only see the schema if the prompt carries it."""
        return self._method in (None, "json_object")

    def complete(self, messages: list[dict[str, str]], schema: dict) -> Completion:
        """One structured call; in auto mode probe methods once and remember what works."""
        if self._method is not None:
            return self._call(self._method, messages, schema, self.client)
        probe = self.client.with_options(max_retries=0)
        last: Exception | None = None
        for method in METHODS:
            try:
                result = self._call(method, messages, schema, probe)
            except (self._openai.BadRequestError, self._openai.InternalServerError,
                    self._openai.UnprocessableEntityError, self._openai.NotFoundError) as exc:
                last = exc
                continue
            with self._lock:
                self._method = method
            return result
        raise BackendError(f"no structured-output method works with this server: {last}")

    def _call(self, method: str, messages: list[dict[str, str]], schema: dict,
              client: Any) -> Completion:
        kwargs: dict[str, Any] = {"model": self.settings.llm_model, "messages": messages,
                                  "max_tokens": self.settings.llm_max_tokens, "temperature": 0}
        if method == "json_schema":
            kwargs["response_format"] = {"type": "json_schema", "json_schema": {
                "name": "chunk_verdict", "schema": schema, "strict": False}}
        elif method == "json_object":
            kwargs["response_format"] = {"type": "json_object", "schema": schema}
        else:
            kwargs["tools"] = [{"type": "function", "function": {
                "name": TOOL_NAME, "description": "Report the clause judgements",
                "parameters": schema}}]
            kwargs["tool_choice"] = {"type": "function", "function": {"name": TOOL_NAME}}
        try:
            resp = client.chat.completions.create(**kwargs)
        except (self._openai.APIConnectionError, self._openai.APITimeoutError,
                self._openai.RateLimitError) as exc:
            raise BackendError(f"LLM endpoint unavailable after retries: {exc}") from exc
        return _completion(resp, method)


def _completion(resp: Any, method: str) -> Completion:
    choice = resp.choices[0].message
    if method == "function_calling" and choice.tool_calls:
        raw = choice.tool_calls[0].function.arguments or ""
    else:
        raw = choice.content or ""
    usage = resp.usage
    return Completion(raw=_FENCE.sub("", raw.strip()),
                      prompt_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
                      completion_tokens=int(getattr(usage, "completion_tokens", 0) or 0))


def parse_json(raw: str) -> Any:
    """Parse the model's JSON text; raises ValueError with a readable message."""
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg} at position {exc.pos})") from exc
