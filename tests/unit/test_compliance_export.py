"""The exports: what the county bureau opens in its spreadsheets."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from services.adapters.exports import display_width, render, write_csv, write_xlsx

ROWS = [
    {"problem": "a1", "summary": '=HYPERLINK("http://x","y")', "count": 3},
    {"problem": "b2", "summary": "村委会整改：已走访", "count": 12},
]


def test_xlsx_keeps_text_as_text_never_a_formula(tmp_path: Path) -> None:
    sheet = load_workbook(write_xlsx(tmp_path / "t.xlsx", {"ledger": ROWS}))["ledger"]
    assert sheet["B2"].data_type == "s" and sheet["B2"].value == ROWS[0]["summary"]
    assert [c.value for c in sheet[3]] == ["b2", "村委会整改：已走访", 12]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold


def test_csv_defuses_formulas_and_opens_in_spreadsheets_with_its_bom(tmp_path: Path) -> None:
    [path] = write_csv(tmp_path, {"ledger": ROWS})
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark
    text = raw.decode("utf-8-sig").splitlines()
    assert text[1].startswith("a1,\"'=HYPERLINK(") and "村委会整改" in text[2]


def test_the_terminal_table_lines_up_chinese_text() -> None:
    header, _, row = render(ROWS[1:], ["summary", "count"]).splitlines()
    # a Chinese character takes two columns: the counts stand under their header
    assert display_width(header[: header.index("count")]) == display_width(row[: row.index("12")])
    assert display_width(row[: row.index("12")]) == display_width("村委会整改：已走访") + 2
