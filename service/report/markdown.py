"""Compact Markdown report for chat and email: summary, findings, quotes, proposed language."""

from __future__ import annotations

import re

from service.library import get_library
from service.records import Document, ReviewResult
from service.report.view import build_view
from service.settings import Settings

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|])")


def _esc(text: str) -> str:
    """Escape Markdown/HTML metacharacters so contract text renders as text."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _quote(text: str) -> str:
    return "> " + _esc(text)


def render_markdown(result: ReviewResult, *, doc: Document | None = None,
                    source: bytes | None = None, settings: Settings | None = None) -> bytes:
    """Summary + one block per risk finding."""
    settings = settings or Settings()
    view = build_view(result, get_library(settings.library_dir))
    d, kt = result.document, result.key_terms
    lines = [f"# Contract review: {_esc(d.filename)}", "",
             f"{d.contract_type.capitalize()} agreement · {d.pages} pages · backend `{result.backend}`"
             f" · library {d.library_version} · {result.created_at[:10]}", ""]
    for cid, label in (("parties", "Parties"), ("effective_date", "Effective date"),
                       ("renewal_term", "Renewal"), ("governing_law", "Governing law")):
        if cid in kt:
            lines.append(f"- **{label}:** {_esc(kt[cid].value)} (p. {kt[cid].page})")
    c = view.counts
    lines += ["", f"**{c['high']} high · {c['medium']} medium · {c['low']} low**", ""]
    if result.failed:
        lines += [f"**Partial review:** {len(result.failed)} part(s) could not be analysed.", ""]
    for i, v in enumerate(view.risks, 1):
        f = v.finding
        flag = " — *needs human review*" if f.needs_human_review else ""
        lines += [f"## {i}. {_esc(f.title)} ({f.severity.upper()}){flag}",
                  f"Section {_esc(f.section or '(unnumbered)')}, page {f.page}", "",
                  _quote(f.quote), ""]
        lines.append(_esc(f.rationale.split("\n\n")[0]))
        if f.redline:
            lines += ["", "**Proposed language:**", "", _quote(f.redline.proposed)]
        lines.append("")
    if view.not_found:
        lines += ["## Checked and not found", "",
                  ", ".join(_esc(title) for _, title in view.not_found), ""]
    return "\n".join(lines).encode("utf-8")
