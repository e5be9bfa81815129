"""问题台账: the ledger of problems within the scope with its filters and pages (the API's
GET /api/problems), a problem's page, and its steps as forms — plan, act with uploaded
evidence, close out (销号), reopen — each through the API's use case and role checks."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from services.domain.compliance.findings import RULES
from services.domain.roles import Permission
from services.entrypoints.http.deps import (
    Allowed,
    EvidenceDep,
    ProblemToClose,
    ProblemToRead,
    ProblemToRectify,
    SettingsDep,
    StoreDep,
)
from services.entrypoints.web.places import place_names
from services.entrypoints.web.render import back_to, page
from services.usecases import problems as uc

router = APIRouter(include_in_schema=False)
Reader = Allowed(Permission.PROBLEMS_READ)
Rectifier = Allowed(Permission.PROBLEMS_RECTIFY)
Closer = Allowed(Permission.PROBLEMS_CLOSE)
Code = Annotated[str, Query(pattern=r"^([0-9]{6,12})?$")]
Day = Annotated[str, Query(pattern=r"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")]  # a form's empty date
PAGE_SIZE = 50
Text = Annotated[str, Form(min_length=1, max_length=2000)]
Refs = Annotated[str, Form(max_length=2000)]
Upload = Annotated[UploadFile | None, File()]


@router.get("/ledger", response_class=HTMLResponse)
def ledger(
    request: Request,
    who: Reader,
    store: StoreDep,
    settings: SettingsDep,
    township: Code = "",
    village: Code = "",
    rule: Annotated[str, Query(max_length=8)] = "",
    concern: Literal["", "favoritism", "perfunctory", "paper_only"] = "",
    status: Literal["", "open", "rectifying", "rectified", "closed", "overdue"] = "",
    as_of: Day = "",
    cursor: str | None = None,
) -> HTMLResponse:
    place, day = village or township or None, date.fromisoformat(as_of) if as_of else None
    filters = {"rule": rule or None, "concern": concern or None, "status": status or None}
    rows, following = uc.page(store, who, day, place, filters, cursor, PAGE_SIZE)
    names = place_names(store, settings)
    within = sorted(c for c in names.names if c.startswith(who.scope) and c != who.scope)
    asked = {"township": township, "village": village, "rule": rule, "concern": concern,
             "status": status, "as_of": as_of}  # fmt: skip
    return page(
        request,
        "ledger.html",
        who,
        fragment="_ledger_rows.html",
        rows=rows,
        following=following,
        cursor=cursor,
        asked=asked,
        query="&".join(f"{k}={v}" for k, v in asked.items() if v),
        townships=[c for c in within if len(c) == 9],
        villages=[c for c in within if len(c) == 12],
        rules=sorted(RULES),
        places=names,
        download=village or township or who.scope,
    )


@router.get("/problems/{problem_id}", response_class=HTMLResponse)
def problem(
    request: Request,
    who: Reader,
    p: ProblemToRead,
    store: StoreDep,
    files: EvidenceDep,
    settings: SettingsDep,
    done: str = "",
) -> HTMLResponse:
    shown = uc.show(store, files, p)
    return page(
        request,
        "problem.html",
        who,
        p=shown,
        done=done,
        places=place_names(store, settings),
        closing_roles=settings.compliance.closing_roles,
    )


def _refs(text: str) -> list[str]:
    return [r for r in text.replace("，", " ").replace(",", " ").split() if r]


def _uploaded(files: EvidenceDep, who: Rectifier, p: ProblemToRectify, file: Upload) -> list[str]:
    if file is None or not file.filename:
        return []
    return [uc.upload(files, who, p, file.file)["ref"]]


@router.post("/problems/{problem_id}/plan")
def plan(
    who: Rectifier,
    p: ProblemToRectify,
    store: StoreDep,
    plan: Text,
    deadline: Annotated[date, Form()],
    responsible_person: Annotated[str, Form(min_length=1, max_length=64)],
) -> Response:
    uc.plan(store, who, p, plan, deadline, responsible_person)
    return back_to(f"/problems/{p.id}", done="planned")


@router.post("/problems/{problem_id}/act")
def act(
    who: Rectifier,
    p: ProblemToRectify,
    store: StoreDep,
    files: EvidenceDep,
    action: Text,
    refs: Refs = "",
    photo: Upload = None,
) -> Response:
    evidence = _uploaded(files, who, p, photo) + _refs(refs)
    uc.act(store, files, who, p, action, evidence)
    return back_to(f"/problems/{p.id}", done="action")


@router.post("/problems/{problem_id}/close")
def close_out(
    who: Closer,
    p: ProblemToClose,
    store: StoreDep,
    files: EvidenceDep,
    settings: SettingsDep,
    evidence: Annotated[list[str] | None, Form()] = None,
    refs: Refs = "",
    note: Annotated[str, Form(max_length=2000)] = "",
    photo: Upload = None,
) -> Response:
    given = (evidence or []) + _refs(refs)
    if photo is not None and photo.filename:
        given += [uc.upload(files, who, p, photo.file)["ref"]]
    uc.close_out(store, files, who, p, given, note, settings.compliance.closing_roles)
    return back_to(f"/problems/{p.id}", done="closed out")


@router.post("/problems/{problem_id}/reopen")
def reopen(who: Closer, p: ProblemToClose, store: StoreDep, settings: SettingsDep,
           reason: Text) -> Response:  # fmt: skip
    uc.reopen(store, who, p, reason, settings.compliance.closing_roles)
    return back_to(f"/problems/{p.id}", done="reopened")
