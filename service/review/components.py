"""Heavy per-process components (detector, embedder, vector index), built lazily once."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from service.records import Chunk, Document, Segmentation
from service.settings import Settings


@dataclass
class Components:
    """Holds the detector, the embedder and the chunk index; shared by CLI, worker and evals."""

    settings: Settings
    _cache: dict[str, Any] = field(default_factory=dict)
    # Worker threads share one Components: each piece must be built once, not once per thread
    # (two threads opening one Chroma PersistentClient at once crash inside chromadb).
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> Components:
        return cls(settings=settings)

    def use_detector(self, detector: Any) -> None:
        """Review with this detector instead of the shipped one (cross-validation folds)."""
        if detector.needs_embeddings and detector.embed is None:
            detector.embed = self.embedder.embed
        self._cache["detector"] = detector

    def _get(self, key: str, build: Any) -> Any:
        if key in self._cache:
            return self._cache[key]
        with self._lock:  # re-entrant: building the index builds the embedder
            if key not in self._cache:
                self._cache[key] = build()
            return self._cache[key]

    @property
    def detector(self) -> Any:
        return self._get("detector", self._load_detector)

    def _load_detector(self) -> Any:
        from service.detect.model import Detector, DetectorError

        det = Detector.load()
        if det.needs_embeddings:
            wanted = det.manifest.get("embedding_model")
            if wanted and wanted != self.embedder.model_id:
                raise DetectorError(f"the detector was trained with embeddings of {wanted}, but the "
                                    f"installed model is {self.embedder.model_id}; run `clausewise train`")
            det.embed = self.embedder.embed
        return det

    @property
    def embedder(self) -> Any:
        from service.index import Embedder

        return self._get("embedder", lambda: Embedder.from_settings(self.settings))

    @property
    def index(self) -> Any:
        from service.index import ChunkIndex

        return self._get("index", lambda: ChunkIndex.from_settings(self.settings, embedder=self.embedder))

    def segment(self, doc: Document) -> Segmentation:
        """Clause-aware segmentation; chunk sizes counted with the embedder's tokenizer."""
        from service.segment import segment

        return segment(doc, token_counter=self.embedder.count_tokens)

    def index_document(self, tenant: str, doc: Document, chunks: list[Chunk]) -> int:
        """Store chunks in the tenant's collection; returns how many texts were embedded."""
        stats = self.index.index_document(tenant, doc, chunks)
        return int(getattr(stats, "embedded", 0))
