"""`clausewise` command line: thin; every command calls a service function."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from service.errors import ClausewiseError

# Each module defines register(subparsers) and sets `func` on its parsers.
COMMAND_MODULES = (
    "service.cli.library_cmd",
    "service.cli.ingest_cmd",
    "service.cli.setup_cmd",
    "service.cli.review_cmd",
    "service.cli.train_cmd",
    "service.cli.eval_cmd",
    "service.cli.serve_cmd",
    "service.cli.keys_cmd",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clausewise",
        description="Review healthcare practice contracts for risky clauses (offline by default).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # command group not built yet
                continue
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except ClausewiseError as exc:
        print(f"clausewise: error [{exc.code}]: {exc.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` etc.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
