"""Build the MiniLM (BERT) encoder as an ONNX graph from safetensors with onnx.helper."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from service.index.minilm import MINILM, BertShape, Weights, layer_key

OPSET = 17  # LayerNormalization is a core op from opset 17
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OUTPUT = "last_hidden_state"


class _Graph:
    """Accumulates nodes and initializers; names are generated so call sites stay readable."""

    def __init__(self) -> None:
        self.nodes: list[Any] = []
        self.inits: list[Any] = []
        self._n = 0

    def const(self, name: str, value: np.ndarray) -> str:
        from onnx import numpy_helper

        self.inits.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def op(self, op_type: str, inputs: list[str], out: str | None = None, **attrs: Any) -> str:
        from onnx import helper

        self._n += 1
        out = out or f"{op_type.lower()}_{self._n}"
        self.nodes.append(helper.make_node(op_type, inputs, [out], name=f"n{self._n}", **attrs))
        return out

    def dense(self, x: str, w: Weights, prefix: str) -> str:
        """x @ W^T + b with W stored pre-transposed."""
        wt = self.const(f"{prefix}.weight_t", w[f"{prefix}.weight"].T.astype(np.float32))
        b = self.const(f"{prefix}.bias", w[f"{prefix}.bias"].astype(np.float32))
        return self.op("Add", [self.op("MatMul", [x, wt]), b])

    def layer_norm(self, x: str, w: Weights, prefix: str, eps: float) -> str:
        scale = self.const(f"{prefix}.weight", w[f"{prefix}.weight"])
        bias = self.const(f"{prefix}.bias", w[f"{prefix}.bias"])
        return self.op("LayerNormalization", [x, scale, bias], axis=-1, epsilon=eps)


def _embeddings(g: _Graph, w: Weights, shape: BertShape) -> str:
    word = g.op("Gather", [g.const("word_emb", w["embeddings.word_embeddings.weight"]), "input_ids"])
    typ = g.op("Gather",
               [g.const("type_emb", w["embeddings.token_type_embeddings.weight"]), "token_type_ids"])
    # Positions 0..seq-1: slice the position table to the runtime sequence length.
    seq = g.op("Slice", [g.op("Shape", ["input_ids"]), g.const("one", np.array([1], np.int64)),
                         g.const("two", np.array([2], np.int64))])
    pos = g.op("Slice", [g.const("pos_emb", w["embeddings.position_embeddings.weight"]),
                         g.const("zero", np.array([0], np.int64)), seq,
                         g.const("axis0", np.array([0], np.int64))])
    x = g.op("Add", [g.op("Add", [word, typ]), pos])
    return g.layer_norm(x, w, "embeddings.LayerNorm", shape.eps)


def _mask_bias(g: _Graph) -> str:
    """(1 - mask) * -1e9, shaped (batch, 1, 1, seq) so padded keys get ~zero attention."""
    m = g.op("Cast", ["attention_mask"], to=1)
    inv = g.op("Sub", [g.const("f_one", np.array(1.0, np.float32)), m])
    bias = g.op("Mul", [inv, g.const("neg_big", np.array(-1e9, np.float32))])
    return g.op("Unsqueeze", [bias, g.const("axes12", np.array([1, 2], np.int64))])


def _attention(g: _Graph, x: str, mask: str, w: Weights, i: int, shape: BertShape) -> str:
    split = g.const(f"l{i}.split", np.array([0, 0, shape.heads, shape.head_dim], np.int64))

    def heads(name: str, perm: list[int]) -> str:
        proj = g.dense(x, w, layer_key(i, f"attention.self.{name}"))
        return g.op("Transpose", [g.op("Reshape", [proj, split])], perm=perm)

    q = heads("query", [0, 2, 1, 3])
    k = heads("key", [0, 2, 3, 1])
    v = heads("value", [0, 2, 1, 3])
    scale = g.const(f"l{i}.scale", np.array(1.0 / math.sqrt(shape.head_dim), np.float32))
    scores = g.op("Add", [g.op("Mul", [g.op("MatMul", [q, k]), scale]), mask])
    ctx = g.op("MatMul", [g.op("Softmax", [scores], axis=-1), v])
    merged = g.op("Reshape", [g.op("Transpose", [ctx], perm=[0, 2, 1, 3]),
                              g.const(f"l{i}.merge", np.array([0, 0, shape.hidden], np.int64))])
    return g.dense(merged, w, layer_key(i, "attention.output.dense"))


def _gelu(g: _Graph, x: str, i: int) -> str:
    """Exact GELU, x * (1 + erf(x / sqrt(2))) * 0.5, in the form onnxruntime fuses into Gelu."""
    sqrt2 = g.const(f"l{i}.sqrt2", np.array(math.sqrt(2.0), np.float32))
    erf = g.op("Erf", [g.op("Div", [x, sqrt2])])
    one = g.const(f"l{i}.one", np.array(1.0, np.float32))
    half = g.const(f"l{i}.half", np.array(0.5, np.float32))
    return g.op("Mul", [g.op("Mul", [x, g.op("Add", [erf, one])]), half])


def _layer(g: _Graph, x: str, mask: str, w: Weights, i: int, shape: BertShape, out: str | None) -> str:
    attn = _attention(g, x, mask, w, i, shape)
    x = g.layer_norm(g.op("Add", [x, attn]), w, layer_key(i, "attention.output.LayerNorm"), shape.eps)
    ff = g.dense(_gelu(g, g.dense(x, w, layer_key(i, "intermediate.dense")), i), w,
                 layer_key(i, "output.dense"))
    y = g.layer_norm(g.op("Add", [x, ff]), w, layer_key(i, "output.LayerNorm"), shape.eps)
    return g.op("Identity", [y], out=out) if out else y


def build_model(w: Weights, shape: BertShape = MINILM) -> Any:
    """Return an onnx.ModelProto of the encoder: (input_ids, attention_mask, token_type_ids) -> last_hidden_state."""
    from onnx import TensorProto, checker, helper

    g = _Graph()
    x = _embeddings(g, w, shape)
    mask = _mask_bias(g)
    for i in range(shape.layers):
        x = _layer(g, x, mask, w, i, shape, OUTPUT if i == shape.layers - 1 else None)
    dims = ["batch", "sequence"]
    inputs = [helper.make_tensor_value_info(n, TensorProto.INT64, dims) for n in INPUTS]
    output = helper.make_tensor_value_info(OUTPUT, TensorProto.FLOAT, [*dims, shape.hidden])
    graph = helper.make_graph(g.nodes, "minilm_l6_encoder", inputs, [output], initializer=g.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="clausewise")
    model.ir_version = 8  # readable by onnxruntime >= 1.14
    checker.check_model(model)
    return model
