"""Pure-numpy MiniLM forward pass: the independent reference the ONNX graph is checked against."""

from __future__ import annotations

import math

import numpy as np

from service.index.minilm import MINILM, BertShape, Weights, layer_key


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


def _gelu(x: np.ndarray) -> np.ndarray:
    from scipy.special import erf

    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def _dense(x: np.ndarray, w: Weights, prefix: str) -> np.ndarray:
    return x @ w[f"{prefix}.weight"].T + w[f"{prefix}.bias"]


def _attention(x: np.ndarray, w: Weights, i: int, shape: BertShape) -> np.ndarray:
    seq = x.shape[0]

    def heads(name: str) -> np.ndarray:
        proj = _dense(x, w, layer_key(i, f"attention.self.{name}"))
        return proj.reshape(seq, shape.heads, shape.head_dim).transpose(1, 0, 2)

    q, k, v = heads("query"), heads("key"), heads("value")
    scores = q @ k.transpose(0, 2, 1) / math.sqrt(shape.head_dim)
    scores = np.exp(scores - scores.max(-1, keepdims=True))
    probs = scores / scores.sum(-1, keepdims=True)
    return (probs @ v).transpose(1, 0, 2).reshape(seq, shape.hidden)


def hidden_states(w64: Weights, ids: list[int], shape: BertShape = MINILM) -> np.ndarray:
    """Last hidden state (seq x hidden) of one unpadded sequence; pass float64 weights."""
    seq = len(ids)
    x = (w64["embeddings.word_embeddings.weight"][ids].astype(np.float64)
         + w64["embeddings.position_embeddings.weight"][:seq]
         + w64["embeddings.token_type_embeddings.weight"][0])
    x = _layer_norm(x, w64["embeddings.LayerNorm.weight"], w64["embeddings.LayerNorm.bias"], shape.eps)
    for i in range(shape.layers):
        attn = _dense(_attention(x, w64, i, shape), w64, layer_key(i, "attention.output.dense"))
        x = _layer_norm(x + attn, w64[layer_key(i, "attention.output.LayerNorm.weight")],
                        w64[layer_key(i, "attention.output.LayerNorm.bias")], shape.eps)
        ff = _gelu(_dense(x, w64, layer_key(i, "intermediate.dense")))
        ff = _dense(ff, w64, layer_key(i, "output.dense"))
        x = _layer_norm(x + ff, w64[layer_key(i, "output.LayerNorm.weight")],
                        w64[layer_key(i, "output.LayerNorm.bias")], shape.eps)
    return x


def sentence_embeddings(
    w: Weights, batch: list[list[int]], shape: BertShape = MINILM
) -> np.ndarray:
    """Mean-pooled, L2-normalised vectors of unpadded token-id sequences (float64 maths)."""
    # The 30k-row word table stays float32 (rows are cast when gathered): keeps this fast.
    w64 = {k: v if k == "embeddings.word_embeddings.weight" else v.astype(np.float64)
           for k, v in w.items() if v.dtype == np.float32}
    rows = []
    for ids in batch:
        pooled = hidden_states(w64, ids, shape).mean(0)
        rows.append(pooled / np.linalg.norm(pooled))
    return np.asarray(rows, dtype=np.float32)
