"""审计 (纪检监察): the log's verification (computed in a thread: it may be pending), its
checkpoints and whether the witnesses were sent them, an inclusion proof to download and
check offline (a recorded read, so a POST), what a person or a source system did, and who
read whose personal data — the API's views (services.usecases.audit.views)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from services.domain.roles import Permission
from services.entrypoints.http.deps import AccountsDep, Allowed, StoreDep
from services.entrypoints.http.responses import JSON
from services.entrypoints.web.render import page
from services.usecases.audit import views
from services.usecases.audit.cosignatures import witnessed

router = APIRouter(include_in_schema=False)
Verifier = Allowed(Permission.AUDIT_VERIFY)
Inspector = Allowed(Permission.AUDIT_READ)
Name = Annotated[str, Query(max_length=64)]


@router.get("/audit", response_class=HTMLResponse)
def audit(
    request: Request,
    who: Verifier,
    store: StoreDep,
    accounts: AccountsDep,
    event: Annotated[str, Query(max_length=40)] = "",
    actor: Name = "",
    source: Name = "",
    household: Name = "",
) -> HTMLResponse:
    verification = request.app.state.verification.status(store)
    inspector = who.may(Permission.AUDIT_READ)
    done = []
    if inspector and (actor or source):
        kind, name = ("actor", actor) if actor else ("source", source)
        done = views.done_by(store, accounts, who, kind, name.strip())
    return page(
        request, "audit.html", who, verification=verification,
        checkpoints=views.checkpoint_list(store), published=views.published(store),
        witnessed=witnessed(store, request.app.state.settings.witness_keys()),
        inspector=inspector, event=event, actor=actor,
        source=source, household=household, done=done,
        reads=views.reads_within(store, who, household.strip() or None) if inspector else [],
    )  # fmt: skip


@router.post("/audit/proof")
def proof(
    who: Inspector,
    store: StoreDep,
    event_id: Annotated[UUID, Form()],
    purpose: Annotated[str, Form(min_length=2, max_length=500)],
) -> Response:
    """The inclusion proof as a file, to check offline (`dixian audit verify-proof`)."""
    found = views.inclusion(store, who, event_id, purpose)
    body = JSON(found).body
    return Response(
        body,
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="proof-{event_id}.json"'},
    )
