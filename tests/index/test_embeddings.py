"""Real MiniLM embeddings: match the numpy reference, make semantic sense, never embed twice."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from service.index.cache import EmbeddingCache
from service.index.embeddings import Embedder
from service.index.minilm import load_weights, source_dir
from service.index.reference import sentence_embeddings

RECOUP = "Payer may recoup any overpayment by offsetting it against future claim payments."
LAW = "This Agreement shall be governed by the laws of the State of Delaware."


@pytest.fixture(scope="module")
def embedder(model_dir: Path) -> Embedder:
    return Embedder(model_dir, threads=1, batch_size=4)


def test_batched_output_matches_numpy_reference(embedder: Embedder) -> None:
    # Mixed lengths in one call exercise sorting, padding and the 256-token truncation.
    texts = ["Short.", RECOUP, LAW + " " + RECOUP, "indemnify " * 400]
    got = embedder.embed(texts)
    want = sentence_embeddings(load_weights(source_dir()), embedder.encode_ids(texts))
    assert got.shape == (4, 384) and got.dtype == np.float32
    assert np.all(np.sum(got * want, axis=1) > 0.9999)
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)


def test_recoupment_is_closer_to_an_offset_query_than_governing_law(embedder: Embedder) -> None:
    query, recoup, law = embedder.embed(
        ["Can the insurer take back money by withholding future payments?", RECOUP, LAW])
    assert float(query @ recoup) > float(query @ law) + 0.2


def test_count_tokens_includes_special_tokens_and_does_not_truncate(embedder: Embedder) -> None:
    assert embedder.count_tokens("hello world") == 4  # [CLS] hello world [SEP]
    assert embedder.count_tokens("indemnify " * 400) > 256


def test_cache_prevents_re_embedding_across_instances(model_dir: Path, tmp_path: Path) -> None:
    def fresh() -> Embedder:
        cache = EmbeddingCache(tmp_path / "cache.sqlite3", "minilm", 384)
        return Embedder(model_dir, threads=1, cache=cache)

    first = fresh().embed_counted([RECOUP, LAW, RECOUP])
    assert (first.embedded, first.cached) == (2, 1)  # the duplicate in the same call is reused
    second = fresh().embed_counted([LAW, RECOUP])
    assert (second.embedded, second.cached) == (0, 2)
    assert np.array_equal(second.vectors, first.vectors[[1, 0]])


def test_empty_input_gives_empty_matrix(embedder: Embedder) -> None:
    assert embedder.embed([]).shape == (0, 384)
