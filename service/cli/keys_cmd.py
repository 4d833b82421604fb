"""`clausewise keys create TENANT`: print a new API key once; only its hash is stored."""

from __future__ import annotations

import argparse
import sys

from service.settings import load_settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("keys", help="manage API keys")
    ksub = p.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    c = ksub.add_parser("create", help="create a key for a tenant (printed once)")
    c.add_argument("tenant")
    c.set_defaults(func=create)


def create(args: argparse.Namespace) -> int:
    from service.api.keys import create_key
    from service.jobs.worker import open_store

    try:
        key = create_key(open_store(load_settings()), args.tenant)
    except ValueError as exc:
        print(f"clausewise: error [bad_input]: {exc}", file=sys.stderr)
        return 1
    print(key)
    print(f"(key for tenant {args.tenant!r}; it is shown only once — store it safely)",
          file=sys.stderr)
    return 0
