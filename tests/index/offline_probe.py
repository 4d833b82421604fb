"""Run in a fresh process by test_persistence: reopen a persisted index with networking disabled.

Usage: python offline_probe.py DATA_DIR MODEL_DIR TENANT QUERY  -> prints a JSON report.
"""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path

attempts: list[str] = []


def _deny(*args: object, **kwargs: object) -> None:
    attempts.append(f"socket connect {args[1:]!r}")
    raise OSError("network disabled by the offline probe")


# Every Python-level connection (urllib, httpx, requests, huggingface_hub) goes through these.
socket.socket.connect = _deny  # type: ignore[method-assign]
socket.create_connection = _deny  # type: ignore[assignment]


def main() -> None:
    data_dir, model_dir, tenant, query = sys.argv[1:5]
    from chromadb.utils.embedding_functions.onnx_mini_lm_l6_v2 import ONNXMiniLM_L6_V2

    def no_download(self: object) -> None:
        attempts.append("chroma default model download")
        raise RuntimeError("Chroma's default embedding function tried to download its model")

    ONNXMiniLM_L6_V2._download_model_if_not_exists = no_download  # type: ignore[method-assign]

    from service.index.store import ChunkIndex, collection_name
    from service.settings import Settings

    settings = Settings(data_dir=Path(data_dir), embedding_model_dir=Path(model_dir))
    index = ChunkIndex.from_settings(settings)
    [hits] = index.query(tenant, [query], k=1)
    # A plain chromadb caller that passes no embedding function: Chroma must rebuild ours from the
    # persisted config (registered name), not fall back to its downloading default.
    raw = index.client.get_collection(collection_name(tenant))
    raw_hits = raw.query(query_texts=[query], n_results=1)
    ef = raw.configuration.get("embedding_function")
    print(json.dumps({
        "top": hits[0].chunk_id, "section": hits[0].section_number,
        "raw_top": raw_hits["ids"][0][0], "persisted_ef": type(ef).__name__,
        "attempts": attempts,
    }))


if __name__ == "__main__":
    main()
