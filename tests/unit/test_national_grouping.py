"""The export's rows grouped as they are read: a household is handed on once the window has
passed its last row (so the reading's memory does not grow with the file), in the order
of their last rows, and the checks that need the whole file still
hold — an ID number in two households however far apart, a household whose rows come back
after it was finished refused row by row — with every row counted once."""

from __future__ import annotations

from builders.payloads import VILLAGE, id_number

from services.domain.national.columns import match_headers
from services.domain.national.grouping import Grouping
from services.domain.national.records import village_from_number

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
    rows.append(row(1, 3))  # back to household 1 after 38 rows
    rows.append(row(30, 1, "户主", same_id_as=11))  # household 1's head's ID number
    rows.append(row(31, 2))  # no head
    g, order, _ = read(rows, window=5)
    reasons = {b.row: b.code for b in g.bad}
    assert reasons == {
        42: "HOUSEHOLD_ROWS_APART",
        43: "ID_NUMBER_IN_TWO_HOUSEHOLDS",
        44: "HEAD_MISSING",
    }
    assert order == [f"{h:04d}" for h in range(1, 21)]
    kept = 20 * 2
    assert g.rows == len(rows) == kept + len(g.bad)
