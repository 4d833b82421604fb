"""Index stage: offline MiniLM embeddings (onnxruntime) and per-tenant Chroma collections.

chromadb and onnxruntime are imported lazily; importing this package is cheap.
"""

from service.index.cache import EmbeddingCache, text_key
from service.index.client import IndexUnavailable, make_client
from service.index.embeddings import Embedder, EmbedResult, TextEmbedder
from service.index.model_setup import ModelStatus, check_model, prepare_model
from service.index.store import ChunkIndex, Hit, IndexStats, collection_name

__all__ = [
    "ChunkIndex", "EmbedResult", "Embedder", "EmbeddingCache", "Hit", "IndexStats",
    "IndexUnavailable", "ModelStatus", "TextEmbedder", "check_model", "collection_name", "make_client",
    "prepare_model", "text_key",
]
