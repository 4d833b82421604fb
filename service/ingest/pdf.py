"""PDF ingestion: parse untrusted bytes in a limited child process, then assemble a Document.

The child (service.ingest.pdf_worker) runs under RLIMIT_AS/RLIMIT_CPU and a wall-clock timeout
after which it is killed, so loops, memory bombs and native crashes in pypdf cannot take the
service down. Children come from a forkserver that has pypdf pre-imported: safe when the parent
has threads (uvicorn, onnxruntime) and cheap per call (a fork, no re-import).

Document.text joins the pages with PAGE_SEPARATOR ("\\n\\n"); Page spans locate each page.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import re
import signal
from multiprocessing.context import BaseContext

from service import errors
from service.ingest.furniture import detect_furniture
from service.records import Page, Span
from service.settings import Settings

PAGE_SEPARATOR = "\n\n"
_ERRORS: dict[str, type[errors.InputError]] = {
    "pdf_encrypted": errors.PdfEncrypted,
    "pdf_too_complex": errors.PdfTooComplex,
    "pdf_unreadable": errors.PdfUnreadable,
    "too_many_pages": errors.TooManyPages,
}
_context: BaseContext | None = None
log = logging.getLogger("clausewise.ingest")


def _ctx() -> BaseContext:
    global _context  # one forkserver per process, started on first use (never at import)
    if _context is None:
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["service.ingest.pdf_worker", "service.ingest.columns", "pypdf"])
        _context = ctx
    return _context


def parse_pdf(data: bytes, settings: Settings) -> list[str]:
    """Return the raw text of each page, extracted in the sandbox child."""
    from service.ingest.pdf_worker import child_main

    ctx = _ctx()
    recv, send = ctx.Pipe(duplex=False)
    args = (send, data, settings.max_pages, settings.pdf_memory_mb, settings.pdf_cpu_s)
    proc = ctx.Process(target=child_main, args=args, daemon=True)  # type: ignore[attr-defined]
    proc.start()
    send.close()
    try:
        result = recv.recv() if recv.poll(settings.pdf_timeout_s) else None
    except (EOFError, OSError):
        result = None  # the child died before answering (limit hit or native crash)
    finally:
        recv.close()
        if proc.is_alive():
            proc.kill()
        proc.join(5)
    if result is None:
        raise _death_error(proc.exitcode, settings)
    if result[0] == "error":
        raise _ERRORS.get(result[1], errors.PdfUnreadable)(result[2])
    log.debug("pdf child: %d pages, peak RSS %d kB", len(result[1]), result[2])
    return list(result[1])


def _death_error(exitcode: int | None, settings: Settings) -> errors.InputError:
    if exitcode in (None, -signal.SIGKILL, -signal.SIGXCPU, -signal.SIGSEGV, 1):
        # killed by our timeout/CPU limit, or an allocation failure under RLIMIT_AS
        return errors.PdfTooComplex(
            f"The PDF could not be parsed within the limits ({settings.pdf_timeout_s:g} s, "
            f"{settings.pdf_memory_mb} MB)."
        )
    return errors.PdfUnreadable(f"The PDF parser failed (exit code {exitcode}).")


def clean_page(raw: str) -> str:
    """Normalise one page's text: unify newlines, strip trailing spaces and blank edges."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = re.sub(r"[ \t]+\n", "\n", text)
    return text.strip("\n").rstrip()


def assemble(page_texts: list[str]) -> tuple[str, list[Page], list[Span], list[int]]:
    """Join pages into one text; return (text, pages, excluded spans, unreadable page numbers)."""
    parts: list[str] = []
    pages: list[Page] = []
    pos = 0
    for number, raw in enumerate(page_texts, start=1):
        text = clean_page(raw)
        if parts:
            parts.append(PAGE_SEPARATOR)
            pos += len(PAGE_SEPARATOR)
        parts.append(text)
        pages.append(
            Page(number=number, start=pos, end=pos + len(text), has_text=bool(text.strip()))
        )
        pos += len(text)
    full = "".join(parts)
    excluded = detect_furniture(full, pages)
    pages = [_mark_furniture_only(full, p, excluded) for p in pages]
    unreadable = [p.number for p in pages if not p.has_text]
    if not any(p.has_text for p in pages):
        raise errors.NoTextLayer(
            "The PDF has no text layer (scanned image?); OCR it first or upload the original."
        )
    return full, pages, excluded, unreadable


def _mark_furniture_only(text: str, page: Page, excluded: list[Span]) -> Page:
    """A scanned page carrying only a stamped header/footer still counts as unreadable."""
    if not page.has_text:
        return page
    chars = list(text[page.start : page.end])
    for span in excluded:
        for i in range(max(span.start, page.start), min(span.end, page.end)):
            chars[i - page.start] = " "
    if "".join(chars).strip():
        return page
    return page.model_copy(update={"has_text": False})
