"""R8.1 (data complete, consistent, current): each difference between the national system's
export and what dixian knows as a finding about the household — its evidence the export's
row and the events that say otherwise — for the township's 疑似问题台账, and the summary by
township and field. Values that are personal information are masked."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from events.identity import mask_id_number
from services.domain.compliance.findings import Finding, township_government, township_of
from services.domain.national import columns as c
from services.domain.national.differences import COMPARED, Difference
from services.domain.national.records import View

CHECK_PREFIX = "national_"  # the checks' names: national_income, national_member…
WORDS = {
    "household": "户",
    "household_type": "户类型",
    "status": "监测状态",
    "category": "监测对象类型",
    "risks": "风险类型",
    "eliminated_on": "风险消除时间",
    "income": "人均纯收入",
    "unsafe_housing": "危房户",
    "unsafe_water": "安全饮用水",
    "member": "家庭成员",
    "id_number": "证件号码",
    "labour_capacity": "劳动技能",
}
STATUS_WORDS = {"not_monitored": "非监测对象", "monitored": "监测对象（风险未消除）"}
STATUS_WORDS |= {"risk_eliminated": "监测对象（风险已消除）"}
CATEGORY_WORDS = {v: k for k, v in c.CATEGORIES.items()}
LABOUR_WORDS = {v: k for k, v in reversed(list(c.LABOUR.items()))}
TYPE_WORDS = {"lifted": "脱贫户", "ordinary": "一般农户"}


def export_ref(source: str, row: int | None) -> str:
    """The evidence that names the export's row."""
    return f"national-export:{source}#row{row}" if row else f"national-export:{source}"


def say(name: str, value: Any) -> str:
    """A value in the export's words; ID numbers masked (services.domain.masking's rule)."""
    if value is None or value == ():
        return "无"
    if isinstance(value, bool):
        return "是" if value else "否"
    if name == "status":
        return STATUS_WORDS.get(value, str(value))
    if name == "category":
        return CATEGORY_WORDS.get(value, str(value))
    if name == "household_type":
        return TYPE_WORDS.get(value, str(value))
    if name == "labour_capacity":
        return LABOUR_WORDS.get(value, str(value))
    if name == "risks":
        return "、".join(c.RISK_WORDS.get(r, r) for r in value)
    if name == "id_number":
        return mask_id_number(str(value))
    return str(value)


def summary_of(d: Difference) -> str:
    if d.field == "household":
        return (
            "全国系统有此户，底线系统无记录" if d.export else "底线系统有此户，全国系统导出无此户"
        )
    if d.field == "member":
        side = "全国系统有该成员，底线系统无" if d.export else "底线系统有该成员，全国系统无"
        return f"家庭成员{d.person_id}：{side}"
    unsafe = d.field in ("unsafe_housing", "unsafe_water")
    export, known = (
        (not d.export, not d.known) if d.field == "unsafe_water" else (d.export, d.known)
    )
    word = WORDS[d.field]
    who = f"成员{d.person_id}的" if d.person_id else ""
    if unsafe:
        return f"{who}{word}不一致：全国系统为「{say('', export)}」，底线系统为「{say('', known)}」"
    return (
        f"{who}{word}不一致：全国系统为「{say(d.field, d.export)}」，"
        f"底线系统为「{say(d.field, d.known)}」"
    )


def finding(
    d: Difference, export: View | None, known: View | None, source: str, as_of: date
) -> Finding:
    subject = export or known
    assert subject is not None
    row = None
    if export is not None:
        row = export.rows.get(d.person_id) or min(export.rows.values(), default=None)
    evidence = [export_ref(source, row)] if export is not None else []
    if known is not None:
        key = "members" if d.person_id or d.field == "member" else d.field
        evidence += known.evidence.get(key, []) or known.evidence.get("household_type", [])
    return Finding(
        rule_id="R8.1",
        check=CHECK_PREFIX + d.field,
        subject_type="household",
        subject=subject.household_id,
        village=subject.village_code,
        evidence=tuple(dict.fromkeys(evidence)),
        due_on=as_of,
        responsible=township_government(subject.village_code),
        summary=summary_of(d),
        scope=d.person_id,
        ongoing=True,
    )


def findings_of(
    diffs: list[Difference], export: View | None, known: View | None, source: str, as_of: date
) -> list[Finding]:
    return [finding(d, export, known, source, as_of) for d in diffs if d.field in COMPARED]


@dataclass
class Summary:
    """Counts by township and by field, and the households compared."""

    households: int = 0
    agreeing: int = 0
    by_township: dict[str, Counter[str]] = field(default_factory=dict)
    compared_in: Counter[str] = field(default_factory=Counter)  # township → households
    agreeing_in: Counter[str] = field(default_factory=Counter)

    def add(self, village: str, found: list[Finding]) -> None:
        township = township_of(village)
        self.households += 1
        self.compared_in[township] += 1
        if not found:
            self.agreeing += 1
            self.agreeing_in[township] += 1
        counts = self.by_township.setdefault(township, Counter())
        for f in found:
            counts[f.check.removeprefix(CHECK_PREFIX)] += 1

    def record(self) -> dict[str, dict[str, int]]:
        """By township: the households compared and agreeing, and the differences by field
        (as NationalRun keeps it)."""
        return {
            t: {"(households)": self.compared_in[t], "(agreeing)": self.agreeing_in[t]}
            | dict(sorted(counts.items()))
            for t, counts in sorted(self.by_township.items())
        }

    def by_field(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for counts in self.by_township.values():
            total.update(counts)
        return total
