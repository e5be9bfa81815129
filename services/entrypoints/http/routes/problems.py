"""The suspected problems within the reader's scope: the ledger's page with its filters,
one problem with its evidence, and the steps — plan, act, close out (销号), reopen — each
attributed to the logged-in account and checked against its role; evidence files uploaded
for a problem and served back only through it."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Path, Query, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from services.domain.compliance.ledger import Problem
from services.domain.evidence import SUFFIXES
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
from services.entrypoints.http.responses import JSON
from services.usecases import problems as uc

router = APIRouter(prefix="/api/problems", tags=["problems"])
Reader = Allowed(Permission.PROBLEMS_READ)
Rectifier = Allowed(Permission.PROBLEMS_RECTIFY)
Closer = Allowed(Permission.PROBLEMS_CLOSE)
Evidence = Field(max_length=50, description="References: sha256:<hex> of an uploaded file, "
                 "or a document's number.")  # fmt: skip


class Page(BaseModel):
    items: list[dict[str, Any]]
    next_cursor: str | None


class Plan(BaseModel):
    plan: str = Field(min_length=1, max_length=2000)
    deadline: date
    responsible_person: str = Field(min_length=1, max_length=64)


class Action(BaseModel):
    action: str = Field(min_length=1, max_length=2000)
    evidence: list[Annotated[str, Field(max_length=200)]] = Evidence


class CloseOut(BaseModel):
    evidence: list[Annotated[str, Field(max_length=200)]] = Evidence
    note: str = Field(default="", max_length=2000)


class Reopen(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)


def _step(p: Problem) -> dict[str, Any]:
    return {"problem": str(p.id), "status": p.status, "version": p.version, "by": p.history[-1][2]}


@router.get("", response_model=Page, response_class=JSON)
def list_problems(
    who: Reader,
    store: StoreDep,
    as_of: date | None = None,
    township: Annotated[str | None, Query(pattern=r"^[0-9]{6,12}$")] = None,
    rule: Annotated[str | None, Query(max_length=8)] = None,
    subject: Annotated[str | None, Query(max_length=64)] = None,
    concern: Literal["favoritism", "perfunctory", "paper_only"] | None = None,
    status: Literal["open", "rectifying", "rectified", "resolved", "closed", "overdue"]
    | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> JSON:
    """The ledger's problems within your scope as they stood on `as_of` (default today),
    filtered as `dixian problems list` filters, a page at a time."""
    filters = {"rule": rule, "subject": subject, "concern": concern, "status": status}
    items, following = uc.page(store, who, as_of, township, filters, cursor, limit)
    return JSON({"items": items, "next_cursor": following})


@router.get("/{problem_id}")
def show(p: ProblemToRead, store: StoreDep, files: EvidenceDep) -> dict[str, Any]:
    """The problem, its history, its evidence events (masked) and its evidence files."""
    return uc.show(store, files, p)


@router.post("/{problem_id}/plan")
def plan(body: Plan, who: Rectifier, p: ProblemToRectify, store: StoreDep) -> dict[str, Any]:
    """A rectification plan with its deadline and responsible person."""
    return _step(uc.plan(store, who, p, body.plan, body.deadline, body.responsible_person))


@router.post("/{problem_id}/act")
def act(
    body: Action, who: Rectifier, p: ProblemToRectify, store: StoreDep, files: EvidenceDep
) -> dict[str, Any]:
    """A rectification action, with evidence."""
    return _step(uc.act(store, files, who, p, body.action, body.evidence))


@router.post("/{problem_id}/close")
def close_out(
    body: CloseOut,
    who: Closer,
    p: ProblemToClose,
    store: StoreDep,
    files: EvidenceDep,
    settings: SettingsDep,
) -> dict[str, Any]:
    """Close out (销号), with evidence: the ledger's event names you and your role."""
    closing = settings.compliance.closing_roles
    return _step(uc.close_out(store, files, who, p, body.evidence, body.note, closing))


@router.post("/{problem_id}/reopen")
def reopen(
    body: Reopen, who: Closer, p: ProblemToClose, store: StoreDep, settings: SettingsDep
) -> dict[str, Any]:
    """Reopen a closed-out problem, saying why."""
    return _step(uc.reopen(store, who, p, body.reason, settings.compliance.closing_roles))


@router.post("/{problem_id}/evidence", status_code=201)
async def upload(
    who: Rectifier, p: ProblemToRectify, files: EvidenceDep, file: Annotated[UploadFile, File()]
) -> dict[str, Any]:
    """Upload an evidence file (photo, scan, PDF): checked by its content, kept by its
    SHA-256; give the returned `ref` in an action's or a close-out's evidence."""
    return await run_in_threadpool(uc.upload, files, who, p, file.file)


@router.get("/{problem_id}/evidence/{sha256}")
def evidence_file(
    sha256: Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")],
    p: ProblemToRead,
    files: EvidenceDep,
) -> FileResponse:
    """An evidence file uploaded for the problem, as it was uploaded."""
    path, row = uc.evidence_file(files, p, sha256)
    name = f"{sha256[:16]}{SUFFIXES.get(row['media_type'], '')}"
    return FileResponse(path, media_type=row["media_type"], filename=name)
