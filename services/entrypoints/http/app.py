"""The HTTP API and the web pages (services/entrypoints/web) as one ASGI app built from the
settings: `create_app(settings)`. Nothing connects until the app starts (its lifespan opens the
event store and, unless told not to, keeps the projections up to date in threads of its own).

OpenAPI at /api/openapi.json — each operation names the permissions it requires
(`x-dixian-permissions`) or says it is public (`x-dixian-public`) — and the docs at
/api/docs, with "try it out" turned off.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

from services.adapters.account_store import AccountStore
from services.adapters.eventstore import EventStore
from services.adapters.evidence_store import EvidenceStore
from services.adapters.oidc import OidcClient, OidcFailed
from services.entrypoints.http import problems
from services.entrypoints.http.deps import required_permissions
from services.entrypoints.http.middleware import Guard
from services.entrypoints.http.routes import (
    accounts,
    audit,
    auth,
    docs,
    health,
    households,
    ledgers,
    national,
    operations,
    sweeps,
)
from services.entrypoints.http.routes import problems as problem_routes
from services.entrypoints.web import STATIC_DIR, render
from services.entrypoints.web.pages import PAGES
from services.settings import Settings
from services.usecases.audit.views import Verification
from services.usecases.ledgers import SweepRunner
from services.usecases.national.jobs import NationalJobs
from services.usecases.projection_checks import ProjectionChecks

STATIC = Path(__file__).parent / "static"
ROUTERS = (
    auth.router,
    accounts.router,
    households.router,
    problem_routes.router,
    ledgers.router,
    sweeps.router,
    national.router,
    audit.router,
    operations.router,
    health.router,
    docs.router,
)


def create_app(
    settings: Settings,
    *,
    projections: bool | None = None,
    intake_assigned: Callable[[], bool] | None = None,
) -> FastAPI:
    """The app. `projections`: tail the store for the projections (default: the setting
    http_projections); `intake_assigned`: the in-process intake's answer for /health/ready."""
    run_projections = settings.http_projections if projections is None else projections

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = EventStore(settings)
        state = app.state
        state.store, state.accounts = store, AccountStore(store)
        state.evidence = EvidenceStore(store, settings.evidence_dir(), settings.upload_max_bytes)
        try:
            with contextlib.ExitStack() as stack:
                if run_projections:
                    stack.enter_context(_projection_threads(settings, store))
                yield
        finally:
            store.close()

    app = FastAPI(
        title="dixian（底线）",
        version="0.1.0",
        description="防止返贫动态监测和帮扶：农户、问题台账、审计。Every route but login, "
        "health and metrics needs a session cookie (with X-CSRF-Token on changes) or a "
        "bearer token; what it shows follows the account's role and scope (docs/api.md).",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.intake_assigned = intake_assigned
    app.state.verification = Verification(settings.verifying_key(), settings.audit_origin)
    app.state.sweeps = SweepRunner()
    app.state.projection_checks = ProjectionChecks()
    app.state.national = NationalJobs(settings)
    app.state.oidc = OidcClient(settings) if settings.oidc_issuer else None
    problems.install(app)
    app.add_exception_handler(OidcFailed, _oidc_failed)
    for router in ROUTERS:
        _declare_permissions(router.routes)
        app.include_router(router)
    for router in PAGES:  # the web app's pages, on the same dependencies and use cases
        app.include_router(router)
    render.install(app)  # on pages, errors are pages
    app.mount("/api/docs/assets", StaticFiles(directory=STATIC / "swagger-ui"), name="docs-assets")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    app.add_middleware(
        Guard,
        max_body=settings.http_max_body_bytes,
        max_upload=settings.upload_max_bytes,
        timeout=settings.http_request_timeout_seconds,
    )
    return app


async def _oidc_failed(request: Any, e: Exception) -> Any:
    return problems.problem_response("OIDC_FAILED", getattr(e, "detail", ""), request)


def _declare_permissions(routes: list[Any]) -> None:
    """Each operation says in the OpenAPI document which permissions it requires, read
    from its dependencies (the test that walks the document relies on it)."""
    for route in routes:
        if isinstance(route, APIRoute) and route.include_in_schema:
            needed = required_permissions(route.dependant)
            if needed:
                route.openapi_extra = (route.openapi_extra or {}) | {
                    "x-dixian-permissions": [str(p) for p in needed],
                    "security": [{"bearer": []}, {"session": []}],
                }


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        schema.setdefault("components", {})["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer", "description": "POST /api/auth/token"},
            "session": {
                "type": "apiKey",
                "in": "cookie",
                "name": app.state.settings.session_cookie_name,
                "description": "POST /api/auth/login; changes also need X-CSRF-Token",
            },
        }
        app.openapi_schema = schema
    return app.openapi_schema


@contextlib.contextmanager
def _projection_threads(settings: Settings, store: EventStore) -> Any:
    from projections.runner import projection_pool
    from services.entrypoints.projection_threads import ProjectionThreads, projection_runners

    with projection_pool(settings) as pool:
        threads = ProjectionThreads(settings, projection_runners(settings, store, pool))
        threads.start()
        try:
            yield
        finally:
            threads.stop()
