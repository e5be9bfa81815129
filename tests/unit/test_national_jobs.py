"""An uploaded export's job that its process did not finish (a restart, a killed worker) is
said to be interrupted, and its upload — every member's ID number and phone — deleted, at
the app's start or when it is asked for; a running job says it is alive, so another worker
of the same data directory leaves it alone."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from services.domain.roles import Principal, Role
from services.entrypoints.web.render import ENV
from services.settings import Settings
from services.usecases.national import jobs as national_jobs
from services.usecases.national.jobs import JobRequest, NationalJobs

ADMIN = Principal("a1", "demo-admin", Role.COUNTY_ADMINISTRATOR, "610326")


def left_by_a_dead_process(root: Path, status: str, silent_for: float) -> tuple[UUID, Path]:
    job_id = UUID("6a0b7a2e-0000-4000-8000-000000000001")
    folder = root / "national-jobs" / str(job_id)
    folder.mkdir(parents=True)
    upload = folder / "导出.xlsx"
    upload.write_bytes(b"PK\x03\x04 every member's ID number")
    fields = {"id": str(job_id), "kind": "compare", "by": "demo-admin", "scope": "610326"}
    fields |= {"file": upload.name, "status": status, "alive_at": time.time() - silent_for}
    (folder / "status.json").write_text(json.dumps(fields))
    return job_id, upload


@pytest.mark.parametrize("status", ["queued", "running"])
def test_a_job_its_process_left_unfinished_is_interrupted_at_start(
    tmp_path: Path, status: str
) -> None:
    job_id, upload = left_by_a_dead_process(tmp_path, status, silent_for=3600)
    jobs = NationalJobs(Settings(data_dir=tmp_path))
    assert not upload.exists()  # at the start, before anyone asks
    seen = jobs.status(ADMIN, job_id)
    assert seen["status"] == "interrupted" and seen["code"] == "INTERRUPTED"
    page = ENV.get_template("national.html").render(
        request=None, who=None, role_label="", csrf="", menu=[], path="/national", job=seen
    )
    assert "已中断" in page and "请重新上传" in page and "the process" not in page


def test_a_job_that_says_it_is_alive_is_left_alone(tmp_path: Path) -> None:
    job_id, upload = left_by_a_dead_process(tmp_path, "running", silent_for=5)
    jobs = NationalJobs(Settings(data_dir=tmp_path))
    assert jobs.status(ADMIN, job_id)["status"] == "running" and upload.exists()


def test_a_long_step_keeps_the_job_alive_and_then_it_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A step that reports no progress for long (a big comparison's query) still beats."""
    go_on, entered = threading.Event(), threading.Event()

    def comparing(*args: Any) -> Any:
        entered.set()
        go_on.wait(60)
        raise national_jobs.Refused("HEADER_MISSING", "导出文件缺少必需的列：户编号")

    monkeypatch.setattr(national_jobs, "compare_national", comparing)
    monkeypatch.setattr(national_jobs, "HEARTBEAT_SECONDS", 0.02)
    monkeypatch.setattr(national_jobs, "STALE_SECONDS", 3.0)
    jobs = NationalJobs(Settings(data_dir=tmp_path))
    job = jobs.start(None, ADMIN, JobRequest("compare", "导出.xlsx", b"PK"))  # type: ignore[arg-type]
    job_id = UUID(job["id"])
    assert entered.wait(30)
    first = jobs.status(ADMIN, job_id)["alive_at"]
    deadline = time.monotonic() + 30
    while jobs.status(ADMIN, job_id)["alive_at"] == first:  # a condition, waited on
        assert time.monotonic() < deadline, "the job did not say it is alive"
        time.sleep(0.01)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and time.time() - first < 3.5:
        assert jobs.status(ADMIN, job_id)["status"] == "running"  # older than STALE_SECONDS
        time.sleep(0.05)
    go_on.set()
    while jobs.status(ADMIN, job_id)["status"] == "running":
        assert time.monotonic() < deadline + 30
        time.sleep(0.01)
    ended = jobs.status(ADMIN, job_id)
    assert ended["status"] == "refused" and ended["code"] == "HEADER_MISSING"
    assert not list((tmp_path / "national-jobs" / job["id"]).glob("*.xlsx"))
