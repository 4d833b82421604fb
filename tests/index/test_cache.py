"""The content-hash cache is shared safely by several processes writing at once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

from service.index.cache import EmbeddingCache, text_key

WRITER = """
import sys, numpy as np
from pathlib import Path
from service.index.cache import EmbeddingCache, text_key
cache = EmbeddingCache(Path(sys.argv[1]), "m", 8)
for round_ in range(20):
    texts = [f"clause {i}" for i in range(round_ * 10, round_ * 10 + 40)]
    cache.put_many({text_key(t): np.full(8, float(t.split()[1]), np.float32) for t in texts})
    assert len(cache.get_many(text_key(t) for t in texts)) == 40
"""


def test_concurrent_writers_share_one_cache(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stderr=subprocess.PIPE,
                              cwd=Path(__file__).parents[2]) for _ in range(3)]
    errors = [p.communicate(timeout=120)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], errors
    cache = EmbeddingCache(path, "m", 8)
    assert len(cache) == 230
    got = cache.get_many([text_key("clause 7"), text_key("clause 229")])
    assert np.all(got[text_key("clause 229")] == 229.0) and len(got) == 2


def test_vectors_are_scoped_by_model(tmp_path: Path) -> None:
    EmbeddingCache(tmp_path / "c.sqlite3", "model-a", 4).put_many({"k": np.ones(4, np.float32)})
    assert EmbeddingCache(tmp_path / "c.sqlite3", "model-b", 4).get_many(["k"]) == {}
