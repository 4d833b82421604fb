"""Candidate units of a contract and their hashed sparse features (text, heading, context, meta)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

from service.detect.candidates import key_term_candidates
from service.detect.units import Unit, is_heading, leading_heading, split_sentences
from service.records import Section

# Feature blocks: name -> (hash width, n-gram range). Hashing needs no fitted vocabulary, so
# cross-validation folds never share statistics; fold-specific column selection + IDF follow.
BLOCKS: dict[str, tuple[int, tuple[int, int]]] = {
    "text": (2**20, (1, 2)),
    "heading": (2**17, (1, 2)),
    "ctx_sentence": (2**18, (1, 1)),
    "ctx_candidate": (2**19, (1, 2)),
    "meta": (2**14, (1, 1)),
}
_TOKEN = r"(?u)\b\w[\w']*\b"


_WORD = re.compile(r"[a-z0-9]+")


@dataclass
class CueSet:
    """Library cue phrases and regexes per clause id, turned into meta tokens."""

    cues: dict[str, list[str]] = field(default_factory=dict)
    patterns: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Cues become word sequences (last word matched as a prefix: "recoup" ~ "recoupment"),
        # indexed by first word, so one pass over the tokens finds them all.
        self._first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self._single: dict[str, set[str]] = {}
        for cid, phrases in self.cues.items():
            for phrase in phrases:
                words = tuple(_WORD.findall(phrase.lower()))
                if len(words) == 1:
                    self._single.setdefault(words[0], set()).add(cid)
                elif words:
                    self._first.setdefault(words[0], []).append((words, cid))
        self._lengths = sorted({len(w) for w in self._single})
        self._pat_re = {k: [re.compile(p, re.I) for p in v] for k, v in self.patterns.items()}

    def _cue_ids(self, words: list[str]) -> set[str]:
        found: set[str] = set()
        for i, w in enumerate(words):
            for n in self._lengths:
                if len(w) >= n and w[:n] in self._single:
                    found |= self._single[w[:n]]
            for seq, cid in self._first.get(w, ()):
                k = len(seq)
                tail = words[i:i + k]
                if len(tail) == k and tail[:-1] == list(seq[:-1]) and tail[-1].startswith(seq[-1]):
                    found.add(cid)
        return found

    def unit_tokens(self, text: str, units: list[Unit]) -> list[list[str]]:
        """Meta tokens cue_<id> / pat_<id> for each unit; patterns only run where a cue hit."""
        out = []
        for u in units:
            ids = self._cue_ids(_WORD.findall(u.text.lower()))
            toks = [f"cue_{cid}" for cid in sorted(ids)]
            toks += [f"pat_{cid}" for cid in sorted(ids)
                     if any(p.search(u.text) for p in self._pat_re.get(cid, ()))]
            out.append(toks)
        return out


@dataclass
class UnitTable:
    """All candidate units of one document plus the strings their features are built from."""

    units: list[Unit]
    heading: list[str]
    context: list[str]
    meta: list[str]


def _headings(units: list[Unit], sections: Sequence[Section] | None = None) -> list[str]:
    """Heading text of the enclosing section: the segmenter's titles when given, else derived."""
    current = ""
    out = []
    titled = sorted((s.end - s.start, s.start, s.end, f"{s.number or ''} {s.title}".strip())
                     for s in sections or () if s.title)
    for u in units:
        if is_heading(u.text):
            current = u.text
            out.append(current)
            continue
        outer = next((t for _, a, b, t in titled if a <= u.start < b), current)
        out.append(f"{outer} {leading_heading(u.text)}".strip())
    return out


def _bucket(value: float, edges: tuple[float, ...]) -> int:
    return bisect.bisect_right(edges, value)


def _meta_sentence(i: int, u: Unit, n: int, n_chars: int, cue_tokens: list[str]) -> str:
    rel = u.start / max(1, n_chars)
    words = len(u.text.split())
    toks = [
        "kind_sentence", f"rel_{_bucket(rel, (0.02, 0.05, 0.1, 0.3, 0.6, 0.85, 0.95))}",
        f"idx_{_bucket(i, (1, 3, 6, 12, 25, 50))}", f"len_{_bucket(words, (3, 6, 12, 25, 50, 100, 200))}",
        "heading_like" if is_heading(u.text) else "body",
        "upper" if u.text.isupper() else "mixed",
    ]
    if n - i <= 30:
        toks.append("near_end")
    return " ".join(toks + cue_tokens)


def _meta_candidate(c: Unit, k: int, n_chars: int) -> str:
    rel = c.start / max(1, n_chars)
    words = len(c.text.split())
    return " ".join([
        f"kind_{c.kind}", f"{c.kind}_rank_{min(k, 4)}",
        f"{c.kind}_rel_{_bucket(rel, (0.01, 0.03, 0.1, 0.5, 0.85))}",
        f"{c.kind}_len_{_bucket(words, (1, 2, 3, 5, 8, 12))}",
        f"{c.kind}_upper" if c.text.isupper() else f"{c.kind}_mixed",
    ])


def build_units(text: str, cues: CueSet | None = None,
                sections: Sequence[Section] | None = None) -> UnitTable:
    """Sentences plus key-term candidates with heading, context and meta strings."""
    sents = split_sentences(text)
    heads = _headings(sents, sections)
    n = len(sents)
    cue_tokens = cues.unit_tokens(text, sents) if cues else [[] for _ in sents]
    units, heading, context, meta = [], [], [], []
    for i, u in enumerate(sents):
        units.append(u)
        heading.append(heads[i])
        prev = sents[i - 1].text if i else ""
        nxt = sents[i + 1].text if i + 1 < n else ""
        context.append(f"{prev[-300:]} {nxt[:300]}")
        meta.append(_meta_sentence(i, u, n, len(text), cue_tokens[i]))
    starts = [s.start for s in sents]
    rank: dict[str, int] = {}
    for c in key_term_candidates(text, sents):
        j = max(0, bisect.bisect_right(starts, c.start) - 1)
        k = rank.get(c.kind, 0)
        rank[c.kind] = k + 1
        units.append(c)
        heading.append(heads[j] if sents else "")
        context.append(sents[j].text[:600] if sents else "")
        meta.append(_meta_candidate(c, k, len(text)))
    return UnitTable(units, heading, context, meta)


def _vectorizer(block: str) -> HashingVectorizer:
    width, ngrams = BLOCKS[block]
    pattern = r"\S+" if block == "meta" else _TOKEN
    return HashingVectorizer(n_features=width, ngram_range=ngrams, alternate_sign=False,
                             norm=None, token_pattern=pattern, lowercase=block != "meta",
                             dtype=np.float32)


def hashed_blocks(tables: list[UnitTable]) -> dict[str, sp.csr_matrix]:
    """Raw hashed term counts per block for all units of the given documents (rows stacked)."""
    texts = [u.text[:2000] for t in tables for u in t.units]
    kinds = np.array([u.kind == "sentence" for t in tables for u in t.units])
    ctx = [c for t in tables for c in t.context]
    blocks = {
        "text": _vectorizer("text").transform(texts),
        "heading": _vectorizer("heading").transform([h for t in tables for h in t.heading]),
        "meta": _vectorizer("meta").transform([m for t in tables for m in t.meta]),
    }
    # Context means different things for sentences (neighbours) and key-term candidates (the
    # enclosing sentence), so each kind gets its own block.
    blocks["ctx_candidate"] = _vectorizer("ctx_candidate").transform(
        [c if not k else "" for c, k in zip(ctx, kinds, strict=True)])
    blocks["ctx_sentence"] = _vectorizer("ctx_sentence").transform(
        [c if k else "" for c, k in zip(ctx, kinds, strict=True)])
    return {k: sp.csr_matrix(v) for k, v in blocks.items()}


EMBED_DIM = 384  # MiniLM sentence vectors (the dense block; see `Detector.embed`)


@dataclass
class FeatureSpace:
    """Fold-specific column selection and IDF weights per block (fit on training rows only).

    `dense_weight` > 0 appends a dense block: the MiniLM vector of each sentence unit (zeros for
    key-term candidates), scaled by that weight. Only library heads use it (CUAD heads carry zero
    weights there), so it adds paraphrase-level similarity where training data is scarce.
    """

    columns: dict[str, np.ndarray]
    idf: dict[str, np.ndarray]
    weights: dict[str, float]
    dense_weight: float = 0.0

    @classmethod
    def fit(cls, raw: dict[str, sp.csr_matrix], min_df: int = 3,
            weights: dict[str, float] | None = None, dense_weight: float = 0.0) -> FeatureSpace:
        """Keep hashed columns seen in >= min_df training units; smooth IDF on those rows."""
        cols, idf = {}, {}
        for name, m in raw.items():
            df = np.asarray((m > 0).sum(axis=0)).ravel()
            keep = np.nonzero(df >= (1 if name == "meta" else min_df))[0]
            cols[name] = keep.astype(np.int32)
            idf[name] = (np.log((1 + m.shape[0]) / (1 + df[keep])) + 1).astype(np.float32)
        w = {"text": 1.0, "heading": 0.6, "ctx_sentence": 0.35, "ctx_candidate": 0.8, "meta": 1.0}
        return cls(cols, idf, weights or w, dense_weight)

    def transform(self, raw: dict[str, sp.csr_matrix], dense: np.ndarray | None = None) -> sp.csr_matrix:
        """Sublinear TF-IDF, L2-normalised per block, weighted, stacked horizontally (+ dense block)."""
        parts = []
        for name in BLOCKS:
            m = raw[name][:, self.columns[name]].tocsr(copy=True)
            m.data = (1.0 + np.log(m.data)) if name != "meta" else np.ones_like(m.data)
            m = m.multiply(self.idf[name][None, :]).tocsr()
            norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
            scale = self.weights[name] / np.where(norms > 0, norms, 1.0)
            parts.append(sp.diags(scale.astype(np.float32)) @ m)
        if self.dense_weight > 0:
            rows = parts[0].shape[0]
            block = np.zeros((rows, EMBED_DIM), np.float32) if dense is None else dense
            parts.append(sp.csr_matrix(block.astype(np.float32) * self.dense_weight))
        return sp.hstack(parts, format="csr", dtype=np.float32)

    def dense(self, units: Sequence[Unit], embed: Callable[[list[str]], np.ndarray] | None) -> np.ndarray | None:
        """The dense block for these units (None when the space has none)."""
        if self.dense_weight <= 0:
            return None
        if embed is None:
            raise ValueError("this feature space has a dense block: an embedding function is required")
        return unit_vectors(units, embed)

    @property
    def sparse_width(self) -> int:
        return sum(len(c) for c in self.columns.values())

    @property
    def width(self) -> int:
        return self.sparse_width + (EMBED_DIM if self.dense_weight > 0 else 0)


def unit_vectors(units: Sequence[Unit], embed: Callable[[list[str]], np.ndarray]) -> np.ndarray:
    """Dense block rows: the sentence vector of each sentence unit, zeros for other kinds."""
    out = np.zeros((len(units), EMBED_DIM), np.float32)
    idx = [i for i, u in enumerate(units) if u.kind == "sentence"]
    if idx:
        out[idx] = embed([units[i].text[:2000] for i in idx])
    return out


def snippet_table(snippets: list[str], cues: CueSet | None = None) -> UnitTable:
    """Stand-alone clause texts (library exemplars/negatives) as units without context."""
    units, meta = [], []
    for s in snippets:
        u = Unit(0, len(s), s, "sentence")
        toks = cues.unit_tokens(s, [u])[0] if cues else []
        units.append(u)
        meta.append(_meta_sentence(5, u, 400, 40000, toks))
    return UnitTable(units, [""] * len(units), [""] * len(units), meta)
