"""The national system's export uploaded through the HTTP API by a county administrator:
compared (its differences R8.1 problems in the ledger) or dry-run imported in the
background, its progress asked for, its Chinese report downloaded; other roles may not, and
another county's administrator does not see the job."""

from __future__ import annotations

import asyncio
import io
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from http_support import ACCOUNTS, Api, running
from openpyxl import load_workbook

from services.adapters.compliance_store import load_national_runs, load_problems
from services.devtools.simulate.national_export import simulate_exports
from services.settings import Settings

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
async def api(seeded: Settings, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Api]:
    settings = seeded.model_copy(update={"data_dir": tmp_path_factory.mktemp("data")})
    async with running(settings) as api:
        yield api


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, dict[str, Any]]:
    out = tmp_path_factory.mktemp("export")
    truth = simulate_exports("small", 2, out, 0.05, 0.2)
    return (out / truth["export"]).read_bytes(), truth


async def finished(client: Any, job: dict[str, Any], timeout: float = 120) -> dict[str, Any]:
    """The job once it has ended, asked for every tenth of a second (a condition, waited on)."""
    url, deadline = f"/api/national/jobs/{job['id']}", time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen: dict[str, Any] = (await client.get(url)).json()
        if seen.get("status") in ("done", "refused", "failed"):
            return seen
        await asyncio.sleep(0.1)
    raise AssertionError(f"the job did not end within {timeout}s: {seen}")


async def upload(client: Any, content: bytes, kind: str) -> Any:
    files = {"file": ("全国系统导出.xlsx", content, "application/octet-stream")}
    return await client.post("/api/national/jobs", files=files, data={"kind": kind})


async def test_an_administrator_compares_an_export_and_downloads_the_report(
    api: Api, export: tuple[bytes, dict[str, Any]]
) -> None:
    content, truth = export
    admin = await api.session("admin")
    started = await upload(admin, content, "compare")
    assert started.status_code == 202, started.text
    job = await finished(admin, started.json())
    assert job["status"] == "done", job
    assert job["by"] == "admin" and job["result"]["differences"] > 0
    raised = [p for p in load_problems(api.store).values() if p.check.startswith("national_")]
    assert len(raised) == job["result"]["raised"] and all(p.rule_id == "R8.1" for p in raised)

    report = await admin.get(f"/api/national/jobs/{job['id']}/report")
    assert report.status_code == 200
    book = load_workbook(io.BytesIO(report.content))
    assert "差异明细" in book.sheetnames and "按乡镇和项目统计" in book.sheetnames
    refused = list(book["无法导入的行"].iter_rows(min_row=3, values_only=True))
    assert sorted(r[1] for r in refused) == sorted(b["row"] for b in truth["bad_rows"])
    folder = api.settings.data_dir / "national-jobs" / job["id"]  # the upload not kept
    assert not (folder / job["file"]).exists() and (folder / job["report"]).exists()

    other = await api.session("admin-other")
    assert (await other.get(f"/api/national/jobs/{job['id']}")).status_code == 404

    run = load_national_runs(api.store)[-1]  # the system's word on who ran it
    assert (run.kind, run.by, run.role, run.scope) == (
        "compare",
        "admin",
        "county_administrator",
        ACCOUNTS["admin"][1],
    )
    assert run.counts["differences"] == job["result"]["differences"]


def dashboard_counts(html: str) -> tuple[dict[str, int], dict[str, int]]:
    """The dashboard's comparison: differences by field, and by township."""
    section = html[html.index('id="national"') :]
    section = section[: section.index("</section>")]
    fields = {f: int(n) for f, n in re.findall(r'data-field="(\w+)">(\d+)<', section)}
    townships = {
        code: int(n)
        for code, n in re.findall(
            r'township=(\d{9})&amp;rule=R8.1">.*?<td data-n="differences">(\d+)<', section
        )
    }
    return fields, townships


async def test_the_latest_comparison_shows_on_the_dashboard_by_township_and_field(
    api: Api, export: tuple[bytes, dict[str, Any]]
) -> None:
    content, _ = export
    admin = await api.session("admin")
    job = await finished(admin, (await upload(admin, content, "compare")).json())
    assert job["status"] == "done", job
    home = (await (await api.session("county")).get("/")).text
    assert "全国系统数据比对（最近一次）" in home
    fields, townships = dashboard_counts(home)
    assert fields == job["result"]["by_field"] and sum(fields.values()) > 0
    assert sum(townships.values()) == job["result"]["differences"]
    assert f"由 admin 运行：比对 {job['result']['households']} 户" in home
    mine = dashboard_counts((await (await api.session("township")).get("/")).text)[1]
    own = ACCOUNTS["township"][1]
    assert mine and mine == {t: n for t, n in townships.items() if t == own}  # its own row


async def test_a_dry_run_says_what_it_would_publish_and_publishes_nothing(
    api: Api, export: tuple[bytes, dict[str, Any]]
) -> None:
    admin = await api.session("admin")
    job = await finished(admin, (await upload(admin, export[0], "dry_run")).json())
    assert job["status"] == "done", job
    assert job["result"]["events"] > 0 and job["result"]["published"] == 0
    assert job["result"]["rows"] == export[1]["rows"]


@pytest.mark.parametrize("name", ["county", "township", "inspector", "operator"])
async def test_only_a_county_administrator_may_upload_an_export(
    api: Api, export: tuple[bytes, dict[str, Any]], name: str
) -> None:
    client = await api.session(name)
    reply = await upload(client, export[0], "compare")
    assert reply.status_code == 403 and reply.json()["code"] == "PERMISSION_DENIED"


async def test_an_upload_that_is_not_an_xlsx_is_refused(api: Api, tmp_path: Path) -> None:
    admin = await api.session("admin")
    files = {"file": ("export.csv", b"a,b\n", "text/csv")}
    reply = await admin.post("/api/national/jobs", files=files, data={"kind": "compare"})
    assert reply.status_code == 415 and reply.json()["code"] == "EXPORT_NOT_XLSX"
