"""The inspector's views (纪检监察): the log's verification, its checkpoints, inclusion and
consistency proofs (checked offline by services/domain/audit/offline.py), what a person or
a source system did, and who read whose personal data — within the inspector's scope."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request

from services.domain.roles import Permission
from services.entrypoints.http.deps import AccountsDep, Allowed, Purpose, StoreDep
from services.usecases.audit import views

router = APIRouter(prefix="/api/audit", tags=["audit"])
Verifier = Allowed(Permission.AUDIT_VERIFY)
Inspector = Allowed(Permission.AUDIT_READ)


@router.get("/verify")
def verify(request: Request, who: Verifier, store: StoreDep) -> dict[str, Any]:
    """The log recomputed from the store (at most once a minute): nothing changed,
    removed, reordered or inserted — or the first bad position."""
    return request.app.state.verification.status(store)  # type: ignore[no-any-return]


@router.get("/checkpoints")
def checkpoints(who: Verifier, store: StoreDep) -> list[dict[str, Any]]:
    """The signed checkpoints of the log (size, root, signature, public key)."""
    return views.checkpoint_list(store)


@router.get("/proofs/consistency")
def consistency(
    who: Verifier,
    store: StoreDep,
    old: Annotated[int, Query(ge=1)],
    new: Annotated[int, Query(ge=1)],
) -> dict[str, Any]:
    """The proof that the checkpoint of `new` events extends the one of `old`."""
    return views.consistency(store, old, new)


@router.get("/proofs/inclusion/{event_id}")
def inclusion(event_id: UUID, who: Inspector, store: StoreDep, purpose: Purpose) -> Any:
    """The proof that a household's event is in the signed log; it carries the event, so
    it needs a purpose (recorded)."""
    return views.inclusion(store, who, event_id, purpose)


@router.get("/actors/{actor_id}")
def actor(
    actor_id: str, who: Inspector, store: StoreDep, accounts: AccountsDep
) -> list[dict[str, Any]]:
    """What a person did within your scope: household events, ledger steps, grants."""
    return views.done_by(store, accounts, who, "actor", actor_id)


@router.get("/sources/{source}")
def source(
    source: str, who: Inspector, store: StoreDep, accounts: AccountsDep
) -> list[dict[str, Any]]:
    """What a source system sent that was stored, within your scope."""
    return views.done_by(store, accounts, who, "source", source)


@router.get("/reads")
def reads(who: Inspector, store: StoreDep, household_id: str | None = None) -> list[dict[str, Any]]:
    """Who read whose personal data, when, and why (households within your scope)."""
    return views.reads_within(store, who, household_id)
