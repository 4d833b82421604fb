"""Content-hash embedding cache: sha256(text) -> vector, in SQLite (safe across processes)."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

_SCHEMA = """
CREATE TABLE IF NOT EXISTS vectors (
    model TEXT NOT NULL,
    key TEXT NOT NULL,
    vec BLOB NOT NULL,
    PRIMARY KEY (model, key)
) WITHOUT ROWID
"""
_BATCH = 500  # stays under SQLite's bound-parameter limit


def text_key(text: str) -> str:
    """Cache key of a text: sha256 of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """Vectors keyed by (model id, text hash). WAL mode lets many processes read while one writes."""

    def __init__(self, path: Path, model: str, dim: int) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.model = model
        self.dim = dim
        self._lock = threading.Lock()
        # One connection shared by this process's threads, serialised by the lock.
        self._db = sqlite3.connect(path, timeout=30.0, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(_SCHEMA)

    def get_many(self, keys: Iterable[str]) -> dict[str, np.ndarray]:
        """Vectors already stored for these keys (missing keys are simply absent)."""
        wanted = list(dict.fromkeys(keys))
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for i in range(0, len(wanted), _BATCH):
                part = wanted[i : i + _BATCH]
                marks = ",".join("?" * len(part))
                rows = self._db.execute(
                    f"SELECT key, vec FROM vectors WHERE model = ? AND key IN ({marks})",
                    [self.model, *part],
                ).fetchall()
                for key, blob in rows:
                    vec = np.frombuffer(blob, dtype=np.float32)
                    if vec.shape == (self.dim,):  # ignore rows written with another shape
                        found[key] = vec
        return found

    def put_many(self, vectors: Mapping[str, np.ndarray]) -> None:
        """Store vectors; a key another process stored first is kept (same text, same vector)."""
        rows = [(self.model, k, np.asarray(v, np.float32).tobytes()) for k, v in vectors.items()]
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany("INSERT OR IGNORE INTO vectors VALUES (?, ?, ?)", rows)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def __len__(self) -> int:
        with self._lock:
            row = self._db.execute(
                "SELECT COUNT(*) FROM vectors WHERE model = ?", [self.model]
            ).fetchone()
        return int(row[0])

    def close(self) -> None:
        """Close the SQLite connection."""
        with self._lock:
            self._db.close()
