"""One translation of errors to JSON {code, message} for the whole API."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.api.schemas import ErrorBody
from service.errors import ClausewiseError, RateLimited, Unauthorized

log = logging.getLogger("clausewise.api")
HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 406: "not_acceptable", 409: "conflict",
              413: "too_large", 415: "unsupported_type", 422: "invalid_request",
              429: "rate_limited"}


def _json(status: int, code: str, message: str, headers: dict[str, str] | None = None,
          request: Request | None = None):
    if request is not None:  # counted for /metrics
        counts = request.app.state.api_errors
        counts[code] = counts.get(code, 0) + 1
    return JSONResponse(ErrorBody(code=code, message=message).model_dump(), status_code=status,
                        headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    """Domain errors, validation errors, HTTP errors and crashes all become {code, message}."""

    @app.exception_handler(ClausewiseError)
    async def _domain(request: Request, exc: ClausewiseError):
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
        if isinstance(exc, Unauthorized):
            headers = {"WWW-Authenticate": "Bearer"}
        if exc.status >= 500:
            log.error("%s: %s", exc.code, exc.message)
        return _json(exc.status, exc.code, exc.message, headers, request)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return _json(422, "invalid_request", f"{where}: {first.get('msg', 'invalid request')}",
                     request=request)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        code = HTTP_CODES.get(exc.status_code, "error")
        return _json(exc.status_code, code, str(exc.detail), getattr(exc, "headers", None), request)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _json(500, "internal_error", "internal error (logged)", request=request)
