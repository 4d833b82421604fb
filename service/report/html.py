"""Self-contained HTML report (Jinja2, autoescape on; no scripts, no external assets)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from service.library import get_library
from service.records import Document, ReviewResult
from service.report.view import build_view
from service.settings import Settings

TEMPLATES = Path(__file__).parent / "templates"
# Served with the report pages by the API, and mirrored in the page's <meta> tag.
CONTENT_SECURITY_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                           "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Jinja2 environment with HTML autoescaping for every template (including .j2)."""
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
        undefined=StrictUndefined, trim_blocks=False, lstrip_blocks=False)


def render_html(result: ReviewResult, *, doc: Document | None = None, source: bytes | None = None,
                settings: Settings | None = None) -> bytes:
    """The lawyer-facing report as one HTML file."""
    settings = settings or Settings()
    view = build_view(result, get_library(settings.library_dir))
    html = environment().get_template("report.html.j2").render(view=view)
    return html.encode("utf-8")
