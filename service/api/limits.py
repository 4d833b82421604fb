"""Request limits: upload size enforced while the body streams in, and per-tenant rate."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from typing import Any

from service.errors import RateLimited

Scope = dict[str, Any]


class BodyLimitMiddleware:
    """Answer 413 as soon as a request body exceeds `limit` bytes (chunked uploads included)."""

    def __init__(self, app: Any, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._too_large(send)
            return
        state = {"received": 0, "exceeded": False, "started": False}

        async def limited_receive() -> dict:
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > self.limit:
                    state["exceeded"] = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: dict) -> None:
            if state["exceeded"]:
                if not state["started"]:
                    state["started"] = True
                    await self._too_large(send)
                return
            state["started"] = True
            await send(message)

        await self.app(scope, limited_receive, guarded_send)
        if state["exceeded"] and not state["started"]:
            await self._too_large(send)

    async def _too_large(self, send: Any) -> None:
        body = json.dumps({"code": "too_large",
                           "message": f"upload exceeds the limit of {self.limit} bytes"}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


class RateLimiter:
    """Sliding one-minute window per tenant (per process; put a shared limiter in front of
    a multi-process deployment)."""

    def __init__(self, per_minute: int):
        self.per_minute = per_minute
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, tenant: str) -> None:
        now = time.monotonic()
        with self._lock:
            hits = self._hits.setdefault(tenant, deque())
            while hits and now - hits[0] > 60.0:
                hits.popleft()
            if len(hits) >= self.per_minute:
                retry = max(1, int(60.0 - (now - hits[0])) + 1)
                raise RateLimited(f"more than {self.per_minute} requests per minute",
                                  retry_after=retry)
            hits.append(now)
