"""What the exports share: a spreadsheet never runs people's text as a formula, and the
terminal table lines Chinese text up (the workbooks themselves: test_workbooks)."""

from __future__ import annotations

from services.adapters.exports import display_width, inert, render

ROWS = [
    {"problem": "a1", "summary": '=HYPERLINK("http://x","y")', "count": 3},
    {"problem": "b2", "summary": "村委会整改：已走访", "count": 12},
]


def test_text_a_spreadsheet_would_run_as_a_formula_is_defused() -> None:
    assert [inert(v) for v in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "张*明", -1)] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "'\tx",
        "张*明",
        -1,
    ]


def test_the_terminal_table_lines_up_chinese_text() -> None:
    header, _, row = render(ROWS[1:], ["summary", "count"]).splitlines()
    # a Chinese character takes two columns: the counts stand under their header
    assert display_width(header[: header.index("count")]) == display_width(row[: row.index("12")])
    assert display_width(row[: row.index("12")]) == display_width("村委会整改：已走访") + 2
