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
    _register_payer_cv(esub)
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


def _register_payer_cv(esub: argparse._SubParsersAction) -> None:
    from service.cli.train_cmd import DEFAULT_CUAD
    from service.settings import REPO_ROOT

    p = esub.add_parser("payer-cv", help="cross-validation on the payer corpus's train split (for tuning; "
                                         "never touches the test split)")
    p.add_argument("--cuad", type=Path, default=DEFAULT_CUAD, help="CUAD training dir")
    p.add_argument("--payer", type=Path, default=REPO_ROOT / "evals" / "payer", help="payer gold corpus")
    p.add_argument("--folds", type=int, default=0, help="K folds (default: leave one contract out)")
    p.add_argument("--library-heads-only", action="store_true",
                   help="skip the CUAD category heads (faster; commercial ids go unscored)")
    p.add_argument("--limit", type=int, default=None, help="only the first N train contracts (by id)")
    p.add_argument("--dense-weight", type=float, default=None,
                   help="weight of the MiniLM block (default: the shipped setting; 0 = none)")
    p.add_argument("--no-rerank", action="store_true",
                   help="measure the heads alone, without the context reranker")
    p.add_argument("--cache", type=Path, default=None, help="cache CUAD features in this file")
    p.add_argument("--out", type=Path, default=None, help="write the result JSON here")
    p.set_defaults(func=_payer_cv)


def _payer_cv(args: argparse.Namespace) -> int:
    import json

    from service.evaluation.payer_cv import PRECISION_FLOOR, payer_cross_validate

    r = payer_cross_validate(args.cuad, args.payer, load_settings(), folds=args.folds,
                             cuad_heads=not args.library_heads_only, cache=args.cache,
                             limit=args.limit, dense_weight=args.dense_weight,
                             rerank=not args.no_rerank, progress=lambda m: print(m, file=sys.stderr))
    o, hs = r["metrics"]["overall"], r["metrics"]["high_severity"]
    thr = r["threshold"]
    if isinstance(thr, dict):  # the shipped settings
        thr = f"{thr['min_score']}" + (f" (high-severity ids {thr['min_score_high']})"
                                       if thr["min_score_high"] is not None else "")
    print(f"payer train-split CV ({r['folds']} folds, {len(r['contracts'])} contracts, "
          f"{'with' if r['rerank'] else 'without'} the context reranker, threshold "
          f"{thr}, {r['elapsed_s']}s): recall {o['recall']:.3f}  precision {o['precision']:.3f}  "
          f"F1 {o['f1']:.3f}  AUPR {o['aupr']:.3f}  P@80%R {o['p_at_80r']:.3f}  "
          f"high-severity recall {hs['recall']:.3f}  doc recall {r['metrics']['doc_recall']:.3f}")
    print("threshold sweep, one threshold (recall / precision / high-severity recall): " + "; ".join(
        f"{s['other']:.2f}: {s['recall']:.3f} / {s['precision']:.3f} / {s['high_severity_recall']:.3f}"
        for s in r["metrics"]["sweep"] if s["high"] == s["other"]))
    alone = r["metrics"].get("heads_alone")
    if alone is not None:
        a, ac = alone["overall"], alone["chosen"]
        print(f"same folds without the reranker: AUPR {a['aupr']:.3f}  P@80%R {a['p_at_80r']:.3f}"
              + ("" if ac is None else f"; the rule would choose {ac['min_score']} / {ac['min_score_high']}: "
                 f"recall {ac['recall']:.3f}  precision {ac['precision']:.3f}  "
                 f"high-severity recall {ac['high_severity_recall']:.3f}"))
    c = r["metrics"]["chosen"]
    if c is None:
        print(f"no threshold keeps precision >= {PRECISION_FLOOR}")
    else:
        print(f"rule (precision >= {PRECISION_FLOOR}) chooses min_score {c['min_score']}, min_score_high "
              f"{c['min_score_high']}: recall {c['recall']:.3f}  precision {c['precision']:.3f}  "
              f"high-severity recall {c['high_severity_recall']:.3f}")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(r, indent=1), encoding="utf-8")
    return 0
