"""Offline end-to-end review latency and peak RSS for one contract size, in a fresh process.

Run: .venv/bin/python -m benchmarks.review_bench --pages 50 --runs 5 --model-dir DIR
Prints one JSON object. Each run reviews a new contract (distinct text, so nothing comes from
the embedding cache); then the last contract is reviewed again (cache hits, nothing embedded).
Peak RSS is this process's VmHWM (ru_maxrss would include the parent's RSS at fork time), so the
parent runs one process per size.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

STAGES = ("segment", "index", "candidates", "decide", "findings")


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..1) of a non-empty list."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def peak_rss_mb() -> int:
    """This process's own peak RSS (VmHWM of its address space, reset by exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _cpu_s() -> float:
    """CPU seconds of this process (all threads); the PDF sandbox is a forkserver child, not ours."""
    return time.process_time()


def review_once(path: Path, settings: Any, comps: Any) -> dict[str, Any]:
    """Ingest + review one file; wall time per pipeline stage from the progress callback."""
    from service.ingest import ingest_path
    from service.review.pipeline import ReviewOptions, review_document

    marks: list[tuple[str, float]] = []
    cpu0 = _cpu_s()
    t0 = time.perf_counter()
    doc = ingest_path(path, settings)
    t1 = time.perf_counter()
    result = review_document(doc, settings, ReviewOptions(), components=comps,
                             progress=lambda stage, _f: marks.append((stage, time.perf_counter())))
    t2 = time.perf_counter()
    ends = [m[1] for m in marks[1:]] + [t2]
    stages = {"ingest": t1 - t0} | {s: end - start for (s, start), end in zip(marks, ends, strict=True)}
    return {"pages": doc.page_count, "chunks": result.stats.chunks,
            "embedded": result.stats.embedded, "findings": len(result.findings),
            "total_s": t2 - t0, "review_s": t2 - t1, "cpu_s": _cpu_s() - cpu0,
            "stages_s": {k: round(v, 3) for k, v in stages.items()}}


def _summary(runs: list[dict[str, Any]], pages: int) -> dict[str, Any]:
    totals = [r["total_s"] for r in runs]
    p50 = statistics.median(totals)
    return {"runs": len(runs), "p50_s": round(p50, 2), "p95_s": round(percentile(totals, 0.95), 2),
            "min_s": round(min(totals), 2), "s_per_page": round(p50 / pages, 3),
            "cpu_p50_s": round(statistics.median(r["cpu_s"] for r in runs), 2),
            "chunks": runs[-1]["chunks"], "embedded_per_run": [r["embedded"] for r in runs],
            "stages_p50_s": {k: round(statistics.median(r["stages_s"][k] for r in runs), 2)
                             for k in runs[0]["stages_s"]}}


def run_size(pages: int, runs: int, model_dir: Path, data_dir: Path) -> dict[str, Any]:
    """Cold start, `runs` first reviews of distinct contracts, and one repeat review."""
    import logging

    from benchmarks.contracts import write_contract
    from benchmarks.ingest_bench import ChildRss
    from service.review.components import Components
    from service.settings import Settings

    logger = logging.getLogger("clausewise.ingest")  # the sandbox child reports its peak RSS
    logger.setLevel(logging.DEBUG)
    logger.addHandler(ChildRss())
    settings = Settings(data_dir=data_dir, embedding_model_dir=model_dir)
    files = [write_contract(data_dir, pages, f"p{pages}r{i}") for i in range(runs)]
    t0 = time.perf_counter()
    comps = Components.from_settings(settings)
    review_once(write_contract(data_dir, 1, "warm"), settings, comps)  # loads models, Chroma
    cold = time.perf_counter() - t0
    first = [review_once(f, settings, comps) for f in files]
    again = review_once(files[-1], settings, comps)
    out = {"pages": pages, "cold_start_s": round(cold, 2)} | _summary(first, pages)
    out["repeat"] = {"embedded": again["embedded"], "total_s": round(again["total_s"], 2),
                     "speedup": round(first[-1]["total_s"] / again["total_s"], 1),
                     "review_speedup": round(first[-1]["review_s"] / again["review_s"], 1),
                     "stages_s": again["stages_s"]}
    out["peak_rss_mb"] = peak_rss_mb()
    # ru_maxrss survives fork+exec on Linux: it includes the parent's RSS when it forked us.
    out["ru_maxrss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    out["peak_child_rss_mb"] = round(ChildRss.peak_kb / 1024)  # the PDF sandbox (forkserver child)
    out["loadavg_1m"] = round(os.getloadavg()[0], 2)
    out["nproc"] = os.cpu_count() or 1
    return out


def in_subprocess(pages: int, runs: int, model_dir: Path, timeout_s: float = 1800) -> dict[str, Any]:
    """run_size() in a fresh interpreter, so ru_maxrss is this size's own peak."""
    cmd = [sys.executable, "-m", "benchmarks.review_bench", "--pages", str(pages),
           "--runs", str(runs), "--model-dir", str(model_dir)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s, check=False,
                          cwd=Path(__file__).resolve().parent.parent)
    if proc.returncode != 0:
        raise RuntimeError(f"review bench ({pages} pages) failed:\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--model-dir", type=Path, required=True)
    args = ap.parse_args()
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    with tempfile.TemporaryDirectory(prefix="cw-bench-") as tmp:
        result = run_size(args.pages, args.runs, args.model_dir, Path(tmp))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
