"""The compliance sweeps: those that ran, and one started by the county bureau."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel

from services.domain.roles import Permission
from services.entrypoints.http.deps import Allowed, SettingsDep, StoreDep
from services.usecases import ledgers as uc
from services.usecases.compliance.sweep import today

router = APIRouter(prefix="/api/sweeps", tags=["sweeps"])
Reader = Allowed(Permission.SWEEPS_READ)
Runner = Allowed(Permission.SWEEPS_RUN)


class SweepRequest(BaseModel):
    as_of: date | None = None


@router.get("")
def sweeps(who: Reader, store: StoreDep) -> list[dict[str, Any]]:
    """Every sweep that ran: as of which day, when, by whom, what it raised and resolved."""
    return uc.sweeps(store)


@router.post("", status_code=202)
def start_sweep(
    body: SweepRequest,
    request: Request,
    who: Runner,
    store: StoreDep,
    settings: SettingsDep,
) -> dict[str, Any]:
    """Sweep as of a day (default today), in the background; it appears in the list,
    recorded as run by you, when done."""
    day = body.as_of or today()
    request.app.state.sweeps.start(
        store, who, settings.compliance_params(), day, settings.sweep_workers
    )
    return {"started": True, "as_of": day.isoformat(), "by": who.name}
