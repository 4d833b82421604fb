"""Domain errors with stable codes; translated once per edge (API handler, CLI)."""

from __future__ import annotations


class ClausewiseError(Exception):
    """Base error: a stable machine code, a human message and the HTTP status it maps to."""

    code = "error"
    status = 500

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status

    def to_dict(self) -> dict[str, str]:
        """JSON body used by the API: {code, message}."""
        return {"code": self.code, "message": self.message}


class InputError(ClausewiseError):
    """The user's input is unusable; never a server fault."""

    code = "bad_input"
    status = 422


class EmptyFile(InputError):
    code = "empty_file"
    status = 422


class UnsupportedType(InputError):
    code = "unsupported_type"
    status = 415


class PdfUnreadable(InputError):
    code = "pdf_unreadable"


class PdfEncrypted(InputError):
    code = "pdf_encrypted"


class NoTextLayer(InputError):
    code = "no_text_layer"


class PdfTooComplex(InputError):
    code = "pdf_too_complex"


class TooManyPages(InputError):
    code = "too_many_pages"
    status = 413


class TooLarge(InputError):
    code = "too_large"
    status = 413


class BadEncoding(InputError):
    code = "bad_encoding"


class DocxUnreadable(InputError):
    code = "docx_unreadable"


class NotFound(ClausewiseError):
    code = "not_found"
    status = 404


class Unauthorized(ClausewiseError):
    code = "unauthorized"
    status = 401


class RateLimited(ClausewiseError):
    code = "rate_limited"
    status = 429

    def __init__(self, message: str, *, retry_after: int = 1):
        super().__init__(message)
        self.retry_after = retry_after


class ConfigError(ClausewiseError):
    """Bad settings, a broken clause library or prompt file, a missing model."""

    code = "config_error"
    status = 500


class LibraryError(ConfigError):
    code = "library_invalid"


class ModelMissing(ConfigError):
    code = "model_missing"


class BackendError(ClausewiseError):
    """The reviewer backend failed (e.g. the LLM endpoint is down after retries)."""

    code = "backend_failed"
    status = 502


class LLMOutputInvalid(BackendError):
    """The model's output failed validation twice; carries the raw output and attempts."""

    code = "llm_output_invalid"

    def __init__(self, message: str, *, raw: str = "", attempts: int = 0):
        super().__init__(message)
        self.raw = raw
        self.attempts = attempts
