"""The national system's export: headers by name, rows refused with their reasons, the events
that make each household (accepted by the intake's checks and the aggregates), nothing new
from the same export, only the changes from a later one, and every planted difference found."""

from __future__ import annotations

import collections
import json
import random
import re
import zipfile
from datetime import date
from pathlib import Path
from typing import Any
from uuid import uuid5

import orjson
import pytest
import python_calamine
from fakes import process_in_memory
from openpyxl import Workbook, load_workbook

from events.catalog import EVENT_TYPES, validate_payload
from services.devtools.simulate.national_export import simulate_exports
from services.domain.compliance.engine import evaluate
from services.domain.compliance.facts import RecordedEvent
from services.domain.compliance.params import ComplianceParams
from services.domain.national.changes import _NAMESPACE, event_uuid, plan
from services.domain.national.columns import match_headers, normalise
from services.domain.national.compare import findings_of
from services.domain.national.differences import differences
from services.domain.national.known import known_view
from services.domain.national.records import View
from services.usecases.intake.unit_of_work import RawMessage
from services.usecases.national.importing import ImportOutcome, plan_import
from services.usecases.national.reading import ExportRefused, read_export
from services.usecases.national.report import report_path, write_import_report

AS_OF = date(2026, 1, 5)


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("national")
    return out, simulate_exports("small", 3, out, bad_share=0.06, difference_share=0.3)


def stored(messages: list[tuple[str, bytes]]) -> dict[str, list[RecordedEvent]]:
    """The messages as the store would keep them (each payload through its model)."""
    histories: dict[str, list[RecordedEvent]] = collections.defaultdict(list)
    for hid, value in messages:
        env = orjson.loads(value)
        facts = validate_payload(EVENT_TYPES[env["event_type"]][0], env["payload"])
        histories[hid].append(
            RecordedEvent(
                env["event_id"], env["event_type"], hid, env["occurred_at"], env["recorded_at"],
                env["actor"]["person_id"], env["actor"]["role"], facts.model_dump(mode="json"),
                import_batch=env["import_batch"],
            )
        )  # fmt: skip
    return histories


def known_of(messages: list[tuple[str, bytes]]) -> dict[str, View]:
    views = {h: known_view(events) for h, events in stored(messages).items()}
    return {h: v for h, v in views.items() if v is not None}


def test_headers_are_matched_by_name_with_full_width_brackets_and_spaces() -> None:
    assert normalise(" 务工时间（月） ") == "务工时间(月)"
    assert normalise("易返贫致贫户（监测对象）类型") == "易返贫致贫户(监测对象)类型"
    h = match_headers(["户 编 号", "人编号", "证件号码", "风险类型1", "致贫原因2", "备注"])
    assert h.index["household_id"] == 0 and h.risk_columns == (3, 4)
    assert h.missing == ("姓名", "与户主关系", "户类型") and h.unknown == ("备注",)


def test_a_missing_required_header_is_named_before_anything_is_read(tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(["户编号", "人编号", "姓名", "证件号码"])
    book.active.append(["610326101201K1", "p1", "张三", "110101199003074514"])
    book.save(tmp_path / "x.xlsx")
    with pytest.raises(ExportRefused, match="与户主关系、户类型") as refused:
        read_export(tmp_path / "x.xlsx")
    assert refused.value.code == "HEADER_MISSING"


@pytest.mark.parametrize("reader", ["stream", "calamine", "openpyxl"])
def test_every_bad_row_is_refused_with_its_reason_and_the_counts_add_up(
    exports: tuple[Path, dict[str, Any]], reader: str
) -> None:
    out, truth = exports
    export = read_export(out / truth["export"], reader=reader)
    assert export.reader == reader
    assert {(b.row, b.code) for b in export.bad} == {
        (b["row"], b["code"]) for b in truth["bad_rows"]
    }
    assert {b["code"] for b in truth["bad_rows"]} >= {"HEAD_MISSING", "ID_NUMBER_INVALID"}
    imported = sum(len(v.members) for v in export.households)
    assert imported + len(export.bad) == export.rows == truth["rows"]
    wrong = [(b.row, b.household_id) for b in export.check_digit_wrong]
    assert wrong and wrong == [(b["row"], b["household_id"]) for b in truth["check_digit_wrong"]]


def test_a_wrong_check_digit_is_imported_as_is_and_only_a_malformed_number_refused(
    tmp_path: Path,
) -> None:
    good = "110101199003074514"
    wrong = good[:17] + "0"
    rows = {  # person id: its ID number as the export has it
        "p1": good, "p2": wrong, "p3": good[:17], "p4": good[:17] + "Y", "p5": "11010119900307459x",
    }  # fmt: skip
    book = Workbook()
    book.active.append(["户编号", "人编号", "姓名", "证件号码", "与户主关系", "户类型"])
    for n, (pid, value) in enumerate(rows.items()):
        hid = f"61032610120100{n + 1:02d}"
        book.active.append([hid, pid, "张三", value, "户主", "一般农户"])
    book.save(tmp_path / "x.xlsx")
    export = read_export(tmp_path / "x.xlsx")
    members = {p: m["id_number"] for v in export.households for p, m in v.members.items()}
    assert members == {"p1": good, "p2": wrong, "p5": "11010119900307459X"}
    assert {b.row: b.code for b in export.bad} == {4: "ID_NUMBER_INVALID", 5: "ID_NUMBER_INVALID"}
    assert "17个字符" in export.bad[0].detail and good[:10] not in export.bad[0].detail
    assert [b.row for b in export.check_digit_wrong] == [3]  # p2 only: p5's X is right


@pytest.mark.parametrize("reader", ["stream", "calamine", "openpyxl"])
def test_an_id_number_in_a_number_cell_is_refused_not_read_with_its_digits_lost(
    tmp_path: Path, reader: str
) -> None:
    """A sheet's numbers are doubles: an 18-digit ID number typed as a number has lost its
    last digits (the float of 110101199003074514 prints 110101199003074512), so a number
    cell is refused, even when the file's XML spells every digit; the same digits as text
    are imported as they are, and a 16-digit 户编号 in a number cell still reads."""
    good = "110101199003074514"
    book = Workbook()
    book.active.append(["户编号", "人编号", "姓名", "证件号码", "与户主关系", "户类型"])
    book.active.append(["6103261012010001", "p1", "张三", good, "户主", "一般农户"])
    book.active.append(["6103261012010002", "p2", "李四", int(good), "户主", "一般农户"])
    book.active.append([6103261012010003, "p3", "王五", 1.5, "户主", "一般农户"])
    book.active.append(["6103261012010004", "p4", "赵六", int(good) + 1, "户主", "一般农户"])
    book.save(tmp_path / "written.xlsx")
    with (
        zipfile.ZipFile(tmp_path / "written.xlsx") as z,
        zipfile.ZipFile(tmp_path / "x.xlsx", "w") as out,
    ):
        for item in z.infolist():
            data = z.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":  # every digit, as some writers do
                spelled = re.sub(rb'(<c r="D5" t="n"><v>)[^<]*', rb"\g<1>110101199003074515", data)
                assert spelled != data
                data = spelled
            out.writestr(item, data)
    export = read_export(tmp_path / "x.xlsx", reader=reader)
    assert export.reader == reader
    members = {p: m["id_number"] for v in export.households for p, m in v.members.items()}
    assert members == {"p1": good}
    assert export.households[0].household_id == "6103261012010001"
    assert {b.row: (b.household_id, b.code) for b in export.bad} == {
        3: ("6103261012010002", "ID_NUMBER_INVALID"),
        4: ("6103261012010003", "ID_NUMBER_INVALID"),
        5: ("6103261012010004", "ID_NUMBER_INVALID"),
    }
    assert all("以数值而非文本保存" in b.detail for b in export.bad)


def test_r81_finds_each_member_imported_with_a_wrong_check_digit_and_no_other(
    exports: tuple[Path, dict[str, Any]],
) -> None:
    out, truth = exports
    o = plan_import(None, out / truth["export"], "national-test")
    evaluation = evaluate(stored(o.messages).values(), AS_OF, ComplianceParams())
    found = {(f.subject, f.scope) for f in evaluation.findings if f.check == "id_number_invalid"}
    assert found == {
        (b["household_id"], f"id_number:{b['person_id']}") for b in truth["check_digit_wrong"]
    }
    assert all(f.rule_id == "R8.1" for f in evaluation.findings if f.check == "id_number_invalid")


def test_the_events_of_an_export_are_accepted_by_the_intake_and_the_aggregates(
    exports: tuple[Path, dict[str, Any]],
) -> None:
    out, truth = exports
    o = plan_import(None, out / truth["export"], "national-test")
    raw = [RawMessage("t", 0, i, hid.encode(), value) for i, (hid, value) in enumerate(o.messages)]
    uow, got = process_in_memory(raw)
    assert collections.Counter(got) == {"accepted": len(raw)}
    statuses = collections.Counter(uow.household(h).monitoring_status for h in uow.events)
    assert statuses["monitored"] and statuses["risk_eliminated"]
    assert o.new == o.export.households and o.events["household_registered"] == o.new


def test_the_same_export_plans_the_same_bytes_and_against_what_it_made_nothing(
    exports: tuple[Path, dict[str, Any]],
) -> None:
    out, truth = exports
    first = plan_import(None, out / truth["export"], "national-test")
    again = plan_import(None, out / truth["export"], "national-test")
    assert first.messages == again.messages
    known = known_of(first.messages)
    views = read_export(out / truth["export"]).households
    assert len(views) == first.export.households
    assert all(plan(v, known[v.household_id])[0] == [] for v in views)


def test_a_later_export_plans_only_its_changes_and_never_an_edit(
    exports: tuple[Path, dict[str, Any]],
) -> None:
    out, truth = exports
    known = known_of(plan_import(None, out / truth["export"], "b").messages)
    later = read_export(out / truth["later_export"])
    planned = collections.Counter()
    for view in later.households:
        events, _ = plan(view, known.get(view.household_id))
        planned.update(p.event_type for p in events)
    assert planned["household_registered"] == 1  # the one new household
    assert planned["member_added"] and planned["member_changed"] and planned["income_assessed"]
    eliminations = sum(1 for d in truth["differences"] if d["field"] == "status")
    assert planned["risk_eliminated"] == eliminations  # monitored, now eliminated
    assert set(planned) <= {
        "household_registered", "member_added", "member_changed", "income_assessed",
        "identification_decided", "risk_eliminated", "department_fact_reported",
    }  # fmt: skip


def test_every_planted_difference_is_found_as_an_r81_finding_and_nothing_else(
    exports: tuple[Path, dict[str, Any]],
) -> None:
    out, truth = exports
    known = known_of(plan_import(None, out / truth["export"], "b").messages)
    later = read_export(out / truth["later_export"])
    found = []
    for view in later.households:
        k = known.get(view.household_id)
        found += findings_of(differences(view, k), view, k, "later.xlsx", AS_OF)
    ids = {v.household_id for v in later.households}
    for hid, k in known.items():
        if hid not in ids:
            found += findings_of(differences(None, k), None, k, "later.xlsx", AS_OF)
    assert {(f.subject, f.check.removeprefix("national_"), f.scope) for f in found} == {
        (d["household_id"], d["field"], d["person_id"]) for d in truth["differences"]
    }
    assert all(f.rule_id == "R8.1" and f.subject_type == "household" for f in found)
    assert all(f.evidence and f.village == f.subject[:12] for f in found)
    ids_shown = [f.summary for f in found if f.check == "national_id_number"]
    assert ids_shown and all("**********" in s for s in ids_shown)  # masked


def test_the_validation_report_is_chinese_and_lists_each_bad_row(
    exports: tuple[Path, dict[str, Any]],
) -> None:
    out, truth = exports
    o: ImportOutcome = plan_import(None, out / truth["export"], "b")
    path = write_import_report(report_path(out / truth["export"]), o)
    assert path.name == "national-export_校验报告.xlsx"
    book = load_workbook(path)
    assert book.sheetnames[:2] == ["汇总", "无法导入的行"]
    counts = {r[1]: r[2] for r in book["汇总"].iter_rows(min_row=3, values_only=True)}
    assert counts["文件数据行数"] == counts["可导入的行数"] + counts["无法导入的行数"]
    rows = list(book["无法导入的行"].iter_rows(min_row=3, values_only=True))
    assert sorted(r[1] for r in rows) == sorted(b["row"] for b in truth["bad_rows"])
    malformed = "证件号码无法识别（不是17位数字加一位数字或X的18位身份证号码）"
    assert any(r[3] == malformed for r in rows)
    assert counts["证件号码校验位错误的成员（已照录导入，由R8.1数据质量核查发现）"] == len(
        truth["check_digit_wrong"]
    )
    noted = list(book["校验位错误的证件号码"].iter_rows(min_row=3, values_only=True))
    assert [r[1] for r in noted] == [b["row"] for b in truth["check_digit_wrong"]]
    text = json.dumps([list(r) for r in rows], ensure_ascii=False)
    assert not any(m in text for m in ("610326199", "610326198"))  # no ID number shown


def events_of(messages: list[tuple[str, bytes]]) -> list[tuple[str, str, bytes]]:
    """Each household's events, their members in one order (a registration lists them in
    the order of their rows, which a shuffle changes) and without the ids made of them."""
    found = []
    for hid, value in messages:
        env = orjson.loads(value)
        members = env["payload"].get("members")
        if members:
            env["payload"]["members"] = sorted(members, key=lambda m: m["person_id"])
        del env["event_id"]
        found.append((hid, env["event_type"], orjson.dumps(env, option=orjson.OPT_SORT_KEYS)))
    return sorted(found)


def shuffled(export: Path, out: Path, seed: int) -> Path:
    """The export's rows in another order (a county that sorted it by another column): an
    ID number that two households show may now come first in either."""
    rows = list(load_workbook(export, read_only=True).active.iter_rows(values_only=True))
    top, data = rows[:2], rows[2:]
    random.Random(seed).shuffle(data)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("s")
    for r in top + data:
        sheet.append(list(r))
    book.save(out)
    return out


@pytest.mark.parametrize("reader", ["stream", "calamine"])
def test_a_shuffled_export_makes_the_same_households_events_and_refusals(
    exports: tuple[Path, dict[str, Any]],
    tmp_path: Path,
    reader: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out, truth = exports
    monkeypatch.setattr("services.domain.national.grouping.WINDOW", 10)  # the small county's
    path = shuffled(out / truth["export"], tmp_path / "shuffled.xlsx", seed=11)
    loaded: list[str] = []

    workbook = python_calamine.CalamineWorkbook

    class Counted:
        @staticmethod
        def from_path(p: str) -> Any:
            loaded.append(p)
            return workbook.from_path(p)

    monkeypatch.setattr(python_calamine, "CalamineWorkbook", Counted)
    mixed = plan_import(None, path, "national-test", reader=reader)
    assert not mixed.export.grouped  # found apart, read again from the rows kept on disk
    assert len(loaded) == (reader == "calamine")  # its sheet loaded once, for both readings
    sorted_ = plan_import(None, out / truth["export"], "national-test")
    assert sorted_.export.grouped
    assert events_of(mixed.messages) == events_of(sorted_.messages)
    refused = collections.Counter((b.household_id, b.code) for b in mixed.export.bad)
    assert refused == collections.Counter((b.household_id, b.code) for b in sorted_.export.bad)
    two = "ID_NUMBER_IN_TWO_HOUSEHOLDS"
    planted = {(b["household_id"], b["row"]) for b in truth["bad_rows"] if b["code"] == two}
    assert planted  # the household of the later number refused, wherever its row stands
    assert {b.household_id for b in mixed.export.bad if b.code == two} == {h for h, _ in planted}
    assert {(b.household_id, b.row) for b in sorted_.export.bad if b.code == two} == planted
    assert mixed.export.rows == truth["rows"] == mixed.rows_imported + len(mixed.export.bad)
    wrong = {b.household_id for b in mixed.export.check_digit_wrong}
    assert wrong == {b["household_id"] for b in truth["check_digit_wrong"]}


def test_households_outside_the_readers_scope_are_refused_row_by_row(
    exports: tuple[Path, dict[str, Any]],
) -> None:
    out, truth = exports
    export = read_export(out / truth["export"], within="610327")
    assert export.households == [] and len(export.bad) == export.rows == truth["rows"]
    assert {b.code for b in export.bad} >= {"OUTSIDE_SCOPE"}
    inside = read_export(out / truth["export"], within="610326")
    assert not any(b.code == "OUTSIDE_SCOPE" for b in inside.bad)


def test_an_events_id_is_the_uuid5_of_its_key_as_before() -> None:
    """Ids made without building a UUID are uuid5's: an export imported before makes the
    same ids (and so nothing new)."""
    keys = [
        f"national-system:61032610120100{i:02d}:income_assessed:2025-06-30:{i * 7919}"
        for i in range(300)
    ]
    assert [event_uuid(k) for k in keys] == [str(uuid5(_NAMESPACE, k)) for k in keys]
