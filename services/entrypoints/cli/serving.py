"""`dixian serve`: the HTTP API (and the web pages) on uvicorn, with the projections kept
up to date in its threads unless `--no-projections` (where `dixian run` keeps them)."""

from __future__ import annotations

import argparse
import os
from typing import Any

from services.entrypoints.cli.common import database
from services.settings import Settings


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from services.entrypoints.http.app import create_app
    from services.entrypoints.http.server import options

    workers = args.workers or settings.http_workers
    with database(settings) as s:
        s = s.model_copy(update={"http_host": args.host or s.http_host,
                                 "http_port": args.port or s.http_port})  # fmt: skip
        if workers == 1:
            app = create_app(s, projections=not args.no_projections and s.http_projections)
            uvicorn.run(app, **options(s))
            return 0
        # Processes of their own (Python is bound by one core each): each builds the app
        # from the environment; the projections are left to `dixian run`.
        os.environ["DIXIAN_PG_URL"] = s.pg_url or ""
        uvicorn.run(
            "services.entrypoints.http.server:app_from_environment",
            factory=True,
            workers=workers,
            **options(s),
        )
    return 0


def add_serving_parser(sub: Any) -> None:
    serve = sub.add_parser("serve", help="the HTTP API on uvicorn (DIXIAN_HTTP_HOST/PORT)")
    serve.add_argument("--host", help="listen here (default DIXIAN_HTTP_HOST, 127.0.0.1)")
    serve.add_argument("--port", type=int, help="on this port (default DIXIAN_HTTP_PORT, 8000)")
    serve.add_argument(
        "--no-projections", action="store_true", help="leave the projections to `dixian run`"
    )
    serve.add_argument(
        "--workers",
        type=int,
        help="worker processes (default DIXIAN_HTTP_WORKERS, 1; more: no projections here)",
    )
    serve.set_defaults(func=cmd_serve)
