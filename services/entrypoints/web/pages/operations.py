"""数据质量 and 系统: the rejected messages by department and reason code with what to fix
(the reason codes' Chinese texts, as docs/reason-codes.md explains them), a department's own
with their bytes; the projections' positions and lag, a projection verified against its
rebuild (in a thread), and the sweeps — through the API's use cases."""

from __future__ import annotations

import base64
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from services.domain.roles import Permission
from services.entrypoints.http.deps import Allowed, SettingsDep, StoreDep
from services.entrypoints.web.render import back_to, page
from services.usecases import ledgers, operations
from services.usecases.dashboard import next_sweep

router = APIRouter(include_in_schema=False)
RejectionsReader = Allowed(Permission.REJECTED_READ, Permission.REJECTED_READ_OWN)
Operator = Allowed(Permission.PROJECTIONS_READ)


def _preview(row: dict[str, object]) -> str:
    """A department's own message as text (its first 300 characters), when it came along."""
    value = row.get("value_base64")
    if not isinstance(value, str):
        return ""
    return base64.b64decode(value).decode("utf-8", "replace")[:300]


@router.get("/quality", response_class=HTMLResponse)
def quality(
    request: Request, who: RejectionsReader, store: StoreDep, cursor: str | None = None
) -> HTMLResponse:
    counts = operations.rejection_counts(store, who)
    rows, following = operations.rejected(store, who, cursor, 50)
    for r in rows:
        r["preview"] = _preview(r)
    return page(
        request, "quality.html", who, counts=counts, rows=rows, following=following,
        codes=sorted({c["reason_code"] for c in counts}),
    )  # fmt: skip


@router.get("/system", response_class=HTMLResponse)
def system(
    request: Request, who: Operator, store: StoreDep, settings: SettingsDep, done: str = ""
) -> HTMLResponse:
    checks = request.app.state.projection_checks
    return page(
        request, "system.html", who, projections=operations.projections_status(store),
        checks=checks.results, running=checks.running, done=done,
        sweeps=ledgers.sweeps(store)[-20:][::-1],
        next_sweep=next_sweep(settings.sweep_daily, settings.sweep_daily_at),
    )  # fmt: skip


@router.post("/system/verify")
def verify(
    request: Request,
    who: Operator,
    store: StoreDep,
    settings: SettingsDep,
    name: Annotated[str, Form(max_length=64)],
) -> Response:
    request.app.state.projection_checks.start(settings, store, name, who.name)
    return back_to("/system", done=name)
