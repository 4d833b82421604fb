"""`clausewise eval SUITE ...`: evaluation suites (each suite is a subcommand of `eval`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from service.settings import load_settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("eval", help="run evaluation suites")
    esub = p.add_subparsers(dest="eval_command", metavar="SUITE", required=True)
    _register_cuad(esub)
    from service.cli.eval_suites import register_suites

    register_suites(esub)


def _register_cuad(esub: argparse._SubParsersAction) -> None:
    p = esub.add_parser("cuad", help="official CUAD metric on a CUAD-layout directory")
    p.add_argument("--data", type=Path, required=True, help="dir with contracts/, labels.jsonl, categories.json")
    p.add_argument("--folds", type=int, default=0,
                   help="K-fold cross-validation on --data (fresh models per fold); default: shipped artefacts")
    p.add_argument("--limit", type=int, default=None, help="only the first N contracts (sorted by id)")
    p.add_argument("--out", type=Path, default=None, help="write cuad_predictions.json and cuad_metrics.json here")
    p.add_argument("--artifacts", type=Path, default=None, help="detector artefacts (default: shipped)")
    p.set_defaults(func=_cuad)


def _cuad(args: argparse.Namespace) -> int:
    from service.evaluation.cuad import run_cuad_eval

    result = run_cuad_eval(
        args.data, library_dir=load_settings().library_dir, folds=args.folds, limit=args.limit,
        out_dir=args.out, artifacts_dir=args.artifacts, progress=lambda m: print(m, file=sys.stderr),
    )
    o, s = result["overall"], result["overall_strict_jaccard"]
    print(f"CUAD ({result['mode']}, {result['contracts']} contracts, {result['elapsed_s']}s)")
    print(f"  AUPR {o['aupr']:.4f}  P@80%R {o['precision_at_80_recall']:.4f}  "
          f"P@90%R {o['precision_at_90_recall']:.4f}  max recall {o['max_recall']:.4f}")
    print(f"  (Jaccard only, no Parties substring rule: AUPR {s['aupr']:.4f}  "
          f"P@80%R {s['precision_at_80_recall']:.4f})")
    for cat, m in result["per_category"].items():
        print(f"  {cat:38s} AUPR {m['aupr']:.3f}  P@80%R {m['precision_at_80_recall']:.3f}")
    return 0
