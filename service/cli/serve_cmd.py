"""`clausewise serve` (API + web page + supervised worker processes) and `clausewise worker`."""

from __future__ import annotations

import argparse
import ipaddress
import logging
import signal
import sys
import threading

from service.settings import load_settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="run the API, the web page and review workers")
    p.add_argument("--host", default=None, help="bind address (default CLAUSEWISE_HOST)")
    p.add_argument("--port", type=int, default=None)
    p.add_argument("--workers", type=int, default=None,
                   help="review workers in this process (0: none; run `clausewise worker`)")
    p.set_defaults(func=serve)
    w = sub.add_parser("worker", help="run a review worker (no HTTP)")
    w.add_argument("--once", action="store_true", help="process at most one job, then exit")
    w.set_defaults(func=worker)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from service.api.app import create_app
    from service.jobs.worker import open_store

    settings = load_settings(host=args.host, port=args.port, workers=args.workers)
    store = open_store(settings)
    if store.key_count() == 0 and not is_loopback(settings.host):
        print(f"clausewise: refusing to listen on {settings.host}: no API keys exist, so the "
              "server would be open to anyone. Create one with `clausewise keys create TENANT` "
              "or bind to 127.0.0.1.", file=sys.stderr)
        return 2
    recovered = store.recover_expired()
    mode = "single-user (loopback only)" if store.key_count() == 0 else "API keys required"
    print(f"clausewise: serving http://{settings.host}:{settings.port} — {mode}; "
          f"{settings.workers} worker(s); {recovered} interrupted job(s) requeued", file=sys.stderr)
    app = create_app(settings, store=store, worker_threads=settings.workers)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")
    return 0


def worker(args: argparse.Namespace) -> int:
    from service.jobs.worker import Worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    settings = load_settings()
    if not settings.chroma_url:
        print("clausewise: note: with the embedded Chroma index run workers inside `clausewise "
              "serve`; separate worker processes need a Chroma server (CLAUSEWISE_CHROMA_URL)",
              file=sys.stderr)
    w = Worker(settings)
    if args.once:
        w.store.recover_expired()
        w.run_once()
        return 0
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    w.run_forever(stop)
    return 0
