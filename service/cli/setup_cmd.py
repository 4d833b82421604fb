"""`clausewise setup [--check] [--force]`: prepare the offline embedding model."""

from __future__ import annotations

import argparse

from service.settings import load_settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("setup", help="prepare the offline embedding model (no download)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true",
                      help="only verify the prepared model; non-zero exit if missing or corrupt")
    mode.add_argument("--force", action="store_true", help="rebuild even if an intact model exists")
    p.set_defaults(func=_setup)


def _setup(args: argparse.Namespace) -> int:
    from service.index.model_setup import check_model, prepare_model

    settings = load_settings()
    if args.check:
        status = check_model(settings.model_dir)  # raises ModelMissing -> exit 1 via the CLI edge
        print(f"embedding model ok: {status.model_dir} "
              f"(cosine vs reference {status.min_cosine:.6f}, {status.seconds:.1f}s)")
        return 0
    status = prepare_model(settings.model_dir, force=args.force)
    action = "built" if status.built else "already present, verified"
    print(f"embedding model {action}: {status.model_dir}")
    print(f"  cosine vs numpy reference {status.min_cosine:.6f}; {status.seconds:.1f}s")
    return 0
