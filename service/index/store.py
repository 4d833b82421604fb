"""Per-tenant Chroma collections of document chunks: index, query, delete."""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from service.errors import ConfigError
from service.index.cache import text_key
from service.index.client import IndexUnavailable
from service.index.embeddings import Embedder, TextEmbedder
from service.records import Chunk, Document

if TYPE_CHECKING:
    from service.settings import Settings

log = logging.getLogger(__name__)
_WRITE_BATCH = 1000  # well under Chroma's max batch size
_MODEL_KEY = "clausewise_model"


@dataclass(frozen=True)
class Hit:
    """One retrieved chunk; offsets index Document.text."""

    chunk_id: str
    doc_id: str
    text: str
    distance: float  # cosine distance, 0 = identical direction
    ordinal: int
    section_number: str | None
    section_title: str | None
    page_start: int
    page_end: int
    start: int
    end: int
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def similarity(self) -> float:
        """Cosine similarity (1 - distance)."""
        return 1.0 - self.distance


@dataclass(frozen=True)
class IndexStats:
    """What index_document did; `embedded` is the number of texts that ran through the model."""

    doc_id: str
    chunks: int
    added: int  # chunks written (new or changed)
    unchanged: int  # chunks already present with the same text: skipped
    removed: int  # stale chunks of an earlier version of this doc_id
    embedded: int
    cached: int


def collection_name(tenant: str) -> str:
    """Chroma collection of a tenant, derived server-side: never user text in a name."""
    if not isinstance(tenant, str) or not tenant:
        raise ValueError("tenant id must be a non-empty string")
    return "cw_" + hashlib.sha256(tenant.encode("utf-8")).hexdigest()[:24]


def chunk_metadata(chunk: Chunk, doc_id: str) -> dict[str, Any]:
    """Metadata stored with a chunk (Chroma cannot hold None, so absent values are omitted)."""
    meta: dict[str, Any] = {
        "doc_id": doc_id, "ordinal": chunk.ordinal, "page_start": chunk.page_start,
        "page_end": chunk.page_end, "start": chunk.start, "end": chunk.end,
        "text_sha": text_key(chunk.text),
        "section_number": chunk.section_number, "section_title": chunk.section_title,
        "section_index": chunk.section_index,
    }
    return {k: v for k, v in meta.items() if v is not None}


def _hit(chunk_id: str, text: str | None, meta: dict[str, Any], distance: float) -> Hit:
    return Hit(
        chunk_id=chunk_id, doc_id=str(meta.get("doc_id", "")), text=text or "",
        distance=float(distance), ordinal=int(meta.get("ordinal", 0)),
        section_number=meta.get("section_number"), section_title=meta.get("section_title"),
        page_start=int(meta.get("page_start", 0)), page_end=int(meta.get("page_end", 0)),
        start=int(meta.get("start", 0)), end=int(meta.get("end", 0)), metadata=dict(meta),
    )


class ChunkIndex:
    """Chunks of each tenant's documents in that tenant's own Chroma collection (cosine space)."""

    def __init__(self, client: Any | None, embedder: TextEmbedder, embedding_function: Any, *,
                 connect: Callable[[], Any] | None = None) -> None:
        if client is None and connect is None:
            raise ValueError("pass a chromadb client or a connect() factory")
        self._client = client
        self._connect = connect
        self._connect_lock = threading.Lock()
        self.embedder = embedder
        self.embedding_function = embedding_function

    @property
    def client(self) -> Any:
        """The chromadb client, connected on first use (a server may start after the API)."""
        if self._client is None:
            with self._connect_lock:  # concurrent first use must not open two clients
                if self._client is None:
                    assert self._connect is not None
                    self._client = self._connect()
        return self._client

    @classmethod
    def from_settings(cls, settings: Settings, *, embedder: Embedder | None = None) -> ChunkIndex:
        """Index over make_client(settings) with the cached MiniLM embedder."""
        from service.index.chroma_ef import ClausewiseEmbeddingFunction
        from service.index.client import make_client

        embedder = embedder or Embedder.from_settings(settings)
        ef = ClausewiseEmbeddingFunction.for_embedder(embedder)
        return cls(None, embedder, ef, connect=lambda: make_client(settings))

    def _collection(self, tenant: str, *, create: bool) -> Any | None:
        from chromadb.errors import NotFoundError

        name = collection_name(tenant)
        # The embedding function is always passed: a collection must never be reopened with
        # Chroma's default, which downloads a model.
        if create:
            coll = self.client.get_or_create_collection(
                name, embedding_function=self.embedding_function,
                configuration={"hnsw": {"space": "cosine"}},
                metadata={_MODEL_KEY: self.embedder.model_id},
            )
        else:
            try:
                coll = self.client.get_collection(name, embedding_function=self.embedding_function)
            except NotFoundError:
                return None
        built_with = (coll.metadata or {}).get(_MODEL_KEY)
        if built_with != self.embedder.model_id:
            raise ConfigError(f"tenant index was built with embedding model {built_with!r}, not "
                              f"{self.embedder.model_id!r}; delete and re-index the tenant.")
        return coll

    def index_document(self, tenant: str, doc: Document, chunks: list[Chunk]) -> IndexStats:
        """Add a document's chunks; unchanged chunks (same id, same text) are skipped."""
        if any(c.doc_id != doc.doc_id for c in chunks):
            raise ValueError(f"every chunk must belong to document {doc.doc_id}")
        coll = self._collection(tenant, create=True)
        assert coll is not None
        ids = [f"{doc.doc_id}:{c.ordinal}" for c in chunks]
        old = coll.get(where={"doc_id": doc.doc_id}, include=["metadatas"])
        old_sha = {i: (m or {}).get("text_sha") for i, m in zip(old["ids"], old["metadatas"], strict=True)}
        todo = [(i, c) for i, c in zip(ids, chunks, strict=True) if old_sha.get(i) != text_key(c.text)]
        stale = sorted(set(old_sha) - set(ids))
        if stale:
            coll.delete(ids=stale)
        embedded = cached = 0
        if todo:
            result = self.embedder.embed_counted([c.text for _, c in todo])
            embedded, cached = result.embedded, result.cached
            for s in range(0, len(todo), _WRITE_BATCH):
                part = todo[s : s + _WRITE_BATCH]
                coll.upsert(
                    ids=[i for i, _ in part], embeddings=result.vectors[s : s + len(part)],
                    documents=[c.text for _, c in part],
                    metadatas=[chunk_metadata(c, doc.doc_id) for _, c in part],
                )
        return IndexStats(doc.doc_id, len(chunks), len(todo), len(chunks) - len(todo),
                          len(stale), embedded, cached)

    def query(self, tenant: str, texts: list[str], *, doc_id: str | None = None,
              k: int = 5) -> list[list[Hit]]:
        """Top-k chunks per query text, nearest first, optionally within one document."""
        if not texts:
            return []
        vectors = self.embedder.embed_counted(texts).vectors
        return self.query_embeddings(tenant, vectors, doc_id=doc_id, k=k)

    def query_embeddings(self, tenant: str, vectors: np.ndarray | list[list[float]], *,
                         doc_id: str | None = None, k: int = 5) -> list[list[Hit]]:
        """Like query() with precomputed (normalised) query vectors."""
        if k < 1:
            raise ValueError("k must be >= 1")
        if len(vectors) == 0:
            return []
        coll = self._collection(tenant, create=False)
        if coll is None:
            return [[] for _ in range(len(vectors))]
        res = coll.query(query_embeddings=np.asarray(vectors, np.float32), n_results=k,
                         where={"doc_id": doc_id} if doc_id else None,
                         include=["documents", "metadatas", "distances"])
        return [
            [_hit(*row) for row in zip(ids, docs, metas, dists, strict=True)]
            for ids, docs, metas, dists in zip(res["ids"], res["documents"], res["metadatas"],
                                               res["distances"], strict=True)
        ]

    def delete_document(self, tenant: str, doc_id: str) -> int:
        """Remove every chunk of one document; returns how many were removed."""
        coll = self._collection(tenant, create=False)
        if coll is None:
            return 0
        ids = coll.get(where={"doc_id": doc_id}, include=[])["ids"]
        if ids:
            coll.delete(ids=ids)
        return len(ids)

    def delete_tenant(self, tenant: str) -> bool:
        """Drop the tenant's whole collection; False if it had none."""
        from chromadb.errors import NotFoundError

        try:
            self.client.delete_collection(collection_name(tenant))
        except NotFoundError:
            return False
        return True

    def count(self, tenant: str, doc_id: str | None = None) -> int:
        """Chunks stored for the tenant (or for one of its documents)."""
        coll = self._collection(tenant, create=False)
        if coll is None:
            return 0
        if doc_id is None:
            return int(coll.count())
        return len(coll.get(where={"doc_id": doc_id}, include=[])["ids"])

    def has_document(self, tenant: str, doc_id: str) -> bool:
        """Whether any chunk of doc_id is indexed for the tenant."""
        coll = self._collection(tenant, create=False)
        return bool(coll and coll.get(where={"doc_id": doc_id}, limit=1, include=[])["ids"])

    def heartbeat(self) -> bool:
        """Readiness: True when the vector store answers."""
        try:
            self.client.heartbeat()
        except IndexUnavailable as exc:
            log.warning("chroma unavailable: %s", exc.message)
            return False
        except Exception as exc:  # any transport/storage failure means "not ready"
            log.warning("chroma heartbeat failed: %s", exc)
            return False
        return True
