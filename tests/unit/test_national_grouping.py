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
from services.domain.national.grouping import Grouping, OwnerChanged, RowsApart
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
    checked in the sheet's order (an ID number kept by the household of the lower number)."""
    grouped = [row(h, p, "户主" if p == 1 else "之子") for h in range(1, 9) for p in (1, 2, 3)]
    grouped += [row(9, 1, "户主", same_id_as=12), row(10, 2)]
    sheet = grouped[1::2] + grouped[::2]  # household 1's second member on row 2
    g = Grouping(village_from_number)
    made = {v.household_id[-4:]: sorted(v.members) for v in _admit_then_assemble(g, sheet)}
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


def _admit_then_assemble(g: Grouping, sheet: list[list[str]]) -> list[View]:
    """Every row admitted, then each household assembled from its rows."""
    admitted: dict[str, list[MemberRow]] = {}
    for n, cells in enumerate(sheet, start=2):
        r = g.admit(n, cells, HEADERS)
        if r is not None:
            admitted.setdefault(r.household_id, []).append(r)
    views = [g.assemble(hid, rows) for hid, rows in admitted.items()]
    return [v for v in views if v is not None]


def _outcome(
    g: Grouping, sheet: list[list[str]], views: list[View]
) -> tuple[dict[str, list[str]], set[tuple]]:
    """The households made (their members) and the refused rows, by household and person
    number (not row number: the rows' order differs), with their reasons."""
    made = {v.household_id[-4:]: sorted(v.members) for v in views}
    person = {n: cells[1] for n, cells in enumerate(sheet, start=2)}
    return made, {(b.household_id[-4:], person[b.row], b.code, b.detail) for b in g.bad}


def _grouped(rows: list[list[str]], window: int) -> tuple[dict[str, list[str]], set[tuple]]:
    g = Grouping(village_from_number, window=window)
    views = [v for n, cells in enumerate(rows, start=2) for v in g.add(n, cells, HEADERS)]
    return _outcome(g, rows, views + g.finish())


def _assembled(rows: list[list[str]]) -> tuple[dict[str, list[str]], set[tuple]]:
    g = Grouping(village_from_number)
    return _outcome(g, rows, _admit_then_assemble(g, rows))


def test_an_id_number_in_two_households_is_kept_by_the_lower_number_in_any_order() -> None:
    """Household 7's member shows household 3's head's ID number: household 3 keeps it and
    7's row is refused, whichever household comes first in the file — grouped and read as it
    comes, with 7 still open when 3 comes or handed on already (then OwnerChanged: read
    again with the rows on disk), or every row apart."""
    three = [row(3, 1, "户主"), row(3, 2)]
    seven = [row(7, 1, "户主"), row(7, 2, same_id_as=31)]
    filler = [row(h, p, "户主" if p == 1 else "之子") for h in range(10, 16) for p in (1, 2)]
    expected = _grouped(three + filler + seven, window=100)
    made, refused = expected
    assert made["0003"] == [three[0][1], three[1][1]] and made["0007"] == [seven[0][1]]
    detail = f"该证件号码也见于户{three[0][0]}，由户编号在前的一户保留"
    assert refused == {("0007", seven[1][1], "ID_NUMBER_IN_TWO_HOUSEHOLDS", detail)}
    assert _grouped(seven + filler + three, window=100) == expected  # 7 still open
    with pytest.raises(OwnerChanged) as changed:  # 7 handed on before 3's head came
        _grouped(seven + filler + three, window=5)
    assert changed.value.household_id == three[0][0] and isinstance(changed.value, RowsApart)
    mixed = [seven[1], *filler, three[0], seven[0], three[1]]
    assert _assembled(seven + filler + three) == _assembled(mixed) == expected


def test_a_head_whose_id_number_a_lower_household_keeps_leaves_its_household_headless() -> None:
    one = [row(1, 1, "户主"), row(1, 2)]
    two = [row(2, 1, "户主", same_id_as=12), row(2, 2)]  # household 1's member's ID number
    made, refused = _grouped(two + one, window=100)
    assert list(made) == ["0001"]
    assert {(h, code) for h, _, code, _ in refused} == {
        ("0002", "ID_NUMBER_IN_TWO_HOUSEHOLDS"),
        ("0002", "HEAD_MISSING"),
    }
    assert (made, refused) == _grouped(one + two, window=100) == _assembled(two + one)
