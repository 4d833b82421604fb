"""`clausewise train`: rebuild the offline detector artefacts from CUAD + library + payer train split."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from service.settings import REPO_ROOT, load_settings

DEFAULT_CUAD = REPO_ROOT.parent / "shared" / "data" / "cuad-train"
DEFAULT_PAYER = REPO_ROOT / "evals" / "payer"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("train", help="train the offline clause detector (writes service/detect/artifacts)")
    p.add_argument("--cuad", type=Path, default=DEFAULT_CUAD, help=f"CUAD training dir (default {DEFAULT_CUAD})")
    p.add_argument("--payer", type=Path, default=DEFAULT_PAYER,
                   help="payer gold corpus; only its split=train contracts are used (default evals/payer)")
    p.add_argument("--no-payer", action="store_true", help="do not use the payer gold train split")
    p.add_argument("--out", type=Path, default=None, help="artefact directory (default: the shipped one)")
    p.add_argument("--rerank-folds", type=int, default=5,
                   help="fold detectors whose out-of-fold scores train the context reranker (0: none)")
    p.add_argument("--cv-folds", type=int, default=0,
                   help="also run K-fold CUAD cross-validation and record the metric in the manifest")
    p.set_defaults(func=_train)


def _train(args: argparse.Namespace) -> int:
    from service.detect.fit import train_and_save

    settings = load_settings()
    det = train_and_save(
        args.cuad, settings.library_dir, args.out,
        payer_dir=None if args.no_payer else args.payer, cv_folds=args.cv_folds,
        rerank_folds=args.rerank_folds,
        progress=lambda m: print(m, file=sys.stderr),
    )
    print(f"detector: {len(det.targets)} targets, {det.space.width} features, "
          f"library {det.manifest.get('library_version')}, metrics {det.manifest.get('metrics')}")
    return 0
