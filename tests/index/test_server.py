"""Client/server mode for real: `chroma run` on 127.0.0.1 and ChunkIndex over HttpClient."""

from __future__ import annotations

import socket
from collections.abc import Callable

import pytest
from index_factories import PAYER_CLAUSES, make_doc

from service.errors import ConfigError
from service.index.client import parse_chroma_url
from service.index.store import ChunkIndex
from service.settings import Settings

pytestmark = pytest.mark.server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_index_query_delete_through_http(chroma_url: str,
                                         make_settings: Callable[..., Settings]) -> None:
    index = ChunkIndex.from_settings(make_settings(chroma_url=chroma_url))
    assert type(index.client).__name__ == "Client" and index.heartbeat()
    doc, chunks = make_doc(PAYER_CLAUSES)
    assert index.index_document("tenant-a", doc, chunks).added == 4
    assert index.index_document("tenant-a", doc, chunks).added == 0
    [hits] = index.query("tenant-a", ["Can the payer offset overpayments?"], doc_id=doc.doc_id, k=2)
    assert hits[0].chunk_id == f"{doc.doc_id}:0" and hits[0].section_title == "Recoupment"
    assert index.query("tenant-b", ["Can the payer offset overpayments?"], k=2) == [[]]
    assert index.count("tenant-a") == 4
    assert index.delete_document("tenant-a", doc.doc_id) == 4 and index.count("tenant-a") == 0
    assert index.delete_tenant("tenant-a")


def test_heartbeat_is_false_when_no_server_listens(make_settings: Callable[..., Settings]) -> None:
    index = ChunkIndex.from_settings(make_settings(chroma_url=f"http://127.0.0.1:{_free_port()}"))
    assert index.heartbeat() is False


@pytest.mark.parametrize(("url", "expected"), [
    ("http://127.0.0.1:8001", ("127.0.0.1", 8001, False)),
    ("https://chroma.internal", ("chroma.internal", 443, True)),
    ("http://localhost", ("localhost", 8000, False)),
])
def test_chroma_url_parsing(url: str, expected: tuple[str, int, bool]) -> None:
    assert parse_chroma_url(url) == expected


@pytest.mark.parametrize("url", ["127.0.0.1:8001", "ftp://x:1", "http://h:1/db", "http://u:p@h:1",
                                 "http://h:99999"])
def test_bad_chroma_urls_are_config_errors(url: str) -> None:
    with pytest.raises(ConfigError):
        parse_chroma_url(url)
