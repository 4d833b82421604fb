"""HTML and Markdown reports: content a lawyer needs, and untrusted text stays inert."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from service.report import render
from tests.report.factories import XSS, make_result


def _tree(data: bytes):
    return lxml_html.fromstring(data.decode("utf-8"))


def test_html_has_summary_findings_checklist_and_not_found(settings):
    tree = _tree(render(make_result(), "html", settings=settings))
    text = tree.text_content()
    assert "Recoupment, offset and claw-back" in text
    assert "Section 7.4" in text and "page 3" in text
    assert "needs human review" in text
    assert tree.xpath("//section[@id='not-found']//li")  # absence is explicit
    assert tree.xpath("//section[@id='checklist']")
    assert tree.xpath("//a[@href='#finding-1']") and tree.xpath("//article[@id='finding-1']")
    assert tree.xpath("//p[@class='redline']//del") and tree.xpath("//p[@class='redline']//ins")
    assert tree.xpath("//blockquote//mark"), "risky phrases are highlighted"


def test_html_is_self_contained_with_csp(settings):
    data = render(make_result(), "html", settings=settings).decode()
    tree = _tree(data.encode())
    assert not tree.xpath("//script | //link[@rel='stylesheet'] | //img[@src] | //iframe")
    csp = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert "default-src 'none'" in csp and "script-src" not in csp


@pytest.mark.parametrize("payload", XSS)
def test_xss_payloads_in_contract_text_and_filename_are_inert(settings, payload):
    data = render(make_result(payload, filename=payload + ".pdf"), "html", settings=settings)
    tree = _tree(data)
    assert not tree.xpath("//script | //iframe | //svg | //style[not(ancestor::head)]")
    assert not [e for e in tree.iter() if any(a.startswith("on") for a in e.attrib)]
    hrefs = tree.xpath("//a/@href")
    assert not [h for h in hrefs if h.strip().lower().startswith("javascript:")]
    assert payload.strip() in tree.text_content()  # shown as text, not dropped


def test_markdown_escapes_and_summarises(settings):
    md = render(make_result("<b>x</b> [y](javascript:z)"), "md", settings=settings).decode()
    assert "# Contract review: contract.pdf" in md
    assert "HIGH" in md and "Proposed language" in md
    assert "<b>" not in md and "\\<b\\>" in md and "\\[y\\]" in md
