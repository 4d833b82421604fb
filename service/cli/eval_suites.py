"""`clausewise eval run SUITE | nightly | list | payer`: suites from evals/suites/*.yaml."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from service.settings import REPO_ROOT, load_settings


def register_suites(esub: argparse._SubParsersAction) -> None:
    run = esub.add_parser("run", help="run one suite (evals/suites/NAME.yaml or a path)")
    run.add_argument("suite")
    _common(run)
    run.set_defaults(func=_run)
    payer = esub.add_parser("payer", help="the payer gold corpus (held-out test split by default)")
    payer.add_argument("--split", choices=("test", "train", "all"), default="test")
    payer.add_argument("--format", dest="fmt", choices=("txt", "pdf", "docx"), default="txt")
    _common(payer)
    payer.set_defaults(func=_payer)
    nightly = esub.add_parser("nightly", help="every suite marked nightly; non-zero on regression")
    _common(nightly)
    nightly.set_defaults(func=_nightly)
    ls = esub.add_parser("list", help="list suites")
    ls.set_defaults(func=_list)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--backend", choices=("offline", "llm"), default=None)
    p.add_argument("--out", type=Path, default=REPO_ROOT / "evals" / "results")
    p.add_argument("--history", type=Path, default=None,
                   help="history JSONL (default: <out>/history.jsonl)")


def _execute(names: list[str], args: argparse.Namespace, **overrides: object) -> int:
    from service.evaluation.suite_run import execute
    from service.evaluation.suites import load_suite

    settings = load_settings()
    history = args.history or args.out / "history.jsonl"
    worst = 0
    for name in names:
        suite = load_suite(name, REPO_ROOT)
        update = {k: v for k, v in {"backend": args.backend, **overrides}.items() if v is not None}
        suite = suite.model_copy(update=update)
        print(f"suite {suite.name}: {suite.description}", file=sys.stderr)
        result, failures, paths = execute(suite, settings, out_root=args.out,
                                          history_path=history,
                                          log=lambda m: print(m, file=sys.stderr))
        _print(result, failures, paths)
        worst = max(worst, 1 if failures else 0)
    return worst


def _print(result: dict, failures: list[str], paths: dict) -> None:
    o = result["metrics"]["overall"]
    hs = result["metrics"].get("high_severity") or {}
    print(f"{result['suite']}: recall {o['recall']:.3f}  precision {o['precision']:.3f}  "
          f"F1 {o['f1']:.3f}  AUPR {o['aupr']:.3f}  P@80%R {o['p_at_80r']:.3f}  "
          f"P@90%R {o['p_at_90r']:.3f}"
          + (f"  high-severity recall {hs['recall']:.3f}" if hs else "")
          + (f"  doc recall {result['metrics']['doc_recall']:.3f}"
             if result["metrics"].get("doc_recall") is not None else ""))
    print(f"  report {paths['html']}  json {paths['json']}  junit {paths['junit']}")
    for f in failures:
        print(f"  GATE FAILED: {f}")


def _run(args: argparse.Namespace) -> int:
    return _execute([args.suite], args)


def _payer(args: argparse.Namespace) -> int:
    return _execute(["payer"], args, split=args.split, format=args.fmt,
                    name=f"payer-{args.split}-{args.fmt}")


def _nightly(args: argparse.Namespace) -> int:
    from service.evaluation.suites import load_suite, suite_names

    names = [n for n in suite_names(REPO_ROOT) if load_suite(n, REPO_ROOT).nightly]
    return _execute(names, args)


def _list(args: argparse.Namespace) -> int:
    from service.evaluation.suites import load_suite, suite_names

    for name in suite_names(REPO_ROOT):
        s = load_suite(name, REPO_ROOT)
        print(f"{name:18s} {s.kind:6s} split={s.split:5s} format={s.format:4s} "
              f"nightly={s.nightly!s:5s} {s.description}")
    return 0
