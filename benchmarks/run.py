"""All Clausewise benchmarks side by side in one run: one table, optionally JSON.

Run: .venv/bin/python -m benchmarks.run [--quick] [--json out.json]
Sections: parse+segment, embedding (product vs raw onnxruntime), offline end-to-end review
(one fresh process per size), repeat review (cache), LLM cost vs baselines (fake server),
concurrent uploads through the HTTP API. A failing section is reported, the others still run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.table import render

QUICK_LLM = ["tr08_northern_pines_vbc_addendum"]  # a 12-page payer addendum: the cheapest case


@dataclass
class Config:
    parse_pages: list[int] = field(default_factory=lambda: [10, 50, 200])
    parse_repeat: int = 3
    embed_chunks: int = 96
    embed_repeat: int = 3
    batch_sizes: tuple[int, ...] = (8, 16, 32)  # swept on realistic chunks; () skips the sweep
    review_pages: list[int] = field(default_factory=lambda: [10, 50, 200])
    review_runs: int = 5
    llm_split: str = "train"
    llm_contracts: list[str] | None = None  # None -> every contract of llm_split
    service_ns: list[int] = field(default_factory=lambda: [10, 50])
    service_pages: int = 10
    service_workers: int = 2
    model_dir: Path | None = None  # None -> the default data dir's prepared model
    sections: tuple[str, ...] = ("parse", "embed", "review", "llm", "service")


def quick_config() -> Config:
    """Fewer sizes and runs: about three minutes on 2 shared cores."""
    return Config(parse_pages=[10, 50, 200], parse_repeat=1, embed_chunks=48, embed_repeat=2,
                  batch_sizes=(),
                  review_pages=[10, 50], review_runs=2, llm_contracts=QUICK_LLM,
                  service_ns=[10], service_pages=3)


def machine() -> dict[str, Any]:
    """CPU, memory, Python and load at the time of the run."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory_gb": round(mem_kb / 1024**2, 1),
            "python": platform.python_version(), "loadavg": [round(x, 2) for x in os.getloadavg()],
            "time_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def model_dir(path: Path | None = None) -> Path:
    """The prepared MiniLM model (reused from the default data dir, built there if missing)."""
    from service.index.model_setup import prepare_model
    from service.settings import Settings

    path = path or Settings().model_dir
    prepare_model(path)  # no-op (a verification) when an intact model is already there
    return path


def _parse(cfg: Config, model: Path, tmp: Path) -> list[dict[str, Any]]:
    from benchmarks.contracts import write_contract
    from benchmarks.ingest_bench import time_parse_segment
    from service.segment.tokens import default_counter

    default_counter()("warm up")  # load the tokenizer outside the timings
    return [time_parse_segment(write_contract(tmp, p, "parse"), cfg.parse_repeat) | {"size": p}
            for p in cfg.parse_pages]


def _embed(cfg: Config, model: Path, tmp: Path) -> dict[str, Any]:
    from benchmarks.batch_sweep import sweep
    from benchmarks.embed_bench import measure
    from service.settings import Settings

    out = measure(Settings(data_dir=tmp, embedding_model_dir=model), cfg.embed_chunks, cfg.embed_repeat)
    if cfg.batch_sizes:
        out["batch_sweep"] = sweep(model, sizes=cfg.batch_sizes)
    return out


def _review(cfg: Config, model: Path, tmp: Path) -> list[dict[str, Any]]:
    from benchmarks.review_bench import in_subprocess

    return [in_subprocess(p, cfg.review_runs, model) for p in cfg.review_pages]


def _llm(cfg: Config, model: Path, tmp: Path) -> dict[str, Any]:
    from benchmarks.llm_bench import compare
    from service.settings import Settings

    settings = Settings(data_dir=tmp, embedding_model_dir=model)
    return compare(settings, cfg.llm_contracts, cfg.llm_split, log=_log)


def _service(cfg: Config, model: Path, tmp: Path) -> list[dict[str, Any]]:
    from benchmarks.service_bench import run

    return [run(n, cfg.service_pages, model, cfg.service_workers) for n in cfg.service_ns]


SECTIONS: dict[str, Callable[[Config, Path, Path], Any]] = {
    "parse": _parse, "embed": _embed, "review": _review, "llm": _llm, "service": _service}


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def build(cfg: Config) -> dict[str, Any]:
    """Run the configured sections; each result (or its error) under its name."""
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    out: dict[str, Any] = {"machine": machine(), "config": json.loads(json.dumps(asdict(cfg), default=str))}
    model = model_dir(cfg.model_dir)
    for name in cfg.sections:
        t0 = time.perf_counter()
        _log(f"[{name}] running (load {os.getloadavg()[0]:.1f})")
        with tempfile.TemporaryDirectory(prefix=f"cw-{name}-") as tmp:
            try:
                out[name] = SECTIONS[name](cfg, model, Path(tmp))
            except Exception as exc:  # a broken section is reported in the table, not fatal
                out[name] = {"error": f"{type(exc).__name__}: {exc}"}
                _log(traceback.format_exc())
        out.setdefault("section_s", {})[name] = round(time.perf_counter() - t0, 1)
    out["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer sizes and runs (~3 minutes)")
    ap.add_argument("--json", type=Path, help="also write all figures to this JSON file")
    ap.add_argument("--only", nargs="+", choices=list(SECTIONS), help="run only these sections")
    args = ap.parse_args(argv)
    cfg = quick_config() if args.quick else Config()
    if args.only:
        cfg.sections = tuple(args.only)
    result = build(cfg)
    print(render(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
