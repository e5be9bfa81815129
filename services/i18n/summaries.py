"""A problem's summary in Chinese. The checks write their summaries in English (they are
stored in each Problem's events, which are never rewritten); each check's summary has a
fixed form, read here by a pattern whose named groups fill the check's Chinese template
(zh_CN_texts.SUMMARIES), codes translated. A summary no pattern reads — one stored by an
older version of a check — is shown as the check's name, with the stored text as detail."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from services.i18n import has, label, t

_DECIDED = (
    ("", r"^(?P<case_kind>identification|elimination) (?P<case>.+) decided (?P<days>\d+) "
         r"days after (?P<opened>\S+)$"),
)  # fmt: skip
_UNDECIDED = (
    ("", r"^(?P<case_kind>identification|elimination) (?P<case>.+) opened (?P<opened>\S+), "
         r"still undecided$"),
)  # fmt: skip
# favoritism: f"{what}: {relation} {person} of {cadre} ({household})"
_RELATIVE = r": (?P<relation>\w+) (?P<person>\S+) of (?P<cadre>\S+) \((?P<household>[^()]+)\)$"

# check → (variant, pattern of its English summary), the first that matches wins.
PATTERNS: dict[str, tuple[tuple[str, str], ...]] = {
    "application_leaflet_missing": (("", r"^no application-policy leaflet delivered$"),),
    "assistance_leaflet_missing": (
        ("", r"^monitored, but no assistance-policy leaflet delivered$"),
    ),
    "awareness_below_threshold": (
        ("", r"^survey (?P<survey>.+): (?P<aware>\d+) of (?P<answered>\d+) households aware "
             r"\((?P<rate>\d+%) < (?P<threshold>\d+%)\)$"),
    ),
    "monthly_visit_missing": (
        ("last", r"^not visited in (?P<month>\d{4}-\d{2}) \(last visit (?P<last>\S+)\)$"),
        ("never", r"^not visited in (?P<month>\d{4}-\d{2}) \(never visited\)$"),
    ),
    "yearly_screening_missing": (("", r"^not screened in (?P<year>\d{4})$"),),
    "allowance_recipient_not_screened": (
        ("", r"^(?P<fact_kind>\w+) on (?P<on>\S+), not screened for monitoring$"),
    ),
    "allowance_recipient_refused": (
        ("", r"^lead (?P<case>.+) dismissed with income (?P<income>\S+) below the line "
             r"(?P<line>\S+) of a new allowance recipient$"),
    ),
    "record_backfilled": (
        ("", r"^(?P<visit_kind>visit|screening) of (?P<on>\S+) by (?P<by>.+) recorded "
             r"(?P<days>\d+) days later$"),
    ),
    "recorded_time_claimed_early": (
        ("", r"^(?P<visit_kind>visit|screening) of (?P<on>\S+) by (?P<by>.+): the app claims "
             r"it was recorded on (?P<claimed>\S+), the system received it (?P<days>\d+) days "
             r"later$"),
    ),
    "risk_not_reported": (
        ("", r"^(?P<visit_kind>visit|screening) of (?P<on>\S+) by (?P<by>.+?) found "
             r"(?P<risks>.+); no lead followed$"),
    ),
    "implausible_visit_count": (
        ("", r"^(?P<by>.+) recorded (?P<count>\d+) visits on (?P<on>\S+)$"),
    ),
    "identical_notes": (
        ("", r"^the same note \(digest (?P<digest>[0-9a-f]+)\) in (?P<count>\d+) households$"),
    ),
    "alert_pushed_late": (
        ("", r"^alert (?P<alert>.+) \((?P<risk_type>\w+)\) of household (?P<household>\S+) "
             r"pushed (?P<days>\d+) days after the risk arose$"),
    ),
    "alert_not_followed_up": (
        ("", r"^alert (?P<alert>.+) of (?P<department>\w+) \((?P<risk_type>\w+)\) pushed "
             r"(?P<on>\S+), never became a lead$"),
    ),
    "decision_late": _DECIDED,
    "decision_overdue": _UNDECIDED,
    "elimination_late": _DECIDED,
    "elimination_stalled": _UNDECIDED,
    "notice_too_short": (
        ("", r"^notice (?P<notice>.+) of lead (?P<case>.+) ran (?P<days>-?\d+) days$"),
    ),
    "identified_without_notice": (
        ("", r"^lead (?P<case>.+) identified without public notice$"),
    ),
    "eligible_not_identified": (
        ("income", r"^income (?P<income>\S+) < (?P<line>\S+) on (?P<on>\S+); no lead within "
                   r"(?P<days>\d+) days$"),
        ("fact", r"^(?P<fact_kind>\w+) reported by (?P<department>\w+) on (?P<on>\S+); no lead "
                 r"within (?P<days>\d+) days$"),
    ),
    "eligible_dismissed": (
        ("", r"^lead (?P<case>.+) dismissed with income (?P<income>\S+) < (?P<line>\S+)$"),
    ),
    "plan_late": (("", r"^plan adopted (?P<days>\d+) days after identification$"),),
    "plan_missing": (("", r"^no assistance plan since identification on (?P<on>\S+)$"),),
    "measure_does_not_fit_risk": (
        ("", r"^(?P<measure_type>\w+) does not answer (?P<risks>.+)$"),
    ),
    "measure_needs_labour": (
        ("", r"^(?P<measure_type>\w+) for a household with no one able to work$"),
    ),
    "measure_not_verified": (
        ("", r"^(?P<measure_type>\w+) (?P<measure>.+) of (?P<on>\S+) never verified$"),
    ),
    "measure_verified_late": (
        ("", r"^(?P<measure_type>\w+) (?P<measure>.+) verified on (?P<on>\S+)$"),
    ),
    "verification_without_evidence": (
        ("evidence", r"^(?P<measure_type>\w+) (?P<measure>.+) verified without evidence$"),
        ("self", r"^(?P<measure_type>\w+) (?P<measure>.+) verified by who started it$"),
    ),
    "amount_not_in_income": (
        ("", r"^(?P<amount>\S+) yuan of (?P<measure_type>\w+) (?P<measure>.+): no "
             r"(?P<component>\w+) in the assessment of (?P<on>\S+)$"),
    ),
    "eligible_not_eliminated": (
        ("", r"^income (?P<income>\S+) >= (?P<line>\S+) on (?P<on>\S+), measures verified, "
             r"monitored since (?P<since>\S+)$"),
    ),
    "eliminated_below_line": (
        ("none", r"^elimination (?P<case>.+) with income None against the line (?P<line>\S+)$"),
        ("", r"^elimination (?P<case>.+) with income (?P<income>\S+) against the line "
             r"(?P<line>\S+)$"),
    ),
    "eliminated_too_soon": (
        ("", r"^elimination (?P<case>.+) (?P<days>-?\d+) days after identification$"),
    ),
    "elimination_notice_missing_or_short": (
        ("short", r"^elimination (?P<case>.+): notice ran (?P<days>-?\d+) days$"),
        ("missing", r"^elimination (?P<case>.+): no notice$"),
    ),
    "safety_net_not_marked": (
        ("", r"^no member able to work, monitored since (?P<since>\S+), not marked in "
             r"(?P<days>\d+) days$"),
    ),
    "safety_net_household_eliminated": (
        ("marked_only", r"^marked household eliminated by (?P<case>.+)$"),
        ("marked", r"^household without labour eliminated by (?P<case>.+) though marked$"),
        ("", r"^household without labour eliminated by (?P<case>.+)$"),
    ),
    "income_inconsistent": (
        ("", r"^components give (?P<computed>\S+) per person, the record says "
             r"(?P<recorded>\S+)$"),
    ),
    "income_members_mismatch": (
        ("", r"^income divided by (?P<counted>\d+), the household has (?P<members>\d+)$"),
    ),
    "income_not_current": (("", r"^no income assessment since (?P<since>\S+)$"),),
    "application_leaflet_late": (
        ("", r"^application-policy leaflet delivered on (?P<on>\S+), due by (?P<due>\S+)$"),
    ),
    "assistance_leaflet_late": (
        ("", r"^assistance-policy leaflet delivered on (?P<on>\S+), due by (?P<due>\S+)$"),
    ),
    "alert_followed_up_late": (
        ("", r"^alert (?P<alert>.+) of (?P<department>\w+) \((?P<risk_type>\w+)\) pushed "
             r"(?P<on>\S+), became a lead on (?P<lead_on>\S+)$"),
    ),
    "allowance_recipient_screened_late": (
        ("", r"^(?P<fact_kind>\w+) on (?P<granted>\S+), first screened on (?P<on>\S+)$"),
    ),
    "allowance_recipient_not_identified": (
        ("", r"^(?P<fact_kind>\w+) on (?P<granted>\S+), screened on (?P<on>\S+) with income "
             r"(?P<income>\S+) < (?P<line>\S+), not identified$"),
    ),
    "township_review_before_notice_closed": (
        ("", r"^(?P<case_kind>identification|elimination) (?P<case>.+): reviewed by the "
             r"township before its notice closed$"),
    ),
    "decided_with_objection_open": (
        ("", r"^(?P<case_kind>identification|elimination) (?P<case>.+): decided with an "
             r"objection to its notice open$"),
    ),
    "decided_before_notice_closed": (
        ("", r"^(?P<case_kind>identification|elimination) (?P<case>.+): decided before its "
             r"notice closed$"),
    ),
    "safety_net_marked_late": (
        ("", r"^no member able to work, monitored since (?P<since>\S+), marked on "
             r"(?P<on>\S+)$"),
    ),
    "id_number_invalid": (
        ("", r"^member (?P<person>\S+): members\.\S+\.id_number fails the GB 11643 check "
             r"digit$"),
    ),
    "person_in_two_households": (
        ("", r"^a member's ID number \(digest (?P<digest>[0-9a-f]+)\) is also a member's of "
             r"household (?P<households>.+)$"),
    ),
    "relative_identified": (("", r"^identified by (?P<case>.+)" + _RELATIVE),),
    "relative_assisted": (("", r"^(?P<measure_type>\w+) (?P<measure>.+)" + _RELATIVE),),
    "relative_kept_on": (("", r"^kept on or spared elimination: .+" + _RELATIVE),),
    "cadre_acted_on_relative_case": (("", r"^\S+ acted on case (?P<case>.+)" + _RELATIVE),),
}  # fmt: skip
_COMPILED = {
    check: tuple((variant, re.compile(p, re.DOTALL)) for variant, p in patterns)
    for check, patterns in PATTERNS.items()
}

# Fields that hold a code, and the catalogue section of its labels.
CODE_FIELDS = {
    "measure_type": "code.MeasureType",
    "risk_type": "code.RiskType",
    "department": "code.Department",
    "fact_kind": "code.DepartmentFactKind",
    "relation": "code.CadreRelation",
    "case_kind": "code.CaseKind",
    "visit_kind": "visit_kind",
    "component": "income_component",
}


@dataclass(frozen=True, slots=True)
class Summary:
    text: str  # in Chinese
    detail: str = ""  # the stored summary, when the Chinese could not say all of it


def template_key(check: str, variant: str = "") -> str:
    return f"summary.{check}" + (f".{variant}" if variant else "")


def summarise(check: str, stored: str) -> Summary:
    """The Chinese summary of a problem of `check` whose stored summary is `stored`."""
    for variant, pattern in _COMPILED.get(check, ()):
        match = pattern.match(stored)
        if match is not None and has(key := template_key(check, variant)):
            return Summary(t(key, **{k: _value(k, v) for k, v in match.groupdict().items()}))
    return Summary(label("check", check), stored)


def _value(field: str, value: str) -> str:
    if field in CODE_FIELDS:
        return label(CODE_FIELDS[field], value)
    if field == "risks":
        return t("word.and").join(label("code.RiskType", r) for r in value.split(", "))
    if field == "month" and re.fullmatch(r"\d{4}-\d{2}", value):
        return f"{value[:4]}年{int(value[5:])}月"
    return value


def periods_label(periods: Iterable[str]) -> str:
    """Periods as the ledgers list them, runs of three or more as a span:
    2025年3月、2025年5月至2026年2月; 2023年、2024年."""
    ordered = sorted(set(periods))
    runs: list[list[str]] = []
    for p in ordered:
        if runs and _index(p) is not None and _index(p) == _next(runs[-1][-1]):
            runs[-1].append(p)
        else:
            runs.append([p])
    parts = [
        t("word.span", first=month_label(r[0]), last=month_label(r[-1]))
        if len(r) >= 3
        else t("word.and").join(month_label(p) for p in r)
        for r in runs
    ]
    return t("word.and").join(parts)


def _index(period: str) -> tuple[int, int] | None:
    """(kind, ordinal) of a month (1, y*12+m) or a year (0, y); None for anything else."""
    if re.fullmatch(r"\d{4}-\d{2}", period):
        return 1, int(period[:4]) * 12 + int(period[5:]) - 1
    if re.fullmatch(r"\d{4}", period):
        return 0, int(period)
    return None


def _next(period: str) -> tuple[int, int] | None:
    i = _index(period)
    return None if i is None else (i[0], i[1] + 1)


def month_label(period: str) -> str:
    """A period of a periodic lapse as the ledgers list it: 2025年4月, 2024年."""
    if re.fullmatch(r"\d{4}-\d{2}", period):
        return _value("month", period)
    if re.fullmatch(r"\d{4}", period):
        return f"{period}年"
    return period
