"""A hand-built review result (the report stage is tested without running a review)."""

from __future__ import annotations

from service.records import DocumentInfo, Finding, KeyTerm, Redline, ReviewResult

XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "<svg/onload=alert(3)>",
    "javascript:alert(4)",
    "<a href=\"javascript:alert(5)\">click</a>",
    "</textarea><iframe src=//evil.example>",
    "{{ 7*7 }} {% raw %}",
    "<style>body{display:none}</style>",
]


def make_result(text_payload: str = "", filename: str = "contract.pdf") -> ReviewResult:
    quote = ("Plan may offset any overpayment against future payments under any Health Benefit "
             "Plan. " + text_payload)
    finding = Finding(
        clause_id="recoupment_offset_clawback", title="Recoupment, offset and claw-back",
        kind="risk", category="payment", severity="high", score=0.91, page=3, section="7.4",
        quote=quote, start=100, end=100 + len(quote), verified=True,
        rationale="Money already earned can be taken back. " + text_payload,
        risk_signals=["▲ Cross-plan offset: " + text_payload],
        redline=Redline(original=quote, proposed="Plan may offset only after appeal. "
                        + text_payload),
        fallbacks=["Preferred: " + text_payload], references=["AMA — https://example.org"],
        needs_human_review=True)
    term = KeyTerm(clause_id="governing_law", label="Governing law", value=text_payload or "Ohio",
                   quote="laws of Ohio", start=5, end=16, page=9)
    return ReviewResult(
        document=DocumentInfo(filename=filename, sha256="ab" * 32, pages=12,
                              contract_type="payer", library_version="test"),
        backend="offline", created_at="2026-11-22T08:00:00+00:00", findings=[finding],
        not_found=["lesser_of_billed_charges"], key_terms={"governing_law": term},
        warnings=[text_payload] if text_payload else [])
