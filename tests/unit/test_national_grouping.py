"""The export's rows grouped as they are read: a household is handed on once the window has
passed its last row (so the reading's memory does not grow with the file), in the order
of their last rows, and the checks that need the whole file still hold — an ID number in
two households however far apart — with every row counted once. A household whose rows come
back after it was handed on raises RowsApart; admitted and assembled (the rows grouped
elsewhere), the same rows make the same households and the same refusals."""

from __future__ import annotations

import pytest
from builders.payloads import VILLAGE, id_number

from services.domain.national.columns import match_headers
from services.domain.national.grouping import Grouping, RowsApart
from services.domain.national.records import MemberRow, View, village_from_number

HEADERS = match_headers(["户编号", "人编号", "姓名", "证件号码", "与户主关系", "户类型"])


def row(household: int, person: int, relation: str = "之子", same_id_as: int = 0) -> list[str]:
    hid = f"{VILLAGE}{household:04d}"
    seq = same_id_as or household * 10 + person
    return [hid, f"{hid}{person:02d}", f"成员{person}", id_number(seq), relation, "一般农户"]


def read(rows: list[list[str]], window: int) -> tuple[Grouping, list[str], list[int]]:
    """The households in the order handed on, and after how many rows each came."""
    g = Grouping(village_from_number, window=window)
    order, when = [], []
    for n, cells in enumerate(rows, start=2):
        for v in g.add(n, cells, HEADERS):
            order.append(v.household_id[-4:])
            when.append(g.rows)
    order += [v.household_id[-4:] for v in g.finish()]
    return g, order, when


def test_households_are_handed_on_while_reading_once_the_window_has_passed() -> None:
    rows = [row(h, p, "户主" if p == 1 else "之子") for h in range(1, 51) for p in (1, 2, 3)]
    g, order, when = read(rows, window=10)
    assert order == [f"{h:04d}" for h in range(1, 51)] and not g.bad
    assert when[:3] == [13, 16, 19]  # the first household, ten rows after its last
    assert len(g.open) <= 5  # never more than the window's households held


def test_rows_of_a_household_apart_within_the_window_are_one_household() -> None:
    rows = [row(1, 1, "户主"), row(2, 1, "户主"), row(1, 2), row(2, 2), row(1, 3)]
    g, order, _ = read(rows, window=10)
    assert order == ["0002", "0001"] and not g.bad  # by their last rows


def test_the_whole_files_checks_hold_across_the_window_and_every_row_is_counted() -> None:
    rows = [row(h, p, "户主" if p == 1 else "之子") for h in range(1, 21) for p in (1, 2)]
    rows.append(row(30, 1, "户主", same_id_as=11))  # household 1's head's ID number
    rows.append(row(31, 2))  # no head
    rows.append(row(32, 1, "户主"))
    rows.append(row(32, 1))  # its person number again
    g, order, _ = read(rows, window=5)
    reasons = {b.row: b.code for b in g.bad}
    assert reasons == {
        42: "ID_NUMBER_IN_TWO_HOUSEHOLDS",
        43: "HEAD_MISSING",
        45: "PERSON_ID_REPEATED",
    }
    assert order == [f"{h:04d}" for h in range(1, 21)] + ["0032"]
    assert g.rows == len(rows) == 20 * 2 + 1 + len(g.bad)


def test_a_row_of_a_household_handed_on_already_raises_rows_apart() -> None:
    rows = [row(h, p, "户主" if p == 1 else "之子") for h in range(1, 21) for p in (1, 2)]
    rows.append(row(1, 3))  # back to household 1 after 38 rows
    with pytest.raises(RowsApart) as apart:
        read(rows, window=5)
    assert (apart.value.row, apart.value.household_id[-4:]) == (42, "0001")
    g, order, _ = read(rows, window=50)  # within the window: one household
    assert not g.bad and len(order) == 20


def test_rows_admitted_then_assembled_make_the_same_households_and_refusals() -> None:
    """The rows grouped elsewhere (on disk, by household): in a sheet whose households'
    rows are all apart, the same households as in the sheet grouped by household, each row
    checked in the sheet's order (the ID number kept by the row that comes first)."""
    grouped = [row(h, p, "户主" if p == 1 else "之子") for h in range(1, 9) for p in (1, 2, 3)]
    grouped += [row(9, 1, "户主", same_id_as=12), row(10, 2)]
    sheet = grouped[1::2] + grouped[::2]  # household 1's second member on row 2
    g = Grouping(village_from_number)
    admitted: dict[str, list[MemberRow]] = {}
    for n, cells in enumerate(sheet, start=2):
        r = g.admit(n, cells, HEADERS)
        if r is not None:
            admitted.setdefault(r.household_id, []).append(r)
    views = [g.assemble(hid, rows) for hid, rows in admitted.items()]
    made = {v.household_id[-4:]: sorted(v.members) for v in views if v is not None}
    assert made == {
        v.household_id[-4:]: sorted(v.members) for v in _views(grouped)
    }  # fmt: skip
    assert len(made) == 8 and all(len(m) == 3 for m in made.values())
    codes = {(b.household_id[-4:], b.code) for b in g.bad}
    assert codes == {("0009", "ID_NUMBER_IN_TWO_HOUSEHOLDS"), ("0010", "HEAD_MISSING")}
    assert g.rows == len(sheet) == 8 * 3 + len(g.bad)


def _views(rows: list[list[str]]) -> list[View]:
    g = Grouping(village_from_number, window=1000)
    views = [v for n, cells in enumerate(rows, start=2) for v in g.add(n, cells, HEADERS)]
    return views + g.finish()
