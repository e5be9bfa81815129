"""The end of `make demo`: the web app served on 127.0.0.1 with the demo's data and
accounts until Ctrl-C (`make demo SERVE=0`, or CI=true, ends after the summary)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Iterator, Mapping
from typing import Any

from services.settings import Settings


def should_serve(environ: Mapping[str, str] = os.environ, asked: bool = False) -> bool:
    """Serve when asked (`dixian demo --serve`, or DIXIAN_DEMO_SERVE=1 as `make demo`
    sets it), never on CI."""
    if environ.get("CI", "").lower() in ("true", "1"):
        return False
    return asked or environ.get("DIXIAN_DEMO_SERVE", "0") not in ("", "0", "false")


def _until_ctrl_c(uvicorn: Any) -> Any:
    class UntilCtrlC(uvicorn.Server):  # type: ignore[misc,name-defined]
        """uvicorn that ends on Ctrl-C (or SIGTERM) and returns: the demo ends as it should,
        not with the signal raised again after the graceful shutdown."""

        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, self.handle_exit, sig, None)
            try:
                yield
            finally:
                for sig in (signal.SIGINT, signal.SIGTERM):
                    loop.remove_signal_handler(sig)

    return UntilCtrlC


async def serve_web(settings: Settings) -> None:
    import uvicorn

    from services.entrypoints.http.app import create_app
    from services.entrypoints.http.server import options

    app = create_app(settings, projections=True)
    print(
        f"\nthe web app (网页): http://{settings.http_host}:{settings.http_port}/ — log in with "
        "an account above; Ctrl-C stops it (make demo SERVE=0 ends without serving)",
        flush=True,
    )
    await _until_ctrl_c(uvicorn)(uvicorn.Config(app, **options(settings))).serve()
