"""Child-process side of PDF parsing: resource limits, lowered pypdf caps, page text extraction.

Runs only inside the sandbox child started by service.ingest.pdf; it returns plain tuples over
a pipe so nothing pypdf-specific crosses the process boundary.
"""

from __future__ import annotations

import io
import resource
from multiprocessing.connection import Connection
from typing import Any

# Caps well below pypdf's 75 MB defaults: a contract page needs kilobytes, not megabytes.
_CAP = 20_000_000
PYPDF_LIMITS: dict[str, Any] = {
    "maximum_declared_stream_length": _CAP,
    "array_based_stream_maximum_output_length": _CAP,
    "jbig2_maximum_output_length": _CAP,
    "lzw_maximum_output_length": _CAP,
    "run_length_maximum_output_length": _CAP,
    "zlib_maximum_output_length": _CAP,
    "zlib_maximum_recovery_input_length": 2_000_000,
    "brotli_maximum_output_length": _CAP,
    "image_maximum_buffer_size": _CAP,
    "stream_filters_maximum_length": 4,
    "stream_decoding_work_maximum_length": 100_000_000,
    "page_tree_maximum_depth": 50,
    "outline_maximum_entries": 10_000,
    "jbig2dec_binary": None,  # never shell out to an external decoder for untrusted input
}

Result = tuple[str, Any, Any]  # ("ok", [page texts], peak RSS kB) | ("error", code, message)


def _limit(memory_mb: int, cpu_s: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 1024 * 1024,) * 2)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))


def extract_pages(data: bytes, max_pages: int) -> Result:
    """Open the PDF under lowered caps and return the plain text of each page."""
    import pypdf
    from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError

    try:
        with pypdf.apply_configuration(**PYPDF_LIMITS):
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                return ("error", "pdf_encrypted", "The PDF is protected by a password.")
            count = len(reader.pages)
            if count > max_pages:
                return ("error", "too_many_pages", f"{count} pages; the limit is {max_pages}.")
            texts = [_page_text(reader.pages[i]) for i in range(count)]
            return ("ok", texts, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    except FileNotDecryptedError:
        return ("error", "pdf_encrypted", "The PDF is protected by a password.")
    except DependencyError as exc:
        return ("error", "pdf_encrypted", f"Cannot decrypt this PDF here: {exc}")
    except (LimitReachedError, MemoryError, RecursionError) as exc:
        return (
            "error",
            "pdf_too_complex",
            f"The PDF exceeds parsing limits ({type(exc).__name__}).",
        )
    except Exception as exc:  # pypdf raises many types on corrupt input; all mean "unreadable"
        return (
            "error",
            "pdf_unreadable",
            f"The PDF is corrupt or unreadable ({type(exc).__name__}).",
        )


def _page_text(page: Any) -> str:
    """Plain-mode text, rebuilt column by column when the stream interleaves two columns."""
    from service.ingest.columns import Fragment, fragment, reorder_columns

    frags: list[Fragment] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: Any, size: float) -> None:
        if text.strip():
            frags.append(fragment(text, cm, tm, size))

    plain = page.extract_text(visitor_text=visit) or ""
    return reorder_columns(plain, frags, float(page.mediabox.width))


def child_main(conn: Connection, data: bytes, max_pages: int, memory_mb: int, cpu_s: int) -> None:
    """Entry point of the sandbox child: apply limits, extract, send one result."""
    import logging

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # parent reports errors by code
    try:
        _limit(memory_mb, cpu_s)
        result = extract_pages(data, max_pages)
    except MemoryError:
        result = ("error", "pdf_too_complex", "The PDF needs more memory than allowed.")
    try:
        conn.send(result)
    except MemoryError:
        conn.send(("error", "pdf_too_complex", "The PDF text is too large."))
    finally:
        conn.close()
