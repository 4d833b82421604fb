"""A persisted collection reopened in a new process answers queries with no network at all."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from index_factories import PAYER_CLAUSES, make_doc

from service.index.store import ChunkIndex
from service.settings import Settings

PROBE = Path(__file__).with_name("offline_probe.py")


def test_reopen_in_new_process_queries_offline(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings()
    doc, chunks = make_doc(PAYER_CLAUSES)
    stats = ChunkIndex.from_settings(settings).index_document("tenant-a", doc, chunks)
    assert stats.embedded == 4
    env = {"ANONYMIZED_TELEMETRY": "False", "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin",
           "HOME": str(settings.data_dir / "home")}  # an empty HOME: no cached Chroma model to find
    proc = subprocess.run(
        [sys.executable, str(PROBE), str(settings.data_dir), str(settings.model_dir), "tenant-a",
         "Can the payer offset overpayments against future claims?"],
        capture_output=True, text=True, timeout=120, env=env, cwd=Path(__file__).parents[2],
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["attempts"] == []
    assert report["persisted_ef"] == "ClausewiseEmbeddingFunction"
    assert report["top"] == report["raw_top"] == f"{doc.doc_id}:0"
    assert report["section"] == "2.7"


def test_second_ingest_of_same_file_embeds_nothing(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings()
    doc, chunks = make_doc(PAYER_CLAUSES)
    ChunkIndex.from_settings(settings).index_document("t", doc, chunks)
    # A new index object (as in a new worker) still skips: the chunks are already in Chroma.
    again = ChunkIndex.from_settings(settings).index_document("t", doc, chunks)
    assert (again.added, again.embedded) == (0, 0)
    # The same clause text in another tenant's upload is not re-embedded: the content-hash cache.
    other = ChunkIndex.from_settings(settings).index_document("t2", doc, chunks)
    assert (other.added, other.embedded, other.cached) == (4, 0, 4)
