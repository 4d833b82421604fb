"""ChunkIndex on a real temp-dir Chroma with the deterministic hashing embedder (exact scores)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from index_factories import PAYER_CLAUSES, make_doc
from index_hashing import HashingEF

from service.errors import ConfigError
from service.index.store import ChunkIndex, collection_name


def _client(path: Path) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    return chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))


@pytest.fixture
def index(tmp_path: Path) -> ChunkIndex:
    ef = HashingEF()
    return ChunkIndex(_client(tmp_path / "chroma"), ef.embedder, ef)


def test_exact_text_is_the_top_hit_with_its_metadata(index: ChunkIndex) -> None:
    doc, chunks = make_doc(PAYER_CLAUSES)
    index.index_document("tenant-a", doc, chunks)
    [hits] = index.query("tenant-a", [chunks[0].text], k=2)
    top = hits[0]
    assert top.chunk_id == f"{doc.doc_id}:0" and top.doc_id == doc.doc_id
    assert top.distance == pytest.approx(0.0, abs=1e-5) and top.similarity == pytest.approx(1.0, abs=1e-5)
    assert (top.section_number, top.section_title, top.page_start, top.page_end) == ("2.7", "Recoupment", 1, 1)
    assert doc.text[top.start : top.end] == chunks[0].text == top.text
    assert hits[1].distance > top.distance


def test_missing_section_fields_come_back_as_none(index: ChunkIndex) -> None:
    doc, chunks = make_doc(PAYER_CLAUSES)
    index.index_document("t", doc, chunks)
    [hits] = index.query("t", [chunks[3].text], k=1)
    assert hits[0].ordinal == 3 and hits[0].section_number is None and hits[0].section_title is None


def test_reingesting_the_same_document_adds_nothing(index: ChunkIndex) -> None:
    doc, chunks = make_doc(PAYER_CLAUSES)
    first = index.index_document("t", doc, chunks)
    calls = len(index.embedder.calls)  # type: ignore[attr-defined]
    again = index.index_document("t", doc, chunks)
    assert (first.added, again.added, again.unchanged, again.embedded) == (4, 0, 4, 0)
    assert len(index.embedder.calls) == calls  # type: ignore[attr-defined]
    assert index.count("t") == 4


def test_changed_chunks_are_replaced_and_stale_ones_removed(index: ChunkIndex) -> None:
    doc, chunks = make_doc(PAYER_CLAUSES)
    index.index_document("t", doc, chunks)
    edited = [chunks[0].model_copy(update={"text": "Payer shall not recoup."}), chunks[1]]
    stats = index.index_document("t", doc, edited)
    assert (stats.added, stats.unchanged, stats.removed) == (1, 1, 2)
    assert index.count("t") == 2
    [[hit]] = index.query("t", ["Payer shall not recoup."], k=1)
    assert hit.chunk_id == f"{doc.doc_id}:0" and hit.similarity == pytest.approx(1.0, abs=1e-5)


def test_doc_filter_and_delete_document(index: ChunkIndex) -> None:
    doc_a, chunks_a = make_doc(PAYER_CLAUSES)
    doc_b, chunks_b = make_doc(PAYER_CLAUSES, salt="other")
    index.index_document("t", doc_a, chunks_a)
    index.index_document("t", doc_b, chunks_b)
    [hits] = index.query("t", [chunks_a[1].text], doc_id=doc_b.doc_id, k=10)
    assert len(hits) == 4 and {h.doc_id for h in hits} == {doc_b.doc_id}
    assert index.delete_document("t", doc_a.doc_id) == 4
    assert index.count("t") == 4 and not index.has_document("t", doc_a.doc_id)
    assert index.query("t", [chunks_a[1].text], doc_id=doc_a.doc_id, k=3) == [[]]


def test_tenants_cannot_see_each_others_chunks(index: ChunkIndex) -> None:
    doc, chunks = make_doc(PAYER_CLAUSES)
    index.index_document("tenant-a", doc, chunks)
    assert index.query("tenant-b", [chunks[0].text], k=5) == [[]]
    assert index.query("tenant-b", [chunks[0].text], doc_id=doc.doc_id, k=5) == [[]]
    assert index.count("tenant-b") == 0 and index.delete_document("tenant-b", doc.doc_id) == 0
    assert index.count("tenant-a") == 4


def test_delete_tenant_drops_everything(index: ChunkIndex) -> None:
    doc, chunks = make_doc(PAYER_CLAUSES)
    index.index_document("t", doc, chunks)
    assert index.delete_tenant("t") is True
    assert index.count("t") == 0 and index.delete_tenant("t") is False


@pytest.mark.parametrize("tenant", ["acme", "../../etc", "x" * 600, "Ünïcode tenant", "a;DROP"])
def test_collection_names_are_derived_not_user_text(tenant: str) -> None:
    name = collection_name(tenant)
    assert name.startswith("cw_") and len(name) == 27 and tenant not in name
    assert name != collection_name(tenant + " ")


def test_opening_a_tenant_with_another_embedding_model_is_refused(tmp_path: Path) -> None:
    client = _client(tmp_path / "chroma")
    small, big = HashingEF(64), HashingEF(128)
    doc, chunks = make_doc(PAYER_CLAUSES)
    ChunkIndex(client, small.embedder, small).index_document("t", doc, chunks)
    with pytest.raises(ConfigError, match="re-index"):
        ChunkIndex(client, big.embedder, big).count("t")


def test_heartbeat_reports_ready(index: ChunkIndex) -> None:
    assert index.heartbeat() is True


def test_indexing_into_a_tenant_built_with_another_model_is_refused(tmp_path: Path) -> None:
    client = _client(tmp_path / "chroma")
    small, big = HashingEF(64), HashingEF(128)
    doc, chunks = make_doc(PAYER_CLAUSES)
    ChunkIndex(client, small.embedder, small).index_document("t", doc, chunks)
    with pytest.raises(ConfigError, match="re-index"):
        ChunkIndex(client, big.embedder, big).index_document("t", doc, chunks)
    assert ChunkIndex(client, small.embedder, small).count("t") == 4


def test_collections_use_cosine_space_and_our_embedding_function(index: ChunkIndex) -> None:
    doc, chunks = make_doc(PAYER_CLAUSES)
    index.index_document("t", doc, chunks)
    coll = index.client.get_collection(collection_name("t"), embedding_function=None)
    assert coll.configuration["hnsw"]["space"] == "cosine"
    assert coll.configuration_json["embedding_function"]["name"] == "clausewise-test-hashing"
