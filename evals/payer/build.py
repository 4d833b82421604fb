"""Build the payer gold corpus (texts, PDFs, DOCX, CUAD-layout labels) from evals/payer/source.

Run from the repo root: .venv/bin/python evals/payer/build.py [--out DIR]
Deterministic: the same sources give the same texts, labels and PDF bytes.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))

from corpus_build.ids import load_catalog  # noqa: E402
from corpus_build.locate import LocateError  # noqa: E402
from corpus_build.pipeline import build, coverage, parse_all  # noqa: E402
from corpus_build.source import SourceError  # noqa: E402
from corpus_build.tables import TableError  # noqa: E402


@contextmanager
def _exclusive(out: Path) -> Iterator[None]:
    """Serialise concurrent builds into the same output dir (writers share one working tree)."""
    key = hashlib.sha1(str(out.resolve()).encode()).hexdigest()[:12]
    with open(Path(tempfile.gettempdir()) / f"clausewise-corpus-{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def main(argv: list[str] | None = None) -> int:
    """Parse, validate, render and label every source contract; print the coverage table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", type=Path, default=HERE / "source")
    ap.add_argument("--out", type=Path, default=HERE)
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    catalog = load_catalog(REPO)
    try:
        with _exclusive(args.out):
            contracts = parse_all(args.source, catalog)
            result = build(contracts, catalog, args.out)
    except (SourceError, LocateError, TableError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not args.quiet:
        for w in catalog.warnings():
            print(f"warning: {w}")
        print(f"{len(contracts)} contracts -> {args.out}")
        print("\n".join(coverage(result, catalog)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
