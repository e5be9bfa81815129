"""The export's columns: headers matched by name (full-width brackets and spaces tolerated),
which are required, and the national system's words for the code tables' values."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

# A header as the export spells it (after normalise) → the field it fills.
COLUMNS: dict[str, str] = {
    "序号": "seq",
    "数据日期": "data_date",
    "县(市、区、旗)": "county_name",
    "县(市、区)": "county_name",
    "县": "county_name",
    "乡(镇)": "township_name",
    "乡镇": "township_name",
    "行政村": "village_name",
    "自然村": "hamlet",
    "行政区划代码": "village_code",
    "村代码": "village_code",
    "户编号": "household_id",
    "人编号": "person_id",
    "姓名": "name",
    "证件号码": "id_number",
    "身份证号码": "id_number",
    "人数": "household_size",
    "与户主关系": "relation",
    "民族": "ethnicity",
    "文化程度": "education",
    "在校生状况": "school",
    "健康状况": "health",
    "劳动技能": "labour",
    "务工时间(月)": "migrant_months",
    "是否参加大病保险": "serious_illness_insurance",
    "危房户": "unsafe_housing",
    "是否解决安全饮用水": "safe_water",
    "人均纯收入": "income",
    "户联系电话": "household_phone",
    "人联系电话": "phone",
    "首次识别时间": "first_identified_on",
    "人员识别时间": "person_identified_on",
    "户类型": "household_type",
    "易返贫致贫户(监测对象)类型": "category",
    "监测对象类型": "category",
    "风险是否消除": "eliminated",
    "风险识别时间": "identified_on",
    "风险消除时间": "eliminated_on",
}
# Risk columns come numbered: 致贫原因1, 风险类型2, 返贫致贫风险3…
RISK_COLUMN = re.compile(r"^(致贫原因|风险类型|返贫致贫风险|主要风险)\d*$")
REQUIRED = ("household_id", "person_id", "name", "id_number", "relation", "household_type")
DATES = (
    "data_date",
    "first_identified_on",
    "person_identified_on",
    "identified_on",
    "eliminated_on",
)
_WIDE = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "，": "、"})


def normalise(header: object) -> str:
    """A header without spaces (half- or full-width) and with half-width brackets."""
    return re.sub(r"\s+", "", str(header or "").replace("\u3000", " ")).translate(_WIDE)


def header_name(key: str) -> str:
    """The export's name of a field (the first header that fills it)."""
    return next(h for h, k in COLUMNS.items() if k == key)


@dataclass(frozen=True, slots=True)
class Headers:
    """Where each field is in a row, and what of the header row was not understood."""

    index: dict[str, int]
    risk_columns: tuple[int, ...]
    missing: tuple[str, ...]  # required fields' header names
    unknown: tuple[str, ...] = field(default=())  # headers not understood: ignored
    width: int = 0  # one past the last column read: where a missing field points (empty)
    at: dict[str, int] = field(default_factory=dict)  # every field → its column, or width

    @property
    def usable(self) -> bool:
        return not self.missing


def match_headers(row: Sequence[object]) -> Headers:
    index: dict[str, int] = {}
    risks, unknown = [], []
    for i, raw in enumerate(row):
        name = normalise(raw)
        if not name:
            continue
        if name in COLUMNS:
            index.setdefault(COLUMNS[name], i)
        elif RISK_COLUMN.match(name):
            risks.append(i)
        else:
            unknown.append(str(raw).strip())
    missing = tuple(header_name(k) for k in REQUIRED if k not in index)
    width = max([*index.values(), *risks], default=-1) + 1
    at = {k: index.get(k, width) for k in set(COLUMNS.values())}
    return Headers(index, tuple(risks), missing, tuple(unknown), width, at)


# The national system's words → the code tables' values (events/codes.py).
HOUSEHOLD_TYPES = {"脱贫户": "lifted", "一般农户": "ordinary", "一般户": "ordinary"}
HOUSEHOLD_TYPES |= {"监测户": "ordinary", "监测对象": "ordinary", "非脱贫户": "ordinary"}
CATEGORIES = {
    "脱贫不稳定户": "unstable_lifted",
    "边缘易致贫户": "marginal_at_risk",
    "突发严重困难户": "sudden_hardship",
}
LABOUR = {
    "普通劳动力": "ordinary",
    "技能劳动力": "skilled",
    "弱劳动力或半劳动力": "weak",
    "弱劳动力": "weak",
    "半劳动力": "weak",
    "丧失劳动力": "lost",
    "无劳动力": "none",
}
RELATIONS = {"户主": "head", "本人": "head", "配偶": "spouse", "之子": "child", "之女": "child"}
RELATIONS |= {"子女": "child", "儿子": "child", "女儿": "child"}
RELATION_WORDS = {"head": "户主", "spouse": "配偶", "child": "之子"}  # how an export says ours
# The health column may name several conditions (长期慢性病,残疾): the gravest counts.
HEALTH_ORDER = (("残疾", "disabled"), ("大病", "serious_illness"), ("慢性病", "chronic_illness"))
HEALTH_WORDS = {"healthy": "健康", "chronic_illness": "长期慢性病", "serious_illness": "患大病"}
HEALTH_WORDS |= {"disabled": "残疾"}
NOT_IN_SCHOOL = frozenset({"", "非在校生", "学龄前儿童", "无", "否", "已毕业", "辍学"})
RISKS = {
    "因病": "illness",
    "因残": "disability",
    "因学": "education",
    "因房": "housing",
    "住房安全": "housing",
    "饮水安全": "drinking_water",
    "因意外事故": "accident",
    "因意外": "accident",
    "因灾": "natural_disaster",
    "因自然灾害": "natural_disaster",
    "因失业": "unemployment",
    "因务工就业不稳": "unemployment",
    "因产业项目失败": "income_drop",
    "因收入骤减": "income_drop",
    "因支出骤增": "high_expenditure",
    "其他": "other",
    "缺劳力": "other",
    "缺劳动力": "other",
    "缺技术": "other",
    "缺资金": "other",
    "缺土地": "other",
    "自身发展动力不足": "other",
}
RISK_WORDS = {v: k for k, v in reversed(list(RISKS.items()))}  # one word per risk, the first
YES = frozenset({"是", "Y", "y", "1", "TRUE", "True", "true"})
NO = frozenset({"否", "N", "n", "0", "FALSE", "False", "false"})
