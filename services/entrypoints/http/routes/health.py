"""Health and metrics, for probes and Prometheus: no login, no personal data."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from services.adapters.metrics import REGISTRY
from services.usecases.operations import readiness

router = APIRouter(tags=["health"])
PUBLIC = {"x-dixian-public": True}


@router.get("/health/live", openapi_extra=PUBLIC)
def live() -> dict[str, str]:
    """The process answers."""
    return {"status": "live"}


@router.get("/health/ready", openapi_extra=PUBLIC)
async def ready(request: Request) -> JSONResponse:
    """The database answers, no projection is stalled, the intake (if this process runs
    it) holds partitions; 503 and what is wrong otherwise."""
    state = request.app.state
    ok, checks = await run_in_threadpool(
        readiness, state.store, state.settings.projection_stall_seconds, state.intake_assigned
    )
    return JSONResponse(
        {"status": "ready" if ok else "not ready", "checks": checks}, status_code=200 if ok else 503
    )


@router.get("/metrics", openapi_extra=PUBLIC, response_class=Response)
def metrics() -> Response:
    """Prometheus text format: the dixian_ metrics of this process."""
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)
