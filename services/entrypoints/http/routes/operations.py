"""For operators: the projections' positions and lag, and the rejected messages (a
department sees its own, with their bytes)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from services.domain.roles import Permission
from services.entrypoints.http.deps import Allowed, StoreDep
from services.usecases import operations as uc

router = APIRouter(prefix="/api", tags=["operations"])
Operator = Allowed(Permission.PROJECTIONS_READ)


class Page(BaseModel):
    items: list[dict[str, Any]]
    next_cursor: str | None


RejectionsReader = Allowed(Permission.REJECTED_READ, Permission.REJECTED_READ_OWN)


@router.get("/projections")
def projections(who: Operator, store: StoreDep) -> list[dict[str, Any]]:
    """Each projection's position in the store, its lag, when it last moved, what it skipped."""
    return uc.projections_status(store)


@router.get("/rejected", response_model=Page)
def rejected(
    who: RejectionsReader,
    store: StoreDep,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> Page:
    """Rejected messages with their reason codes (docs/reason-codes.md), oldest first."""
    items, following = uc.rejected(store, who, cursor, limit)
    return Page(items=items, next_cursor=following)


@router.get("/rejected/{rejection_id}")
def rejected_one(rejection_id: int, who: RejectionsReader, store: StoreDep) -> dict[str, Any]:
    """One rejection, with everything kept of it (its bytes only for its department)."""
    return uc.rejected_one(store, who, rejection_id)
