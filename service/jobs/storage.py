"""Uploaded files and their ingested documents on disk, written durably (fsync + rename)."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from service.records import Document

EXTENSIONS = {"application/pdf": ".pdf", "text/plain": ".txt",
              "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx"}


def tenant_key(tenant: str) -> str:
    """Directory/collection-safe id derived from the tenant (never the raw user string)."""
    return hashlib.sha256(tenant.encode("utf-8")).hexdigest()[:24]


def _write_durably(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class ContractStorage:
    """<data_dir>/contracts/<tenant key>/<contract id>/{source.<ext>, document.json}."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def folder(self, tenant: str, contract_id: str) -> Path:
        if not contract_id.isalnum():
            raise ValueError("bad contract id")
        return self.root / tenant_key(tenant) / contract_id

    def save(self, tenant: str, contract_id: str, data: bytes, doc: Document) -> None:
        """Write the original file and the ingested document; durable when this returns."""
        folder = self.folder(tenant, contract_id)
        folder.mkdir(parents=True, exist_ok=True)
        _write_durably(folder / f"source{EXTENSIONS.get(doc.media_type, '.bin')}", data)
        _write_durably(folder / "document.json", doc.model_dump_json().encode("utf-8"))
        _fsync_dir(folder)
        _fsync_dir(folder.parent)

    def document(self, tenant: str, contract_id: str) -> Document:
        path = self.folder(tenant, contract_id) / "document.json"
        return Document.model_validate_json(path.read_bytes())

    def source(self, tenant: str, contract_id: str) -> bytes:
        folder = self.folder(tenant, contract_id)
        return next(folder.glob("source.*")).read_bytes()

    def delete(self, tenant: str, contract_id: str) -> None:
        """Remove the folder for real (confidentiality)."""
        shutil.rmtree(self.folder(tenant, contract_id), ignore_errors=True)
