"""The three ledgers (台账) and the report of the places within the reader's scope: JSON,
an .xlsx workbook, or one table as CSV."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Response

from services.domain.roles import Permission
from services.entrypoints.http.deps import Allowed, SettingsDep, StoreDep
from services.usecases import ledgers as uc
from services.usecases.ledgers import Sheets

router = APIRouter(prefix="/api", tags=["ledgers"])
Place = Annotated[str | None, Query(pattern=r"^[0-9]{6,12}$", description="a region code")]


@dataclass
class LedgerQuery:
    """What the ledgers are asked for: as of a day, a place within the scope, and (the
    inspectors' and the bureau's copy) the suspicions of favoritism."""

    as_of: date | None = None
    township: Place = None
    with_favoritism: bool = False


@dataclass
class ReportQuery:
    as_of: date | None = None
    level: Literal["county", "township", "village"] = "township"
    code: Place = None


def ledger_sheets(
    q: Annotated[LedgerQuery, Depends()],
    who: Allowed(Permission.LEDGERS_READ),
    store: StoreDep,
) -> Sheets:
    return uc.ledger_sheets(store, who, q.as_of, q.township, q.with_favoritism)


def report_sheets(
    q: Annotated[ReportQuery, Depends()],
    who: Allowed(Permission.REPORTS_READ),
    store: StoreDep,
    settings: SettingsDep,
) -> Sheets:
    return uc.report_sheets(store, who, settings.compliance_params(), q.as_of, q.level, q.code)


Ledgers = Annotated[Sheets, Depends(ledger_sheets)]
Report = Annotated[Sheets, Depends(report_sheets)]
LedgerAsked = Annotated[LedgerQuery, Depends()]
ReportAsked = Annotated[ReportQuery, Depends()]
LedgersReader = Allowed(Permission.LEDGERS_READ)
ReportsReader = Allowed(Permission.REPORTS_READ)


def _file(found: tuple[bytes, str, str]) -> Response:
    body, media_type, name = found
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )


@router.get("/ledgers")
def ledgers(sheets: Ledgers) -> Sheets:
    """The screening-task, suspected-problem and rectification ledgers (favoritism only in
    the inspectors' and the bureau's copy, when asked)."""
    return sheets


@router.get("/ledgers.xlsx", response_class=Response)
def ledgers_xlsx(
    q: LedgerAsked, who: LedgersReader, store: StoreDep, settings: SettingsDep
) -> Response:
    """The three ledgers as one workbook, as the bureau keeps them (in Chinese)."""
    return _file(
        uc.ledger_file(
            store, who, settings.places_file, q.as_of, q.township, q.with_favoritism, "xlsx"
        )
    )


@router.get("/ledgers/{table}.csv", response_class=Response)
def ledger_csv(
    table: Literal["screening_tasks", "suspected_problems", "rectification"],
    q: LedgerAsked,
    who: LedgersReader,
    store: StoreDep,
    settings: SettingsDep,
) -> Response:
    """One ledger as CSV (UTF-8 with a byte-order mark, for spreadsheet programs)."""
    return _file(
        uc.ledger_file(
            store, who, settings.places_file, q.as_of, q.township, q.with_favoritism, "csv", table
        )
    )


@router.get("/report")
def report(sheets: Report) -> Sheets:
    """Found, rectified, closed and overdue by rule; coverage; the three phases."""
    return sheets


@router.get("/report.xlsx", response_class=Response)
def report_xlsx(
    q: ReportAsked, who: ReportsReader, store: StoreDep, settings: SettingsDep
) -> Response:
    return _file(
        uc.report_file(
            store,
            who,
            settings.compliance_params(),
            settings.places_file,
            q.as_of,
            q.level,
            q.code,
            "xlsx",
        )
    )


@router.get("/report/{table}.csv", response_class=Response)
def report_csv(
    table: Literal["by_rule", "coverage", "phases"],
    q: ReportAsked,
    who: ReportsReader,
    store: StoreDep,
    settings: SettingsDep,
) -> Response:
    return _file(
        uc.report_file(
            store,
            who,
            settings.compliance_params(),
            settings.places_file,
            q.as_of,
            q.level,
            q.code,
            "csv",
            table,
        )
    )
