"""The national system's export uploaded by a county administrator: imported (or a dry run)
or compared in the background, its progress asked for, its Chinese report downloaded. The
jobs are the county's own: another scope's job does not exist for the asker."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse

from services.domain.roles import Permission
from services.entrypoints.http.deps import Allowed, StoreDep
from services.usecases.national.jobs import JobRequest, NationalJobs

router = APIRouter(prefix="/api/national", tags=["national"])
Importer = Allowed(Permission.NATIONAL_IMPORT)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def get_jobs(request: Request) -> NationalJobs:
    return request.app.state.national  # type: ignore[no-any-return]


Jobs = Annotated[NationalJobs, Depends(get_jobs)]


async def uploaded(
    file: Annotated[UploadFile, File()],
    kind: Annotated[Literal["import", "compare", "dry_run"], Form()] = "compare",
    as_of: Annotated[date | None, Form()] = None,
) -> JobRequest:
    """The uploaded export and what to do with it (the API's form and the web page's)."""
    return JobRequest(kind, file.filename or "export.xlsx", await file.read(), as_of)


Upload = Annotated[JobRequest, Depends(uploaded)]


@router.post("/jobs", status_code=202)
async def start(who: Importer, store: StoreDep, jobs: Jobs, job: Upload) -> dict[str, Any]:
    """Upload an export (.xlsx) to import it (`import`; `dry_run` to see what it would do)
    or to compare it with what dixian knew as of a day (`compare`, the default: each
    difference an R8.1 problem in the township's ledger). Answers at once with the job."""
    return await run_in_threadpool(jobs.start, store, who, job)


@router.get("/jobs/{job_id}")
def status(job_id: UUID, who: Importer, jobs: Jobs) -> dict[str, Any]:
    """The job: queued, running (its step: rows read or events sent, of how many), done
    (what it did), refused or failed (why)."""
    return jobs.status(who, job_id)


@router.get("/jobs/{job_id}/report")
def report(job_id: UUID, who: Importer, jobs: Jobs) -> FileResponse:
    """The job's report, in Chinese: the validation report of an import (every refused row
    with its number and reason) or the comparison's differences by township and field."""
    path = jobs.report(who, job_id)
    return FileResponse(path, media_type=XLSX, filename=path.name)
