"""全国系统数据 for a county administrator: an export uploaded to be imported, tried (a dry
run) or compared, the job's progress (htmx, every second while it runs) and its Chinese
report to download — the API's jobs (services.usecases.national.jobs), on the same session."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from services.entrypoints.http.deps import StoreDep
from services.entrypoints.http.routes.national import XLSX, Importer, Jobs, Upload
from services.entrypoints.web.render import page

router = APIRouter(include_in_schema=False)


@router.get("/national", response_class=HTMLResponse)
def national(request: Request, who: Importer) -> HTMLResponse:
    return page(request, "national.html", who, job=None)


@router.post("/national")
async def upload(who: Importer, store: StoreDep, jobs: Jobs, job: Upload) -> Response:
    started = await run_in_threadpool(jobs.start, store, who, job)
    return RedirectResponse(f"/national/jobs/{started['id']}", status_code=303)


@router.get("/national/jobs/{job_id}", response_class=HTMLResponse)
def job(request: Request, job_id: UUID, who: Importer, jobs: Jobs) -> HTMLResponse:
    return page(request, "national.html", who, job=jobs.status(who, job_id))


@router.get("/national/jobs/{job_id}/report")
def report(job_id: UUID, who: Importer, jobs: Jobs) -> FileResponse:
    path = jobs.report(who, job_id)
    return FileResponse(path, media_type=XLSX, filename=path.name)
