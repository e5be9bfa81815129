"""The simulated county as the national system exports it: a person-level workbook (one row
per member, the export's Chinese headers with full-width brackets, a title above them), with
a share of bad rows planted; and a later export of the same county with a share of planted
differences (an income, an elimination, a member added…). The truth of both is written
beside them, so the import's report and the comparison's findings can be checked."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from events.identity import check_digit
from services.devtools.simulate.county import COUNTY, County, Household, build_county
from services.devtools.simulate.plan import RISKS

HEADERS = (
    "序号", "数据日期", "县（市、区、旗）", "乡（镇）", "行政村", "自然村", "户编号", "人编号",
    "姓名", "证件号码", "人数", "与户主关系", "民族", "文化程度", "在校生状况", "健康状况",
    "劳动技能", "务工时间（月）", "是否参加大病保险", "风险类型1", "风险类型2", "危房户",
    "是否解决安全饮用水", "人均纯收入", "户联系电话", "人联系电话", "首次识别时间", "人员识别时间",
    "户类型", "易返贫致贫户（监测对象）类型", "风险是否消除", "风险识别时间", "风险消除时间",
)  # fmt: skip
DATA_DATE = date(2025, 6, 30)
LATER_DATE = date(2025, 12, 31)
RELATION = {"head": "户主", "spouse": "配偶", "child": "之子"}
HEALTH = {"healthy": "健康", "chronic_illness": "长期慢性病", "serious_illness": "患大病"}
HEALTH |= {"disabled": "残疾"}
LABOUR = {"ordinary": "普通劳动力", "skilled": "技能劳动力", "weak": "弱劳动力或半劳动力"}
LABOUR |= {"lost": "丧失劳动力", "none": "无劳动力"}
RISK_WORD = {
    "illness": "因病", "disability": "因残", "education": "因学", "housing": "因房",
    "drinking_water": "饮水安全", "accident": "因意外事故", "natural_disaster": "因灾",
    "unemployment": "因失业", "income_drop": "因收入骤减", "high_expenditure": "因支出骤增",
}  # fmt: skip
CATEGORY_WORD = {"unstable_lifted": "脱贫不稳定户", "marginal_at_risk": "边缘易致贫户"}
CATEGORY_WORD |= {"sudden_hardship": "突发严重困难户"}
# CHECK_DIGIT is not refused: the member is imported as the export has it, and R8.1 finds it
CHECK_DIGIT = "ID_NUMBER_CHECK_DIGIT"
BAD_KINDS = ("ID_NUMBER_INVALID", "DATE_INVALID", "VALUE_UNKNOWN", "HEAD_MISSING")
BAD_KINDS += ("ID_NUMBER_IN_TWO_HOUSEHOLDS", CHECK_DIGIT)
DONOR = "(donor)"  # a household whose head's ID number another repeats
DIFFERENCE_KINDS = (
    "income", "status", "category", "risks", "labour_capacity", "id_number", "member_added",
    "member_removed", "unsafe_housing", "unsafe_water", "household_type", "household_removed",
)  # fmt: skip


@dataclass
class Record:
    """A household as the export states it."""

    h: Household
    members: list[dict[str, Any]]
    category: str | None = None
    risks: list[str] = field(default_factory=list)
    identified_on: date | None = None
    eliminated_on: date | None = None
    income: int = 0
    unsafe_housing: bool = False
    unsafe_water: bool = False
    lifted: bool = False
    bad: dict[str, str] = field(default_factory=dict)  # person id → bad kind planted
    duplicate: str = ""  # the ID number of another household's member it repeats


def _records(county: County, rng: random.Random) -> list[Record]:
    used: set[str] = set()
    out = []
    for h in county.households:
        members = [dict(m) for m in h.members]
        for m in members:  # the county's ID numbers, unique as a real register's are
            m["id_number"] = _unique(m["id_number"], used)
            m["migrant_work_months"] = (
                rng.randint(0, 10) if m["labour_capacity"] == "ordinary" else 0
            )
        r = Record(h, members, income=h.income, lifted=h.lifted)
        if rng.random() < 0.12:
            r.category = rng.choice(
                ["unstable_lifted"] if h.lifted else ["marginal_at_risk", "sudden_hardship"]
            )
            r.risks = rng.sample(RISKS, rng.randint(1, 2))
            r.identified_on = date(2022, 1, 1) + timedelta(days=rng.randint(0, 900))
            if rng.random() < 0.4:
                r.eliminated_on = r.identified_on + timedelta(days=rng.randint(120, 300))
        r.unsafe_housing = rng.random() < 0.03
        r.unsafe_water = rng.random() < 0.02
        out.append(r)
    return out


def _unique(id_number: str, used: set[str]) -> str:
    """The ID number, or the next free one after it (the sequence, then the birth day, on)."""
    first17 = id_number[:17]
    born = date(int(first17[6:10]), int(first17[10:12]), int(first17[12:14]))
    seq = int(first17[14:16])
    while (value := first17 + check_digit(first17)) in used:
        seq += 1
        if seq == 100:
            seq, born = 0, born + timedelta(days=1)
        first17 = f"{first17[:6]}{born:%Y%m%d}{seq:02d}{first17[16]}"
    used.add(value)
    return value


def _row(county: County, r: Record, m: dict[str, Any], data_date: date) -> list[Any]:
    h = r.h
    names = county.place_names(h.village)
    risks = [RISK_WORD[x] for x in r.risks] + ["", ""]
    return [
        None, data_date.isoformat(), names["county_name"], names["township_name"],
        names["village_name"], "", h.household_id, m["person_id"], m["name"], m["id_number"],
        len(r.members), RELATION.get(m["relation_to_head"], m["relation_to_head"]), "汉族",
        "初中", "小学" if m["in_school"] else "非在校生", HEALTH[m["health"]],
        LABOUR[m["labour_capacity"]], m["migrant_work_months"], "是", risks[0], risks[1],
        "是" if r.unsafe_housing else "否", "否" if r.unsafe_water else "是", r.income, "", "",
        "2016-10-01" if r.lifted else "", "", "脱贫户" if r.lifted else "一般农户",
        CATEGORY_WORD.get(r.category or "", ""), _eliminated_word(r),
        r.identified_on.isoformat() if r.identified_on else "",
        r.eliminated_on.isoformat() if r.eliminated_on else "",
    ]  # fmt: skip


def _eliminated_word(r: Record) -> str:
    return "是" if r.eliminated_on else ("否" if r.category else "")


def _plant_bad(records: list[Record], rng: random.Random, share: float) -> None:
    rows = sum(len(r.members) for r in records)
    order = {id(r): i for i, r in enumerate(records)}
    candidates = [r for r in records if len(r.members) >= 2]
    rng.shuffle(candidates)
    for i, r in enumerate(candidates[: int(rows * share)]):
        kind = BAD_KINDS[i % len(BAD_KINDS)]
        if kind == "ID_NUMBER_IN_TWO_HOUSEHOLDS":
            donor = next((d for d in reversed(records[: order[id(r)]]) if not d.bad), None)
            if donor is None:
                continue
            donor.bad[DONOR] = donor.members[0]["id_number"]  # kept out of the differences
            r.duplicate = donor.members[0]["id_number"]
        r.bad[r.members[-1]["person_id"]] = kind


def _bad_cells(r: Record, m: dict[str, Any], row: list[Any]) -> None:
    kind = r.bad.get(m["person_id"])
    if kind == "ID_NUMBER_INVALID":  # a digit lost: malformed beyond use
        row[9] = m["id_number"][:17]
    elif kind == CHECK_DIGIT:  # 18 characters, the last one wrong: data, found by R8.1
        row[9] = m["id_number"][:17] + ("0" if m["id_number"][17] != "0" else "1")
    elif kind == "DATE_INVALID":
        row[31] = "2023年13月45日"
    elif kind == "VALUE_UNKNOWN":
        row[15] = "良好"
    elif kind == "ID_NUMBER_IN_TWO_HOUSEHOLDS":
        row[9] = r.duplicate


def write_export(
    county: County, records: list[Record], path: Path, data_date: date
) -> list[dict[str, Any]]:
    """The workbook; returns the bad rows planted (row number, code; ID_NUMBER_CHECK_DIGIT
    for a member imported with a wrong check digit, not refused)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("脱贫人口及监测对象")
    sheet.append(["全国防止返贫监测和衔接推进乡村振兴信息系统 人员明细（模拟数据）"])
    sheet.append(list(HEADERS))
    number, seq, bad = 2, 0, []
    for r in records:
        head_missing = "HEAD_MISSING" in r.bad.values()
        for m in r.members:
            number += 1
            seq += 1
            row = _row(county, r, m, data_date)
            row[0] = seq
            if head_missing and m["relation_to_head"] == "head":
                row[11] = "之子"
            _bad_cells(r, m, row)
            code = "HEAD_MISSING" if head_missing else r.bad.get(m["person_id"])
            if code:
                hid, pid = r.h.household_id, m["person_id"]
                bad.append({"row": number, "household_id": hid, "person_id": pid, "code": code})
            sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return bad


def _plant_differences(
    records: list[Record], rng: random.Random, share: float, used: set[str]
) -> list[dict[str, Any]]:
    truth: list[dict[str, Any]] = []
    clean = [r for r in records if not r.bad]
    planted = rng.sample(clean, int(len(clean) * share))
    for i, r in enumerate(planted):
        kind = DIFFERENCE_KINDS[i % len(DIFFERENCE_KINDS)]
        truth.append({"household_id": r.h.household_id} | _plant(r, kind, used))
    return truth


def _plant(r: Record, kind: str, used: set[str]) -> dict[str, Any]:
    monitored = r.category is not None and r.eliminated_on is None
    if kind in ("status", "category", "risks") and not monitored:
        kind = "income"
    if kind in ("member_removed",) and len(r.members) < 2:
        kind = "income"
    last = r.members[-1]
    if kind == "income":
        r.income += 1234
    elif kind == "status":
        r.eliminated_on = LATER_DATE - timedelta(days=30)
    elif kind == "category":
        r.category = next(c for c in CATEGORY_WORD if c != r.category)
    elif kind == "risks":
        r.risks = [next(x for x in RISKS if x not in r.risks)]
    elif kind == "labour_capacity":
        last["labour_capacity"] = "lost" if last["labour_capacity"] != "lost" else "ordinary"
        return {"field": "labour_capacity", "person_id": last["person_id"]}
    elif kind == "id_number":
        last["id_number"] = _unique(f"{COUNTY}19991231{len(used) % 100:02d}5", used)
        return {"field": "id_number", "person_id": last["person_id"]}
    elif kind == "member_added":
        new = dict(last, person_id=f"{r.h.household_id}-9", relation_to_head="child")
        new["id_number"] = _unique(f"{COUNTY}20250101{len(used) % 100:02d}4", used)
        r.members.append(new)
        return {"field": "member", "person_id": new["person_id"]}
    elif kind == "member_removed":
        r.members.pop()
        return {"field": "member", "person_id": last["person_id"]}
    elif kind == "unsafe_housing":
        r.unsafe_housing = not r.unsafe_housing
    elif kind == "unsafe_water":
        r.unsafe_water = not r.unsafe_water
    elif kind == "household_type":
        r.lifted = not r.lifted
    elif kind == "household_removed":
        r.members = []
        return {"field": "household", "person_id": ""}
    return {"field": kind, "person_id": ""}


def simulate_exports(
    size: str, seed: int, out: Path, bad_share: float = 0.01, difference_share: float = 0.05
) -> dict[str, Any]:
    """export.xlsx (with bad rows), export-later.xlsx (with planted differences), truth."""
    county = build_county(size, seed)
    rng = random.Random(seed * 7919 + 17)
    records = _records(county, rng)
    _plant_bad(records, rng, bad_share)
    first = out / "national-export.xlsx"
    bad = write_export(county, records, first, DATA_DATE)
    rows = sum(len(r.members) for r in records)
    used = {m["id_number"] for r in records for m in r.members}
    differences = _plant_differences(records, rng, difference_share, used)
    later_records = [r for r in records if r.members]
    extra = _new_household(county, rng, used)
    later_records.append(extra)
    differences.append(
        {"household_id": extra.h.household_id, "field": "household", "person_id": ""}
    )
    later = out / "national-export-later.xlsx"
    write_export(county, later_records, later, LATER_DATE)
    truth = {
        "size": size,
        "seed": seed,
        "export": first.name,
        "later_export": later.name,
        "rows": rows,
        "bad_rows": [b for b in bad if b["code"] != CHECK_DIGIT],
        "check_digit_wrong": [b for b in bad if b["code"] == CHECK_DIGIT],
        "differences": differences,
    }
    (out / "national-truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1))
    return truth


def _new_household(county: County, rng: random.Random, used: set[str]) -> Record:
    village = county.villages[0]
    hid = f"{village}9999"
    first17 = f"{COUNTY}19800101{len(used) % 100:02d}3"
    head = {
        "person_id": f"{hid}-1", "name": "新增户主", "id_number": _unique(first17, used),
        "relation_to_head": "head", "labour_capacity": "ordinary", "health": "healthy",
        "in_school": False, "migrant_work_months": 0,
    }  # fmt: skip
    return Record(Household(hid, village, False, [head]), [head], income=9000)
