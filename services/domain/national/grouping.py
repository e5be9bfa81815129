"""The export's rows grouped by 户编号. The national system exports a household's rows
together, so they are grouped as they are read (`add`): a household is finished, and handed
on, once `window` rows have passed without one of its own — this holds only the households
being read, whatever the file's size. A row of a household already handed on (the file not
grouped by household: sorted by another column) raises RowsApart, and the reader starts
again with the rows kept on disk and read back sorted by household number. The checks that
need the whole file keep compact keys, not rows: each ID number's household and the
households handed on.

An ID number in two households is kept by the household whose number comes first (shorter,
then lower: `_order`), whatever the rows' order in the file; the other household's row is
refused. Grouped as read, a household is handed on before the file is read through: if a
household of a lower number then shows an ID number one handed on kept (OwnerChanged, a
RowsApart), the reader starts again with the rows on disk, read back in the order of their
households' numbers: the first household to show an ID number is then its owner."""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from events.identity import is_valid_id_number
from services.domain.national import columns as c
from services.domain.national.records import (
    BadRow,
    MemberRow,
    RowRefused,
    View,
    VillageOf,
    is_head,
    parse_row,
    text,
)

WINDOW = 5000  # rows a household stays open after its last row
_VILLAGE_CODE = re.compile(r"^[0-9]{12}$")


class RowsApart(Exception):
    """A row of a household handed on already: the file is not grouped by household."""

    def __init__(self, row: int, household_id: str) -> None:
        super().__init__(row, household_id)
        self.row, self.household_id = row, household_id


class OwnerChanged(RowsApart):
    """A row's ID number kept by a household handed on already, whose number comes after
    this row's household's: the household handed on should not have kept it."""


def _order(hid: str) -> tuple[int, str]:
    """Which of two households keeps an ID number both show: the lower number (as numbers
    for 户编号 of digits alike: the shorter first)."""
    return len(hid), hid


@dataclass
class Grouping:
    """The rows as they are read (`add`), each call giving the households it finished, and
    the rest at the end (`finish`); or rows admitted (`admit`) and households assembled
    from them (`assemble`) when the rows are grouped elsewhere. The refused rows in `bad`."""

    village_of: VillageOf
    window: int = WINDOW
    bad: list[BadRow] = field(default_factory=list)
    # imported as they are, for R8.1 to find (a wrong GB 11643 check digit is data)
    check_digit_wrong: list[BadRow] = field(default_factory=list)
    rows: int = 0
    open: OrderedDict[str, list[MemberRow]] = field(default_factory=OrderedDict)  # oldest first
    last: dict[str, int] = field(default_factory=dict)  # household → its last row's count
    done: set[str] = field(default_factory=set)
    owner: dict[str, str] = field(default_factory=dict)  # ID number → household
    memo: list[Any] = field(default_factory=lambda: [None, None, None])

    def admit(self, number: int, cells: Sequence[object], h: c.Headers) -> MemberRow | None:
        """The row parsed, its ID number's owner noted (the household of the lowest number
        showing it so far); None if refused (in `bad`). OwnerChanged if the ID number was
        kept by a household handed on already whose number comes after this row's."""
        self.rows += 1
        try:
            r = parse_row(number, cells, h, self.memo)
        except RowRefused as e:
            i = h.index.get("household_id")
            hid = text(cells[i]) if i is not None and i < len(cells) else ""
            self.bad.append(BadRow(number, hid[:64], e.code, e.detail))
            return None
        id_number, hid = r.member["id_number"], r.household_id
        owner = self.owner.get(id_number)
        if owner is None or (owner != hid and _order(hid) < _order(owner)):
            if owner in self.done:
                raise OwnerChanged(number, hid)
            self.owner[id_number] = hid
        return r

    def add(self, number: int, cells: Sequence[object], h: c.Headers) -> list[View]:
        """RowsApart if the row's household was handed on already."""
        r = self.admit(number, cells, h)
        if r is None:
            return self._stale()
        hid = r.household_id
        if hid in self.done:
            raise RowsApart(number, hid)
        rows = self.open.get(hid)
        if rows is None:
            rows = self.open[hid] = []
        else:
            self.open.move_to_end(hid)  # the most recently seen last
        self.last[hid] = self.rows
        rows.append(r)
        return self._stale()

    def _repeated(self, r: MemberRow, rows: list[MemberRow]) -> bool:
        if any(k.member["person_id"] == r.member["person_id"] for k in rows):
            self._refuse(r, "PERSON_ID_REPEATED", f"人编号{r.member['person_id']}重复")
            return True
        return False

    def assemble(self, hid: str, rows: Sequence[MemberRow]) -> View | None:
        """A household from its admitted rows (in the sheet's order); None if refused. A row
        whose ID number another household keeps is refused, then a person number repeated."""
        kept: list[MemberRow] = []
        for r in rows:
            owner = self.owner[r.member["id_number"]]
            if owner != hid:
                detail = f"该证件号码也见于户{owner}，由户编号在前的一户保留"
                self._refuse(r, "ID_NUMBER_IN_TWO_HOUSEHOLDS", detail)
            elif not self._repeated(r, kept):
                kept.append(r)
        return self._view(hid, kept)

    def _stale(self) -> list[View]:
        views: list[View] = []
        while self.open:
            hid = next(iter(self.open))  # an OrderedDict: its first key at once
            if self.rows - self.last[hid] < self.window:
                break
            views.extend(self._close(hid))
        return views

    def finish(self) -> list[View]:
        """The households still open; the refused rows in `bad`, in the sheet's order."""
        views: list[View] = []
        while self.open:
            views.extend(self._close(next(iter(self.open))))
        self.bad.sort(key=lambda b: b.row)
        return views

    def _close(self, hid: str) -> list[View]:
        rows = self.open.pop(hid)
        del self.last[hid]
        self.done.add(hid)
        view = self.assemble(hid, rows)
        return [] if view is None else [view]

    def _refuse(self, r: MemberRow, code: str, detail: str) -> None:
        self.bad.append(BadRow(r.row, r.household_id, code, detail))

    def _view(self, hid: str, rows: list[MemberRow]) -> View | None:
        head = next((r for r in rows if is_head(r.member)), None)
        if head is None:
            for r in rows:
                self._refuse(r, "HEAD_MISSING", "该户没有可导入的户主行")
            return None
        f = head.household
        village = f["village_code"] or self.village_of(hid, f["names"]) or ""
        if not _VILLAGE_CODE.match(village):
            for r in rows:
                self._refuse(r, "VILLAGE_CODE_UNKNOWN", "无法确定该户所在行政村的区划代码")
            return None
        self.check_digit_wrong += [
            BadRow(r.row, hid, "ID_NUMBER_CHECK_DIGIT", f"成员{r.member['person_id']}")
            for r in rows
            if not is_valid_id_number(r.member["id_number"])
        ]
        category = f["category"]
        status = "not_monitored"
        if category:
            status = "risk_eliminated" if f["eliminated"] else "monitored"
        return View(
            household_id=hid,
            village_code=village,
            household_type=f["household_type"],
            status=status,
            category=category,
            risks=f["risks"] if category else (),
            identified_on=f["identified_on"] if category else None,
            eliminated_on=(f["eliminated_on"] or f["data_date"]) if f["eliminated"] else None,
            income=f["income"],
            unsafe_housing=f["unsafe_housing"],
            unsafe_water=f["unsafe_water"],
            members={r.member["person_id"]: r.member for r in rows},
            rows={r.member["person_id"]: r.row for r in rows},
            names=f["names"],
            data_date=f["data_date"],
            first_identified_on=f["first_identified_on"],
        )
