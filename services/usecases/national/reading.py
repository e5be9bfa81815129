"""An export read as a stream of households (grouped by 户编号 as its rows come), and what
dixian knows of its households — the two sides the import and the comparison both start from."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import orjson

from services.adapters.eventstore import EventStore
from services.adapters.national_export import Export, keeping_sheets, open_export
from services.adapters.row_spill import RowSpill
from services.domain.compliance.facts import RecordedEvent
from services.domain.events import TOPIC_PREFIX
from services.domain.household import household_uuid
from services.domain.national import grouping as g
from services.domain.national.columns import Headers
from services.domain.national.grouping import Grouping, RowsApart
from services.domain.national.known import known_view
from services.domain.national.records import BadRow, View, VillageOf, text
from services.domain.national.records import village_from_number as default_village_of
from services.usecases.errors import Refused

CHUNK = 5000
T = TypeVar("T")


class ExportRefused(Refused):
    """The export cannot be read at all (no workbook, a missing required header)."""


class ExportStream:
    """An export being read: its households, as each is finished (iterate once), and what
    the reading found so far — the rows read, the refused rows (in the sheet's order once
    the stream is read through), the households and the latest data date.

    `grouped`: the rows are grouped as they are read, and a row of a household handed on
    already raises RowsApart (see `regrouped`); else each row is kept on disk under its
    household (services.adapters.row_spill) and, once the file is read through, the rows are
    read back grouped, households in the order of their numbers — either way in flat
    memory."""

    def __init__(
        self,
        path: Path,
        village_of: VillageOf | None = None,
        progress: Any = None,
        reader: str = "auto",
        within: str = "",
        grouped: bool = True,
    ) -> None:
        try:
            export: Export = open_export(path, reader)
        except Exception as e:
            raise ExportRefused("EXPORT_UNREADABLE", str(e)) from None
        if export.headers.missing:
            raise ExportRefused(
                "HEADER_MISSING", "导出文件缺少必需的列：" + "、".join(export.headers.missing)
            )
        self.path, self.headers, self.reader = path, export.headers, export.reader
        self._export, self._progress, self._within = export, progress, within
        self._grouping = Grouping(village_of or default_village_of, window=g.WINDOW)
        self.bad: list[BadRow] = self._grouping.bad
        self.households = 0
        self.data_date: date | None = None
        self.grouped = grouped
        self._outside: set[str] = set()

    @property
    def check_digit_wrong(self) -> list[BadRow]:
        """The members imported with an ID number whose GB 11643 check digit is wrong (R8.1
        finds them once imported), in the sheet's order."""
        noted = self._grouping.check_digit_wrong
        return sorted((b for b in noted if b.household_id not in self._outside), key=_row)

    @property
    def rows(self) -> int:
        """Data rows read (the file's rows below its header, once read through)."""
        return self._grouping.rows

    def __iter__(self) -> Iterator[View]:
        if self.grouped:
            yield from self._grouped()
        else:
            with RowSpill() as spill:
                yield from self._spilled(spill)
        self.bad.sort(key=_row)
        if self._progress is not None:
            self._progress.update(self.rows, self.rows)

    def _grouped(self) -> Iterator[View]:
        grouping, headers, progress = self._grouping, self.headers, self._progress
        total = self._export.total_rows
        for number, cells in self._export.rows:
            views = grouping.add(number, cells, headers)
            if views:
                yield from self._kept(views)
            if progress is not None and grouping.rows % 5000 == 0:
                progress.update(grouping.rows, total)
        yield from self._kept(grouping.finish())

    def _spilled(self, spill: RowSpill) -> Iterator[View]:
        """Each row kept on disk as the sheet has it, under its household's number; then
        the rows read back grouped, households by their numbers, and read as a grouped
        export is (so an ID number's owner, the lowest number, is always the first seen)."""
        progress, total = self._progress, self._export.total_rows
        at = self.headers.index["household_id"]
        for read, (number, cells) in enumerate(self._export.rows, start=1):
            spill.put(text(cells[at]) if at < len(cells) else "", number, cells)
            if progress is not None and read % 5000 == 0:
                progress.update(read, total)
        grouping, headers = self._grouping, self.headers
        for number, cells in spill.rows():
            views = grouping.add(number, cells, headers)
            if views:
                yield from self._kept(views)
        yield from self._kept(grouping.finish())

    def _kept(self, views: list[View]) -> Iterator[View]:
        for v in views:
            if not v.village_code.startswith(self._within):
                self._outside.add(v.household_id)
                self.bad += [
                    BadRow(n, v.household_id, "OUTSIDE_SCOPE", "该户不在本账号的管辖范围内")
                    for n in v.rows.values()
                ]
                continue
            self.households += 1
            if v.data_date and (self.data_date is None or v.data_date > self.data_date):
                self.data_date = v.data_date
            yield v


@dataclass(frozen=True, slots=True)
class ReadExport:
    """An export read whole (for a small file, a test): its households in a list."""

    path: Path
    headers: Headers
    rows: int
    households: list[View]
    bad: list[BadRow]
    reader: str
    check_digit_wrong: list[BadRow]

    @property
    def data_date(self) -> date | None:
        return max((v.data_date for v in self.households if v.data_date), default=None)


def regrouped(attempt: Callable[[bool], T]) -> T:
    """`attempt(True)`, reading the export grouped as it comes; if its rows turn out not to
    be grouped by household (RowsApart, before anything was acted on), `attempt(False)`."""
    with keeping_sheets():  # a sheet calamine holds whole is not loaded again
        try:
            return attempt(True)
        except RowsApart:
            return attempt(False)


def read_export(
    path: Path,
    village_of: VillageOf | None = None,
    progress: Any = None,
    reader: str = "auto",
    within: str = "",
) -> ReadExport:
    """Every row of the export, as households and refused rows; ExportRefused if its header
    lacks a required column (named, before anything is read further). A household outside
    `within` (a region code: the reader's scope) is refused, each of its rows."""

    def attempt(grouped: bool) -> tuple[ExportStream, list[View]]:
        stream = ExportStream(path, village_of, progress, reader, within, grouped)
        return stream, list(stream)

    stream, views = regrouped(attempt)
    return ReadExport(
        path, stream.headers, stream.rows, views, stream.bad, stream.reader,
        stream.check_digit_wrong,
    )  # fmt: skip


def _row(b: BadRow) -> int:
    return b.row


def known_views(
    store: EventStore, household_ids: Iterable[str], as_of: date | None = None
) -> dict[str, View]:
    """What dixian knows of these households (as of a day, or all it knows), by number."""
    ids = sorted(set(household_ids))
    views: dict[str, View] = {}
    with store.connection() as conn:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            rows = conn.execute(
                f"SELECT originator_id, state FROM {store.events_table} "
                "WHERE topic LIKE %s AND originator_id = ANY(%s) "
                "ORDER BY originator_id, originator_version",
                (f"{TOPIC_PREFIX}%", [household_uuid(h) for h in chunk]),
            ).fetchall()
            histories: dict[Any, list[RecordedEvent]] = {}
            for r in rows:
                event = RecordedEvent.from_state(orjson.loads(bytes(r["state"])))
                histories.setdefault(r["originator_id"], []).append(event)
            for history in histories.values():
                view = known_view(history, as_of)
                if view is not None:
                    views[view.household_id] = view
    return views


def households_of_villages(store: EventStore, villages: Iterable[str]) -> list[str]:
    """The households dixian has registered in these villages (read from the registrations
    themselves: no projection needs to have run)."""
    wanted = set(villages)
    found = []
    with store.connection() as conn:
        rows = conn.execute(
            f"SELECT state FROM {store.events_table} WHERE topic = %s",
            (f"{TOPIC_PREFIX}Registered",),
        ).fetchall()
    for r in rows:
        state = orjson.loads(bytes(r["state"]))
        if state["facts"]["village_code"] in wanted:
            found.append(state["household_id"])
    return found
