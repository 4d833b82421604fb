"""Deterministic feature-hashing embedder + its Chroma embedding function: unit tests only."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

from service.index.embeddings import EmbedResult


class HashingEmbedder:
    """Bag of hashed words, L2-normalised: identical texts have cosine 1, disjoint ones 0."""

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.model_id = f"test-hashing-{dim}"
        self.calls: list[list[str]] = []

    def vector(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, np.float32)
        for word in re.findall(r"\w+", text.lower()):
            h = int.from_bytes(hashlib.sha256(word.encode()).digest()[:4], "big")
            v[h % self.dim] += 1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def embed_counted(self, texts: list[str]) -> EmbedResult:
        self.calls.append(list(texts))
        vectors = np.array([self.vector(t) for t in texts], np.float32).reshape(len(texts), self.dim)
        return EmbedResult(vectors, embedded=len(texts), cached=0)


@register_embedding_function
class HashingEF(EmbeddingFunction[Documents]):
    def __init__(self, dim: int = 256) -> None:
        self.embedder = HashingEmbedder(dim)

    def __call__(self, input: Documents) -> Embeddings:
        return list(self.embedder.embed_counted(list(input)).vectors)

    @staticmethod
    def name() -> str:
        return "clausewise-test-hashing"

    def get_config(self) -> dict[str, Any]:
        return {"dim": self.embedder.dim}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> HashingEF:
        return HashingEF(int(config["dim"]))
