"""`clausewise library list|show ID|lint`."""

from __future__ import annotations

import argparse
import sys

import yaml

from service.library import get_library
from service.library.lint import lint_library
from service.settings import load_settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("library", help="inspect and lint the clause library")
    lsub = p.add_subparsers(dest="library_command", metavar="ACTION", required=True)
    ls = lsub.add_parser("list", help="list entries")
    ls.add_argument("--pack", help="only entries of this pack")
    ls.set_defaults(func=_list)
    show = lsub.add_parser("show", help="show one entry")
    show.add_argument("id")
    show.set_defaults(func=_show)
    lint = lsub.add_parser("lint", help="validate the library; non-zero exit on any problem")
    lint.set_defaults(func=_lint)


def _list(args: argparse.Namespace) -> int:
    lib = get_library(load_settings().library_dir)
    entries = lib.for_pack(args.pack) if args.pack else list(lib.entries.values())
    print(f"clause library {lib.version}: {len(entries)} entries")
    for e in sorted(entries, key=lambda e: (e.category, e.id)):
        sev = e.severity.default if e.kind == "risk" else "-"
        print(f"  {e.id:45s} {e.kind:8s} {sev:6s} {','.join(e.packs):28s} {e.title}")
    return 0


def _show(args: argparse.Namespace) -> int:
    lib = get_library(load_settings().library_dir)
    if args.id not in lib.entries:
        print(f"clausewise: unknown clause id {args.id!r} (see `clausewise library list`)",
              file=sys.stderr)
        return 1
    data = lib.get(args.id).model_dump(exclude_none=True)
    print(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100))
    return 0


def _lint(args: argparse.Namespace) -> int:
    settings = load_settings()
    report = lint_library(settings.library_dir)
    for pack, counts in report.coverage.items():
        print(f"  {pack:11s} risk={counts['risk']:3d} key_term={counts['key_term']:3d}")
    for problem in report.problems:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    print(f"library lint: {'ok' if report.ok else f'{len(report.problems)} problem(s)'}")
    return 0 if report.ok else 1
