"""Prepare the offline embedding model (ONNX + tokenizer) under the data dir, and check it."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from service.errors import ModelMissing
from service.index.embeddings import MANIFEST, ONNX_FILE, Embedder
from service.index.minilm import (
    MAX_TOKENS,
    MINILM,
    MODEL_NAME,
    TOKENIZER_FILES,
    load_weights,
    source_dir,
)

BUILDER_VERSION = 2  # bump when the graph layout changes, so setup rebuilds
MIN_COSINE = 0.9999
PROBES = (
    "The Payer may recoup overpayments by offsetting them against future claim payments.",
    "This Agreement shall be governed by the laws of the State of Delaware.",
    "Either party may terminate without cause on ninety (90) days' written notice.",
)


@dataclass(frozen=True)
class ModelStatus:
    """Outcome of setup or check: where the model is and how well it matched the reference."""

    model_dir: Path
    built: bool  # False when an intact model was already there
    min_cosine: float
    seconds: float


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MB blocks."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _intact(model_dir: Path, weights_sha: str) -> bool:
    try:
        manifest = json.loads((model_dir / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return False
    if manifest.get("builder") != BUILDER_VERSION or manifest.get("weights_sha256") != weights_sha:
        return False
    files: dict[str, str] = manifest.get("files", {})
    return all((model_dir / n).is_file() and sha256_file(model_dir / n) == h for n, h in files.items())


def verify(model_dir: Path) -> float:
    """Min cosine between the ONNX path (batched, padded) and the numpy reference on probe texts."""
    from service.index.reference import sentence_embeddings

    embedder = Embedder(model_dir, batch_size=len(PROBES))
    ids = embedder.encode_ids(list(PROBES))
    got = embedder.embed_uncached(list(PROBES))
    want = sentence_embeddings(load_weights(source_dir()), ids)
    return float(np.min(np.sum(got * want, axis=1)))


def _build_into(tmp: Path, src: Path, weights_sha: str) -> None:
    import onnx

    from service.index.onnx_graph import build_model

    tmp.mkdir(parents=True)
    for name in TOKENIZER_FILES:
        shutil.copy2(src / name, tmp / name)
    onnx.save_model(build_model(load_weights(src)), str(tmp / ONNX_FILE))
    files = {n: sha256_file(tmp / n) for n in (*TOKENIZER_FILES, ONNX_FILE)}
    manifest = {"model": MODEL_NAME, "builder": BUILDER_VERSION, "weights_sha256": weights_sha,
                "dim": MINILM.hidden, "max_tokens": MAX_TOKENS, "files": files}
    (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2), "utf-8")


def prepare_model(model_dir: Path, *, force: bool = False) -> ModelStatus:
    """Build the ONNX model into model_dir unless an intact one is there; verify either way."""
    started = time.perf_counter()
    src = source_dir()
    weights_sha = sha256_file(src / "model.safetensors")
    model_dir.parent.mkdir(parents=True, exist_ok=True)
    # A lock file so two concurrent `setup` runs do not build over each other.
    with (model_dir.parent / f".{model_dir.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        built = force or not _intact(model_dir, weights_sha)
        if built:
            cosine = _build_and_swap(model_dir, src, weights_sha)
        else:
            cosine = verify(model_dir)
            _check_cosine(cosine, model_dir)
    return ModelStatus(model_dir, built, cosine, time.perf_counter() - started)


def _build_and_swap(model_dir: Path, src: Path, weights_sha: str) -> float:
    """Build and verify in a temp dir, then swap it in: readers never see a half-built model."""
    tmp = model_dir.with_name(f".{model_dir.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        _build_into(tmp, src, weights_sha)
        cosine = verify(tmp)
        _check_cosine(cosine, tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = model_dir.with_name(f".{model_dir.name}.old-{os.getpid()}")
    if model_dir.exists():
        model_dir.rename(old)
    tmp.rename(model_dir)
    shutil.rmtree(old, ignore_errors=True)
    return cosine


def check_model(model_dir: Path) -> ModelStatus:
    """Raise ModelMissing unless model_dir holds an intact, verified model; never builds."""
    started = time.perf_counter()
    if not _intact(model_dir, sha256_file(source_dir() / "model.safetensors")):
        raise ModelMissing(f"embedding model in {model_dir} is missing, outdated or corrupt; "
                           "run `clausewise setup`.")
    cosine = verify(model_dir)
    _check_cosine(cosine, model_dir)
    return ModelStatus(model_dir, False, cosine, time.perf_counter() - started)


def _check_cosine(cosine: float, where: Path) -> None:
    if not cosine > MIN_COSINE:
        raise ModelMissing(f"embedding model in {where} does not match the reference "
                           f"(cosine {cosine:.6f} <= {MIN_COSINE}); run `clausewise setup --force`.")
