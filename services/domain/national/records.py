"""The export's rows read one by one: each row a member and its household's fields, or
refused with a stable reason (grouped into households by services.domain.national.grouping)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from operator import itemgetter
from typing import Any

from events.envelope import HOUSEHOLD_ID_PATTERN
from events.identity import is_id_number_shaped
from services.domain.national import columns as c

# Stable reason codes of a row that cannot be imported (their Chinese: services.i18n).
ROW_REASONS = (
    "HOUSEHOLD_ID_INVALID",
    "PERSON_ID_MISSING",
    "NAME_MISSING",
    "ID_NUMBER_INVALID",
    "DATE_INVALID",
    "NUMBER_INVALID",
    "VALUE_UNKNOWN",
    "VILLAGE_CODE_UNKNOWN",
    "PERSON_ID_REPEATED",
    "HEAD_MISSING",
    "ID_NUMBER_IN_TWO_HOUSEHOLDS",
    "OUTSIDE_SCOPE",
)
_HOUSEHOLD_ID = re.compile(HOUSEHOLD_ID_PATTERN)
_VILLAGE_CODE = re.compile(r"^[0-9]{12}")
_EXCEL_EPOCH = date(1899, 12, 30)
_DAY = re.compile(r"(\d{4})[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?(?:[ T].*)?")
_DAY_DIGITS = re.compile(r"(\d{4})(\d{2})(\d{2})")
_WORDS = re.compile(r"[,，、;；\s]+")
VillageOf = Callable[[str, dict[str, str]], str | None]
# An ID number in a number cell: a sheet's numbers are doubles, exact to 15 digits, so its
# last digits are lost (610326197601010016 reads 610326197601010048) whichever reader
NUMERIC_ID_NUMBER = "证件号码以数值而非文本保存，超过15位的数字已失真，应以文本保存"


class RowRefused(Exception):
    def __init__(self, code: str, detail: str) -> None:
        super().__init__(code, detail)
        self.code, self.detail = code, detail


@dataclass(frozen=True, slots=True)
class BadRow:
    row: int  # the row's number in the sheet (the header is row 1)
    household_id: str
    code: str  # ROW_REASONS
    detail: str  # what was found, in the export's words (ID numbers masked by the caller)


@dataclass(slots=True)
class View:
    """A household as one side tells it (the export, or dixian's events): what is compared."""

    household_id: str
    village_code: str
    household_type: str
    status: str = "not_monitored"  # not_monitored | monitored | risk_eliminated
    category: str | None = None
    risks: tuple[str, ...] = ()
    identified_on: date | None = None
    eliminated_on: date | None = None
    income: Decimal | None = None
    unsafe_housing: bool = False
    unsafe_water: bool = False
    members: dict[str, dict[str, Any]] = field(default_factory=dict)  # person id → Member
    # the export's side: its rows, names and dates
    rows: dict[str, int] = field(default_factory=dict)  # person id → row number
    names: dict[str, str] = field(default_factory=dict)
    data_date: date | None = None
    first_identified_on: date | None = None
    # dixian's side: which events say each field (field → event ids)
    evidence: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class MemberRow:
    row: int
    household_id: str
    member: dict[str, Any]  # the contract's Member (events.common)
    household: dict[str, Any]  # the household's fields as this row states them


def text(value: object) -> str:
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def day(value: object, column: str) -> date | None:
    """A date cell: a date, an Excel serial, or text (2024-03-05, 2024/3/5, 20240305, 2024-03)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    found = _day_of(value) if type(value) is str or type(value) is float else _day(value)
    if found is None:
        raise RowRefused("DATE_INVALID", f"{c.header_name(column)}「{text(value)}」不是日期")
    return found


def _day(value: object) -> date | None:
    if isinstance(value, int | float) and 20000 < value < 80000:
        return _EXCEL_EPOCH + timedelta(days=int(value))
    s = text(value)
    m = _DAY.fullmatch(s) or _DAY_DIGITS.fullmatch(s)
    try:
        if m:
            return date(int(m[1]), int(m[2]), int(m[3] or 1))
    except ValueError:
        pass
    return None


_day_of = functools.lru_cache(maxsize=8192)(_day)  # an export repeats its days


def yes(value: object, column: str) -> bool | None:
    s = text(value)
    if not s:
        return None
    if s in c.YES or s.startswith("是"):
        return True
    if s in c.NO or s.startswith("否"):
        return False
    raise RowRefused("VALUE_UNKNOWN", f"{c.header_name(column)}「{s}」应为是或否")


def amount(value: object) -> Decimal | None:
    s = text(value).replace(",", "")
    if not s:
        return None
    try:
        d = Decimal(s).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise RowRefused("NUMBER_INVALID", f"人均纯收入「{s}」不是数额") from None
    if d < 0:
        raise RowRefused("NUMBER_INVALID", f"人均纯收入「{s}」为负数")
    return d


def coded(table: dict[str, str], value: object, column: str, default: str | None = None) -> Any:
    s = text(value)
    if not s:
        return default
    if s in table:
        return table[s]
    raise RowRefused("VALUE_UNKNOWN", f"{c.header_name(column)}「{s}」无法识别")


def health(value: object) -> str:
    s = text(value)
    if not s or s == "健康":
        return "healthy"
    for word, code in c.HEALTH_ORDER:
        if word in s:
            return code
    raise RowRefused("VALUE_UNKNOWN", f"健康状况「{s}」无法识别")


def months(value: object) -> int:
    s = text(value)
    try:
        n = int(Decimal(s)) if s else 0
    except InvalidOperation:
        raise RowRefused("NUMBER_INVALID", f"务工时间（月）「{s}」不是月数") from None
    if not 0 <= n <= 12:
        raise RowRefused("NUMBER_INVALID", f"务工时间（月）「{s}」不在0至12之间")
    return n


def risks_of(values: Sequence[object]) -> tuple[str, ...]:
    found: list[str] = []
    for v in values:
        for word in _WORDS.split(text(v)):
            if not word or word == "无":
                continue
            code = c.RISKS.get(word)
            if code is None:
                raise RowRefused("VALUE_UNKNOWN", f"风险类型「{word}」无法识别")
            if code not in found:
                found.append(code)
    return tuple(found)


HOUSEHOLD_FIELDS = (
    "household_type", "category", "eliminated", "income", "unsafe_housing", "safe_water",
    "village_code", "county_name", "township_name", "village_name", *c.DATES,
)  # fmt: skip


MEMBER_FIELDS = (
    "household_id", "person_id", "name", "id_number", "relation", "phone", "labour", "health",
    "school", "migrant_months",
)  # fmt: skip


def parse_row(
    number: int, cells: Sequence[object], h: c.Headers, memo: list[Any] | None = None
) -> MemberRow:
    """One row as a member and its household's fields, or RowRefused. `memo` keeps the
    previous row's household cells and fields: a household's rows repeat them, so they are
    read once (a row whose household cells differ is read, and refused, on its own)."""
    memo = [None, None, None] if memo is None else memo
    if len(cells) <= h.width:  # a short row (or a column missing): its cells beyond are empty
        cells = [*cells, *([None] * (h.width + 1 - len(cells)))]
    if memo[2] is None or memo[2][0] is not h:
        at = h.at
        columns = (at["household_id"], *(at[k] for k in HOUSEHOLD_FIELDS), *h.risk_columns)
        memo[2] = (h, itemgetter(*columns), itemgetter(*(at[k] for k in MEMBER_FIELDS)))
    hid, pid, name, id_number, relation, phone, labour, health_, school, work = [
        v.strip() if type(v) is str else v for v in memo[2][2](cells)
    ]
    if type(hid) is not str:
        hid = text(hid)
    if not _HOUSEHOLD_ID.match(hid):
        raise RowRefused("HOUSEHOLD_ID_INVALID", f"户编号「{hid}」不可用")
    if type(pid) is not str:
        pid = text(pid)
    if not pid:
        raise RowRefused("PERSON_ID_MISSING", "人编号为空")
    if type(name) is not str:
        name = text(name)
    if not name:
        raise RowRefused("NAME_MISSING", "姓名为空")
    if type(id_number) is not str:
        if isinstance(id_number, int | float) and not isinstance(id_number, bool):
            raise RowRefused("ID_NUMBER_INVALID", NUMERIC_ID_NUMBER)  # its digits lost
        id_number = text(id_number)
    id_number = id_number.upper()
    if not is_id_number_shaped(id_number):  # a wrong check digit is data: R8.1 finds it
        detail = f"证件号码共{len(id_number)}个字符，不是17位数字加一位数字或X"
        raise RowRefused("ID_NUMBER_INVALID", detail)
    if type(relation) is not str:
        relation = text(relation)
    phone = phone if type(phone) is str else text(phone)
    labour = c.LABOUR.get(labour) if labour else "none"  # type: ignore[call-overload]
    if type(work) is float and work.is_integer():  # calamine's numbers: 3.0
        work = int(work)
    member = {
        "person_id": pid,
        "name": name,
        "id_number": id_number,
        "relation_to_head": c.RELATIONS.get(relation, relation or "other"),
        "labour_capacity": labour or coded(c.LABOUR, memo[2][2](cells)[6], "labour"),
        "health": "healthy" if health_ == "健康" else health(health_),
        "in_school": (school if type(school) is str else text(school)) not in c.NOT_IN_SCHOOL,
        "phone": phone[:32] if phone else None,
        "migrant_work_months": work if type(work) is int and 0 <= work <= 12 else months(work),
    }
    raw = memo[2][1](cells)
    if memo[0] != raw:
        memo[:2] = [raw, _household(cells, h, lambda key: cells[h.at[key]])]
    return MemberRow(number, hid, member, memo[1])


def _household(cells: Sequence[object], h: c.Headers, cell: Any) -> dict[str, Any]:
    eliminated = yes(cell("eliminated"), "eliminated")
    household = {
        "household_type": coded(c.HOUSEHOLD_TYPES, cell("household_type"), "household_type"),
        "category": coded(c.CATEGORIES, cell("category"), "category"),
        "risks": risks_of([cells[i] for i in h.risk_columns]),
        "eliminated": bool(eliminated),
        "income": amount(cell("income")),
        "unsafe_housing": bool(yes(cell("unsafe_housing"), "unsafe_housing")),
        "unsafe_water": yes(cell("safe_water"), "safe_water") is False,
        "village_code": text(cell("village_code")),
        "names": {
            k: v[:64]
            for k in ("county_name", "township_name", "village_name")
            if (v := text(cell(k)))
        },
        **{k: day(cell(k), k) for k in c.DATES},
    }
    if household["household_type"] is None:
        raise RowRefused("VALUE_UNKNOWN", "户类型为空")
    return household


def is_head(member: dict[str, Any]) -> bool:
    return member["relation_to_head"] == "head"


def village_from_number(hid: str, names: dict[str, str]) -> str | None:
    """The default: a 户编号 that begins with the village's 12 digits."""
    return hid[:12] if _VILLAGE_CODE.match(hid) else None


def village_by_names(places: dict[str, str]) -> VillageOf:
    """The village of the county's code table (region code → name) whose township and
    village names the row gives; else the 户编号's first 12 digits."""
    index = {(places.get(code[:9]), name): code for code, name in places.items() if len(code) == 12}

    def village_of(hid: str, names: dict[str, str]) -> str | None:
        key = (names.get("township_name"), names.get("village_name"))
        return index.get(key) or village_from_number(hid, names)

    return village_of
