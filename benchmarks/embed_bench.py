"""Embedding throughput: product path (Embedder, incl. tokenisation) vs raw onnxruntime, plus query latency.

Usage: .venv/bin/python benchmarks/embed_bench.py [--chunks 96] [--repeat 3] [--json out.json]
Needs a prepared model (`clausewise setup`). Numbers are noisy on a shared 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from service.index.embeddings import Embedder
from service.records import Chunk, Document, Page
from service.settings import Settings

_VOCAB = (
    "payer provider agreement claim claims reimbursement recoupment overpayment offset notice days "
    "written termination cause party parties shall may without prior member covered services fee "
    "schedule amendment medical necessity audit records appeal dispute arbitration indemnify "
    "liability insurance confidential compliance law state federal effective date term renewal"
)
WORDS = _VOCAB.split()


def make_chunks(embedder: Embedder, n: int, tokens: int = 200, seed: int = 7) -> list[str]:
    """n distinct pseudo-contract chunks of about `tokens` tokens each."""
    rng = random.Random(seed)
    chunks = []
    for i in range(n):
        words = [f"Section {i}.{rng.randint(1, 9)}."]
        while embedder.count_tokens(" ".join(words)) < tokens:
            words.extend(rng.choice(WORDS) for _ in range(8))
            words[-1] += "."
        chunks.append(" ".join(words))
    return chunks


def product_rate(embedder: Embedder, chunks: list[str]) -> tuple[float, float]:
    """(chunks/s wall clock, process CPU ms per chunk); CPU time is less hurt by other load."""
    start, cpu = time.perf_counter(), time.process_time()
    embedder.embed_uncached(chunks)
    wall = time.perf_counter() - start
    return len(chunks) / wall, (time.process_time() - cpu) * 1000 / len(chunks)


def raw_rate(embedder: Embedder, batches: list[dict[str, np.ndarray]], n: int) -> float:
    session = embedder._get_session()  # the same session: measure only our Python around it
    start = time.perf_counter()
    for feeds in batches:
        session.run(["last_hidden_state"], feeds)
    return n / (time.perf_counter() - start)


def padded_batches(embedder: Embedder, chunks: list[str]) -> list[dict[str, np.ndarray]]:
    ids = sorted(embedder.encode_ids(chunks), key=len)
    out = []
    for s in range(0, len(ids), embedder.batch_size):
        part = ids[s : s + embedder.batch_size]
        arr = np.zeros((len(part), max(map(len, part))), np.int64)
        mask = np.zeros_like(arr)
        for r, seq in enumerate(part):
            arr[r, : len(seq)], mask[r, : len(seq)] = seq, 1
        out.append({"input_ids": arr, "attention_mask": mask, "token_type_ids": np.zeros_like(arr)})
    return out


def query_latency(settings: Settings, embedder: Embedder, chunks: list[str],
                  n: int = 20) -> dict[str, float]:
    """p50/p95 ms of ChunkIndex.query (embed one short uncached query + Chroma top-5)."""
    from service.index.store import ChunkIndex

    index = ChunkIndex.from_settings(settings, embedder=embedder)
    text = "\n".join(chunks)
    doc = Document(doc_id="bench", filename="bench.txt", sha256="bench", media_type="text/plain",
                   text=text, pages=[Page(number=1, start=0, end=len(text))])
    recs = [Chunk(chunk_id=f"bench:{i}", doc_id="bench", ordinal=i, text=c, start=0, end=1,
                  page_start=1, page_end=1) for i, c in enumerate(chunks)]
    index.index_document("bench", doc, recs)
    times = []
    for i in range(n):
        start = time.perf_counter()
        index.query("bench", [f"may the payer recoup overpayments {i}?"], k=5)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"p50_ms": statistics.median(times), "p95_ms": times[int(0.95 * (len(times) - 1))]}


def measure(settings: Settings, n_chunks: int = 96, repeat: int = 3) -> dict:
    """Product vs raw onnxruntime chunks/s on the same batches, interleaved, plus query latency."""
    embedder = Embedder(settings.model_dir, threads=settings.embedding_threads,
                        batch_size=settings.embedding_batch_size)
    chunks = make_chunks(embedder, n_chunks)
    batches = padded_batches(embedder, chunks)
    product_rate(embedder, chunks[:8])  # warm-up: session load and first-run allocations
    prod, raw, cpu_ms = [], [], []
    for _ in range(repeat):  # interleaved, so background load hits both alike
        rate, ms = product_rate(embedder, chunks)
        prod.append(rate)
        cpu_ms.append(ms)
        raw.append(raw_rate(embedder, batches, len(chunks)))
    latency = query_latency(settings, embedder, chunks)
    tokens = statistics.mean(len(x) for x in embedder.encode_ids(chunks))
    return {
        "chunks": len(chunks), "mean_tokens": round(tokens, 1), "batch_size": embedder.batch_size,
        "threads": embedder.threads or os.cpu_count(), "cpus": os.cpu_count(),
        "loadavg_1m": round(os.getloadavg()[0], 2),
        "product_chunks_per_s": round(statistics.median(prod), 1),
        "raw_ort_chunks_per_s": round(statistics.median(raw), 1),
        "ratio": round(statistics.median(prod) / statistics.median(raw), 3),
        "cpu_ms_per_chunk": round(min(cpu_ms), 1),
        # What the cores could do if this process had them to itself (perfect 2-thread scaling).
        "cpu_bound_chunks_per_s": round((os.cpu_count() or 1) * 1000 / min(cpu_ms), 1),
        "query": {k: round(v, 1) for k, v in latency.items()},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--chunks", type=int, default=96)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = ap.parse_args()
    base = Settings()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), embedding_model_dir=base.model_dir,
                            embedding_threads=base.embedding_threads,
                            embedding_batch_size=base.embedding_batch_size)
        result = measure(settings, args.chunks, args.repeat)
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), "utf-8")


if __name__ == "__main__":
    main()
