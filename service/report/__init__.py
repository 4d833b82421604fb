"""Report rendering: JSON (findings contract), HTML, Markdown, Word with tracked changes."""

from __future__ import annotations

import importlib

from service.records import Document, ReviewResult
from service.settings import Settings

# format -> "module:function(result, doc=..., source=..., settings=...) -> bytes"
RENDERERS = {
    "html": "service.report.html:render_html",
    "md": "service.report.markdown:render_markdown",
    "docx": "service.report.docx:render_docx",
}


def render(result: ReviewResult, fmt: str, *, doc: Document | None = None,
           source: bytes | None = None, settings: Settings | None = None) -> bytes:
    """Render a review result in `fmt` (json, html, md, docx)."""
    if fmt == "json":
        return result.to_json().encode("utf-8")
    if fmt not in RENDERERS:
        raise ValueError(f"unknown report format {fmt!r}")
    module_name, attr = RENDERERS[fmt].split(":")
    fn = getattr(importlib.import_module(module_name), attr)
    data: bytes = fn(result, doc=doc, source=source, settings=settings)
    return data
