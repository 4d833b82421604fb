"""API keys: random secrets shown once; only their SHA-256 is stored."""

from __future__ import annotations

import hashlib
import re
import secrets

from service.jobs.sqlite_store import SQLiteJobStore

TENANT_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
LOCAL_TENANT = "local"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_key(store: SQLiteJobStore, tenant: str) -> str:
    """Create and store (hashed) a new key for `tenant`; returns the key, to print once."""
    if not TENANT_RE.match(tenant):
        raise ValueError("tenant names are 1-64 letters, digits, '.', '_' or '-'")
    key = "cw_" + secrets.token_urlsafe(32)
    store.add_key(hash_key(key), tenant)
    return key
