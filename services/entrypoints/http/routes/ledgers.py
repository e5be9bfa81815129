"""The three ledgers (台账) and the report of the places within the reader's scope: JSON,
an .xlsx workbook, or one table as CSV."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from services.domain.roles import Permission
from services.entrypoints.http.deps import Allowed, SettingsDep, StoreDep
from services.usecases import ledgers as uc
from services.usecases.ledgers import Sheets

router = APIRouter(prefix="/api", tags=["ledgers"])
LedgerReader = Allowed(Permission.LEDGERS_READ)
ReportReader = Allowed(Permission.REPORTS_READ)
Place = Annotated[str | None, Query(pattern=r"^[0-9]{6,12}$", description="a region code")]
Level = Literal["county", "township", "village"]


def _file(sheets: Sheets, fmt: str, name: str, table: str | None = None) -> Response:
    body, media_type = uc.download(sheets, fmt, table)
    filename = f"{name}.xlsx" if fmt == "xlsx" else f"{table}.csv"
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/ledgers")
def ledgers(
    who: LedgerReader,
    store: StoreDep,
    as_of: date | None = None,
    township: Place = None,
    with_favoritism: bool = False,
) -> Sheets:
    """The screening-task, suspected-problem and rectification ledgers (favoritism only in
    the inspectors' and the bureau's copy, when asked)."""
    return uc.ledger_sheets(store, who, as_of, township, with_favoritism)


@router.get("/ledgers.xlsx", response_class=Response)
def ledgers_xlsx(
    who: LedgerReader,
    store: StoreDep,
    as_of: date | None = None,
    township: Place = None,
    with_favoritism: bool = False,
) -> Response:
    """The three ledgers as one workbook."""
    sheets = uc.ledger_sheets(store, who, as_of, township, with_favoritism)
    return _file(sheets, "xlsx", "ledgers")


@router.get("/ledgers/{table}.csv", response_class=Response)
def ledger_csv(
    table: Literal["screening_tasks", "suspected_problems", "rectification"],
    who: LedgerReader,
    store: StoreDep,
    as_of: date | None = None,
    township: Place = None,
    with_favoritism: bool = False,
) -> Response:
    """One ledger as CSV (UTF-8 with a byte-order mark, for spreadsheet programs)."""
    sheets = uc.ledger_sheets(store, who, as_of, township, with_favoritism)
    return _file(sheets, "csv", "ledgers", table)


@router.get("/report")
def report(
    who: ReportReader,
    store: StoreDep,
    settings: SettingsDep,
    as_of: date | None = None,
    level: Level = "township",
    code: Place = None,
) -> Sheets:
    """Found, rectified, closed and overdue by rule; coverage; the three phases."""
    return uc.report_sheets(store, who, settings.compliance_params(), as_of, level, code)


@router.get("/report.xlsx", response_class=Response)
def report_xlsx(
    who: ReportReader,
    store: StoreDep,
    settings: SettingsDep,
    as_of: date | None = None,
    level: Level = "township",
    code: Place = None,
) -> Response:
    sheets = uc.report_sheets(store, who, settings.compliance_params(), as_of, level, code)
    return _file(sheets, "xlsx", "report")


@router.get("/report/{table}.csv", response_class=Response)
def report_csv(
    table: Literal["by_rule", "coverage", "phases"],
    who: ReportReader,
    store: StoreDep,
    settings: SettingsDep,
    as_of: date | None = None,
    level: Level = "township",
    code: Place = None,
) -> Response:
    sheets = uc.report_sheets(store, who, settings.compliance_params(), as_of, level, code)
    return _file(sheets, "csv", "report", table)
