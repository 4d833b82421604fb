"""Chroma embedding function registered under Clausewise's own name (never Chroma's downloading default).

Importing this module imports chromadb; the index imports it lazily.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

from service.index.embeddings import Embedder, TextEmbedder

EF_NAME = "clausewise-minilm-onnx"


@register_embedding_function
class ClausewiseEmbeddingFunction(EmbeddingFunction[Documents]):
    """MiniLM via onnxruntime from a prepared model dir; loads the model only when first called."""

    def __init__(self, model_dir: str, threads: int = 0, embedder: TextEmbedder | None = None) -> None:
        self.model_dir = model_dir
        self.threads = threads
        self._embedder = embedder
        self._lock = threading.Lock()

    @classmethod
    def for_embedder(cls, embedder: Embedder) -> ClausewiseEmbeddingFunction:
        """Wrap an existing Embedder (sharing its session and cache)."""
        return cls(str(embedder.model_dir), embedder.threads, embedder)

    def __call__(self, input: Documents) -> Embeddings:
        vectors = self._get().embed_counted(list(input)).vectors
        return [row for row in vectors]

    def _get(self) -> TextEmbedder:
        # Chroma builds this class from the persisted config just to open a collection: defer the
        # model load (and ModelMissing) until texts actually need embedding.
        with self._lock:
            if self._embedder is None:
                self._embedder = Embedder(Path(self.model_dir), threads=self.threads)
            return self._embedder

    @staticmethod
    def name() -> str:
        return EF_NAME

    def default_space(self) -> Any:
        return "cosine"

    def supported_spaces(self) -> Any:
        return ["cosine", "ip", "l2"]

    def get_config(self) -> dict[str, Any]:
        return {"model_dir": self.model_dir, "threads": self.threads}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> ClausewiseEmbeddingFunction:
        return ClausewiseEmbeddingFunction(str(config["model_dir"]), int(config.get("threads", 0)))

    @staticmethod
    def validate_config(config: dict[str, Any]) -> None:
        if not isinstance(config.get("model_dir"), str):
            raise ValueError("clausewise-minilm-onnx config needs a 'model_dir' string")
