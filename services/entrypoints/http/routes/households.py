"""Households within the reader's scope: found by number, or by a member's name (a recorded
read, so a POST: a name never goes in a URL); the state, the history, the state as of a day."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from services.domain.roles import Permission
from services.entrypoints.http.deps import Allowed, Purpose, StoreDep
from services.entrypoints.http.responses import JSON
from services.usecases import households as uc

router = APIRouter(prefix="/api/households", tags=["households"])
Reader = Allowed(Permission.HOUSEHOLDS_READ)
PersonalReader = Allowed(Permission.PERSONAL_DATA_READ)
# Outside the reader's scope a household is not found: the scoped queries see to it.
HouseholdId = Annotated[str, Path(alias="household_id", min_length=4, max_length=64)]


class Page(BaseModel):
    items: list[dict[str, Any]]
    next_cursor: str | None = Field(description="Give it as ?cursor= for the next page.")


class NameSearch(BaseModel):
    name: str = Field(min_length=1, max_length=64, description="A member's full name.")
    purpose: str = Field(min_length=2, max_length=500, description="Why (recorded).")


@router.get("", response_model=Page)
def find(
    who: Reader,
    store: StoreDep,
    number: Annotated[str, Query(max_length=64, description="The number or its start")] = "",
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page:
    """Households within your scope whose number begins with `number`."""
    items, following = uc.find(store, who, number, cursor, limit)
    return Page(items=items, next_cursor=following)


@router.post("/search-by-name")
def search_by_name(body: NameSearch, who: PersonalReader, store: StoreDep) -> list[dict[str, Any]]:
    """Households within your scope with a member of this name (each recorded as read)."""
    return uc.search_by_name(store, who, body.name, body.purpose)


@router.get("/{household_id}")
def state(hid: HouseholdId, who: Reader, store: StoreDep) -> dict[str, Any]:
    """The household's current state (the household_state projection)."""
    return uc.state(store, who, hid)


@router.get("/{household_id}/history", response_class=JSON)
def history(hid: HouseholdId, who: Reader, store: StoreDep, purpose: Purpose) -> JSON:
    """Every stored event: position, who, when, from which system, what corrected it.
    Personal data masked; unmasked with a purpose, and then the read is recorded."""
    return JSON(uc.history(store, who, hid, purpose))


@router.get("/{household_id}/as-of")
def as_of(
    hid: HouseholdId,
    who: Reader,
    store: StoreDep,
    occurred_on: date | None = None,
    known_on: date | None = None,
) -> dict[str, Any]:
    """The state as it was on a day (occurred_on), or as the system knew it (known_on)."""
    return uc.as_of(store, who, hid, occurred_on, known_on)
