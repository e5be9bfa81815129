"""工作台: the account's county or township at a glance (services.usecases.dashboard)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from services.domain.roles import Permission
from services.entrypoints.http.deps import Allowed, SettingsDep, StoreDep
from services.entrypoints.web.places import place_names
from services.entrypoints.web.render import page
from services.usecases.dashboard import dashboard

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request,
    who: Allowed(Permission.SELF),
    store: StoreDep,
    settings: SettingsDep,
    as_of: date | None = None,
) -> HTMLResponse:
    board = dashboard(
        store, who, settings.compliance_params(), as_of, settings.sweep_daily,
        settings.sweep_daily_at,
    )  # fmt: skip
    return page(request, "dashboard.html", who, board=board, places=place_names(store, settings))
