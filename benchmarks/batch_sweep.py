"""Embedding batch size on realistic chunks (clause-sized, mixed lengths): CPU ms per chunk.

Run: .venv/bin/python -m benchmarks.batch_sweep [--pages 20] [--sizes 8 16 32]
The product sorts chunks by length and pads each batch to its longest; bigger batches carry more
padding and larger attention buffers. CPU time is reported because wall time is noisy on a
shared machine.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any


def sweep(model_dir: Path, pages: int = 20, sizes: tuple[int, ...] = (8, 16, 32),
          repeat: int = 2) -> dict[str, Any]:
    """CPU ms/chunk and chunks/s per batch size on one contract's chunks, interleaved."""
    from benchmarks.contracts import write_contract
    from service.index.embeddings import Embedder
    from service.ingest import ingest_path
    from service.segment import segment
    from service.settings import Settings

    embedders = {b: Embedder(model_dir, batch_size=b) for b in sizes}
    with tempfile.TemporaryDirectory() as tmp:
        doc = ingest_path(write_contract(Path(tmp), pages, "sweep"), Settings(data_dir=Path(tmp)))
    texts = [c.text for c in segment(doc, token_counter=embedders[sizes[0]].count_tokens).chunks]
    for e in embedders.values():
        e.embed_uncached(texts[:8])  # warm-up
    cpu: dict[int, list[float]] = {b: [] for b in sizes}
    wall: dict[int, list[float]] = {b: [] for b in sizes}
    for _ in range(repeat):
        for b, e in embedders.items():
            c0, w0 = time.process_time(), time.perf_counter()
            e.embed_uncached(texts)
            cpu[b].append(time.process_time() - c0)
            wall[b].append(time.perf_counter() - w0)
    return {"chunks": len(texts), "by_batch": {
        str(b): {"cpu_ms_per_chunk": round(min(cpu[b]) * 1000 / len(texts), 1),
                 "chunks_per_s": round(len(texts) / statistics.median(wall[b]), 1)} for b in sizes}}


if __name__ == "__main__":
    import argparse
    import json

    from service.settings import Settings

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=20)
    ap.add_argument("--sizes", type=int, nargs="+", default=[8, 16, 32])
    args = ap.parse_args()
    print(json.dumps(sweep(Settings().model_dir, args.pages, tuple(args.sizes)), indent=2))
