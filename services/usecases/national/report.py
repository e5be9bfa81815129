"""The reports beside the export, in Chinese: the import's validation report (every row
that cannot be imported, with its number and reason; the counts add up to the file's rows)
and the comparison's (its differences, by township and field). ID numbers are never in
them: a bad row is named by its number and household."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from services.adapters.workbooks import Column, Sheet, write_workbook
from services.domain.national.compare import WORDS, say
from services.domain.national.differences import FIELDS
from services.i18n import label, t


def report_path(path: Path, kind: str = "校验报告") -> Path:
    """Where a report of the export goes: beside it, named after it."""
    return path.with_name(f"{path.stem}_{kind}.xlsx")


def _n(key: str) -> str:
    return t(f"national.{key}")


def _counts(title: str, pairs: list[tuple[str, Any]]) -> Sheet:
    return Sheet(
        _n("summary"),
        title,
        [Column("项目", max_width=60), Column("数量", "int")],
        [[k, v] for k, v in pairs],
    )


def write_import_report(path: Path, o: Any) -> Path:
    """The import's report of `o` (an ImportOutcome)."""
    e = o.export
    title = f"{_n('import_report')}（{e.path.name}，数据日期 {o.recorded_on}）"
    pairs: list[tuple[str, Any]] = [
        (_n("rows"), e.rows),
        (_n("rows_imported"), o.rows_imported),
        (_n("rows_bad"), len(e.bad)),
        (_n("check_digit_wrong"), len(e.check_digit_wrong)),
        (_n("households"), o.new + o.changed + o.unchanged),
        (_n("households_new"), o.new),
        (_n("households_changed"), o.changed),
        (_n("households_unchanged"), o.unchanged),
        (_n("events"), o.planned),
        *((f"{_n('events')}：{label('event_type', k)}", v) for k, v in sorted(o.events.items())),
    ]
    if e.headers.unknown:
        pairs.append((f"{_n('unknown_headers')}：{'、'.join(e.headers.unknown)}", None))
    bad = Sheet(
        _n("bad_rows"),
        f"{_n('bad_rows')}（共{len(e.bad)}行）",
        [Column("行号", "int"), Column("户编号"), Column("原因"), Column("详情", max_width=60)],
        [[b.row, b.household_id, label("national_reason", b.code), b.detail] for b in e.bad],
    )
    wrong = e.check_digit_wrong
    noted = Sheet(
        _n("check_digit_sheet"),
        f"{_n('check_digit_wrong')}（共{len(wrong)}人）",
        [Column("行号", "int"), Column("户编号"), Column("成员")],
        [[b.row, b.household_id, b.detail] for b in wrong],
    )
    left = Sheet(
        _n("unimportable"),
        _n("unimportable"),
        [Column("户编号"), Column("项目"), Column("全国系统"), Column("底线系统")],
        [
            [
                u.household_id,
                WORDS.get(u.field, u.field),
                say(u.field, u.export),
                say(u.field, u.known),
            ]
            for u in o.unimportable
        ],
    )
    return write_workbook(path, [_counts(title, pairs), bad, left, noted])


def write_compare_report(path: Path, o: Any) -> Path:
    """The comparison's report of `o` (a CompareOutcome)."""
    title = f"{_n('compare_report')}（{o.export.path.name}，截至 {o.as_of.isoformat()}）"
    pairs: list[tuple[str, Any]] = [
        (_n("households_compared"), o.summary.households),
        (_n("households_agreeing"), o.summary.agreeing),
        (_n("differences_found"), len(o.findings)),
        (_n("rows_bad"), len(o.export.bad)),
        *((WORDS.get(k, k), v) for k, v in sorted(o.summary.by_field().items(), key=_order)),
    ]
    fields = [f for f in FIELDS if f in WORDS]
    townships = Sheet(
        _n("by_township"),
        _n("by_township"),
        [Column("乡镇"), *(Column(WORDS[f], "int") for f in fields), Column("合计", "int")],
        [
            [o.place(t_), *(counts.get(f, 0) for f in fields), sum(counts.values())]
            for t_, counts in sorted(o.summary.by_township.items())
        ],
    )
    details = Sheet(
        _n("differences"),
        _n("differences"),
        [
            Column("户编号"),
            Column("乡镇"),
            Column("项目"),
            Column("说明", max_width=70),
            Column("问题编号"),
        ],
        [
            [f.subject, o.place(f.township), label("check", f.check), f.summary, str(f.problem_id)]
            for f in o.findings
        ],
    )
    bad = Sheet(
        _n("bad_rows"),
        _n("bad_rows"),
        [Column("行号", "int"), Column("户编号"), Column("原因"), Column("详情", max_width=60)],
        [[b.row, b.household_id, label("national_reason", b.code), b.detail] for b in o.export.bad],
    )
    return write_workbook(path, [_counts(title, pairs), townships, details, bad])


def _order(item: tuple[str, int]) -> int:
    return FIELDS.index(item[0]) if item[0] in FIELDS else len(FIELDS)
