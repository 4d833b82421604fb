"""Turn benchmarks.run results into one plain-text table (figure, value, target, met?)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Row = tuple[str, str, str, str]  # figure, value, target, verdict


def _check(value: float | None, ok: Callable[[float], bool] | None) -> str:
    if ok is None or value is None:
        return ""
    return "met" if ok(value) else "MISSED"


def _row(figure: str, value: Any, fmt: str = "{}", target: str = "",
         ok: Callable[[float], bool] | None = None) -> Row:
    shown = fmt.format(value) if value is not None else "n/a"
    return figure, shown, target, _check(value, ok)


def _parse(res: list[dict[str, Any]]) -> list[Row]:
    rows = []
    for r in res:
        target, ok = ("", None) if r["size"] != 50 else (">= 100", lambda v: v >= 100)
        rows.append(_row(f"parse+segment {r['size']}p ({r['chunks']} chunks)", r["pages_per_s"],
                         "{:.1f} pages/s", target, ok))
    return rows


def _embed(r: dict[str, Any]) -> list[Row]:
    return [
        _row("embed: product path", r["product_chunks_per_s"], "{:.1f} chunks/s", ">= 20",
             lambda v: v >= 20),
        _row("embed: raw onnxruntime (same batches)", r["raw_ort_chunks_per_s"], "{:.1f} chunks/s"),
        _row("embed: product / raw", r["ratio"], "{:.3f}", ">= 0.9", lambda v: v >= 0.9),
        _row("embed: CPU-bound ceiling (nproc x 1/cpu)", r["cpu_bound_chunks_per_s"],
             "{:.1f} chunks/s"),
        _row("embed: mean tokens/chunk, query p50", f"{r['mean_tokens']}, {r['query']['p50_ms']} ms"),
        *_sweep(r.get("batch_sweep")),
    ]


def _sweep(r: dict[str, Any] | None) -> list[Row]:
    if not r:
        return []
    cells = [f"{b}: {v['cpu_ms_per_chunk']} ms ({v['chunks_per_s']}/s)" for b, v in r["by_batch"].items()]
    return [_row(f"embed: batch size sweep, CPU/chunk ({r['chunks']} real chunks)", " | ".join(cells))]


def _latency_target(pages: int) -> tuple[str, Callable[[float], bool] | None]:
    if pages == 50:
        return "<= 15 s", lambda v: v <= 15
    if pages == 200:
        return "<= 60 s", lambda v: v <= 60
    return "", None


def _review(res: list[dict[str, Any]]) -> list[Row]:
    rows = []
    for r in res:
        p = r["pages"]
        target, ok = _latency_target(p)
        rows.append(_row(f"review {p}p p50 / p95 ({r['runs']} runs)", r["p95_s"],
                         f"{r['p50_s']:.1f} / {{:.1f}} s", target, ok))
        rows.append(_row(f"review {p}p time per page", r["s_per_page"], "{:.3f} s/page"))
        rows.append(_row(f"review {p}p CPU s p50 (/nproc: idle lower bound)", r["cpu_p50_s"],
                         f"{{:.1f}} s ({r['cpu_p50_s'] / r.get('nproc', 2):.1f} s)"))
        rows.append(_row(f"review {p}p peak RSS (child pdf)", r["peak_rss_mb"],
                         f"{{}} MB ({r['peak_child_rss_mb']} MB)", "< 1536 MB", lambda v: v < 1536))
        st = r["stages_p50_s"]
        rows.append(_row(f"review {p}p stages p50", " ".join(f"{k} {v}" for k, v in st.items())))
    for r in res:
        rep = r["repeat"]
        rows.append(_row(f"repeat review {r['pages']}p: embedded", rep["embedded"], "{}", "0",
                         lambda v: v == 0))
        rows.append(_row(f"repeat review {r['pages']}p: speed-up", rep["speedup"],
                         f"{{:.1f}}x ({rep['total_s']:.2f} s; review only {rep['review_speedup']}x)",
                         ">= 5x", lambda v: v >= 5))
    return rows


def _llm(r: dict[str, Any]) -> list[Row]:
    rows = []
    for name, a in r["approaches"].items():
        ok = (lambda v: v <= 0.10) if name == "product" else None
        rows.append(_row(
            f"llm {name}: calls, prompt tok /contract", a["tokens_vs_naive"],
            f"{a['calls_per_contract']:.0f}, {a['prompt_tokens_per_contract']:,} ({{:.1%}} of naive)",
            "<= 10% naive" if ok else "", ok))
        rows.append(_row(f"llm {name}: recall (doc recall)", a["recall"],
                         f"{{:.3f}} ({a['doc_recall']:.3f}) of {a['gold_spans']} spans"))
    return rows


def _service(res: list[dict[str, Any]]) -> list[Row]:
    rows = []
    for r in res:
        n = r["n"]
        intact = r["accepted"] == r["completed"] == n and r["lost"] == 0
        rows.append((f"api N={n}: accepted/completed/lost",
                     f"{r['accepted']}/{r['completed']}/{r['lost']}", "all/all/0",
                     "met" if intact else "MISSED"))
        rows.append(_row(f"api N={n}: accept p50 / p95", r["accept_p95_s"],
                         f"{r['accept_p50_s']:.2f} / {{:.2f}} s"))
        rows.append(_row(f"api N={n}: jobs/minute ({r['pages']}p, {r['worker_threads']} workers)",
                         r["jobs_per_min"], "{:.1f}"))
    return rows


BUILDERS: dict[str, Callable[[Any], list[Row]]] = {
    "parse": _parse, "embed": _embed, "review": _review, "llm": _llm, "service": _service}


def rows(result: dict[str, Any]) -> list[Row]:
    """Table rows for every section present in `result` (errors shown as a row)."""
    out: list[Row] = []
    for name, build in BUILDERS.items():
        if name not in result:
            continue
        res = result[name]
        if isinstance(res, dict) and "error" in res:
            out.append((f"{name}: ERROR", res["error"][:70], "", "failed"))
        else:
            out.extend(build(res))
    return out


def render(result: dict[str, Any]) -> str:
    """The aligned table plus a header line describing the machine."""
    m = result["machine"]
    head = (f"# {m['nproc']} cores ({m['cpu']}), {m['memory_gb']} GB, Python {m['python']}, "
            f"load {m['loadavg']} -> {m.get('loadavg_end', '?')}")
    table = [("figure", "value", "target", ""), *rows(result)]
    widths = [max(len(r[i]) for r in table) for i in range(4)]
    lines = [head] + ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                      for r in table]
    lines.insert(2, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
