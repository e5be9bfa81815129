"""农户档案: households within the scope found by number, or by a member's name (a recorded
read, a POST); a household's state, members (masked unless a purpose is given, a POST that
records the read), its history as a timeline, its state as it was on a day or as known on
a day; and a case's village public notice (公示), printable."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse

from services.domain.roles import Permission
from services.entrypoints.http.deps import Allowed, SettingsDep, StoreDep
from services.entrypoints.web.places import place_names
from services.entrypoints.web.render import page
from services.usecases import households as uc

router = APIRouter(include_in_schema=False)
Reader = Allowed(Permission.HOUSEHOLDS_READ)
PersonalReader = Allowed(Permission.PERSONAL_DATA_READ)
HouseholdId = Annotated[str, Path(alias="household_id", min_length=4, max_length=64)]
Day = Annotated[str, Query(pattern=r"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")]
Purpose = Annotated[str, Form(min_length=2, max_length=500)]


@router.get("/households", response_class=HTMLResponse)
def find(
    request: Request,
    who: Reader,
    store: StoreDep,
    settings: SettingsDep,
    number: Annotated[str, Query(max_length=64)] = "",
    cursor: str | None = None,
) -> HTMLResponse:
    rows, following = uc.find(store, who, number.strip(), cursor, 50)
    return page(
        request, "households.html", who, rows=rows, following=following, number=number,
        named=None, places=place_names(store, settings),
    )  # fmt: skip


@router.post("/households/search", response_class=HTMLResponse)
def by_name(
    request: Request,
    who: PersonalReader,
    store: StoreDep,
    settings: SettingsDep,
    name: Annotated[str, Form(min_length=1, max_length=64)],
    purpose: Purpose,
) -> HTMLResponse:
    rows = uc.search_by_name(store, who, name, purpose)
    return page(
        request, "households.html", who, rows=rows, following=None, number="", named=name,
        places=place_names(store, settings),
    )  # fmt: skip


def _household(
    request: Request,
    who: Reader,
    store: StoreDep,
    settings: SettingsDep,
    hid: str,
    purpose: str | None,
    occurred_on: str,
    known_on: str,
) -> HTMLResponse:
    state = uc.state(store, who, hid)
    history = uc.history(store, who, hid, purpose)
    then = None
    if occurred_on or known_on:
        then = uc.as_of(
            store, who, hid,
            date.fromisoformat(occurred_on) if occurred_on else None,
            date.fromisoformat(known_on) if known_on else None,
        )  # fmt: skip
    return page(
        request, "household.html", who, state=state, history=history,
        members=uc.members(history), unmasked=bool(purpose), then=then,
        occurred_on=occurred_on, known_on=known_on, places=place_names(store, settings),
        notices=[r for r in history if r["event_type"] == "public_notice_posted"],
    )  # fmt: skip


@router.get("/households/{household_id}", response_class=HTMLResponse)
def household(
    request: Request,
    hid: HouseholdId,
    who: Reader,
    store: StoreDep,
    settings: SettingsDep,
    occurred_on: Day = "",
    known_on: Day = "",
) -> HTMLResponse:
    return _household(request, who, store, settings, hid, None, occurred_on, known_on)


@router.post("/households/{household_id}", response_class=HTMLResponse)
def household_unmasked(
    request: Request,
    hid: HouseholdId,
    who: PersonalReader,
    store: StoreDep,
    settings: SettingsDep,
    purpose: Purpose,
) -> HTMLResponse:
    """The household with its personal data, for a purpose (recorded before it is shown)."""
    return _household(request, who, store, settings, hid, purpose, "", "")


@router.post("/households/{household_id}/notices/{notice_id}", response_class=HTMLResponse)
def notice(
    request: Request,
    hid: HouseholdId,
    notice_id: Annotated[str, Path(max_length=64)],
    who: PersonalReader,
    store: StoreDep,
    settings: SettingsDep,
) -> HTMLResponse:
    """A POST: it is a recorded read, never made by following a link."""
    shown = uc.notice(store, who, hid, notice_id, settings.min_notice_days)
    return page(request, "notice.html", who, n=shown, places=place_names(store, settings))
