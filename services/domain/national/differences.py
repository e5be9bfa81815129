"""Where the export and dixian disagree about a household, field by field and member by
member: the one comparison that both the import (which turns each difference into the
events that make dixian agree) and the comparison (which raises each as an R8.1 finding)
read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.domain.national.records import View

# The fields compared, in the order the summary lists them.
FIELDS = (
    "household",  # the household itself: in the export, not in dixian (or the reverse)
    "household_type",
    "status",
    "category",
    "risks",
    "eliminated_on",
    "income",
    "unsafe_housing",
    "unsafe_water",
    "member",  # a member in one and not the other
    "id_number",
    "labour_capacity",
    "member_details",  # name, relation, health, schooling, work months, phone
)
COMPARED = FIELDS[:-1]  # what the comparison raises (details are the import's business)
DETAILS = ("name", "relation_to_head", "health", "in_school", "migrant_work_months", "phone")


@dataclass(frozen=True, slots=True)
class Difference:
    field: str  # FIELDS
    person_id: str  # "" for a household's field
    export: Any  # the export's value (None: absent there)
    known: Any  # dixian's value (None: absent there)


def differences(export: View | None, known: View | None) -> list[Difference]:
    """What differs; nothing when both say the same."""
    if export is None or known is None:
        if export is None and known is None:
            return []
        return [Difference("household", "", export is not None, known is not None)]
    out: list[Difference] = []

    def differ(name: str, a: Any, b: Any) -> None:
        if a != b:
            out.append(Difference(name, "", a, b))

    differ("household_type", export.household_type, known.household_type)
    differ("status", export.status, known.status)
    if export.status != "not_monitored" and known.status != "not_monitored":
        differ("category", export.category, known.category)
        differ("risks", tuple(sorted(export.risks)), tuple(sorted(known.risks)))
    if export.status == known.status == "risk_eliminated":
        differ("eliminated_on", export.eliminated_on, known.eliminated_on)
    if export.income is not None:
        differ("income", export.income, known.income)
    differ("unsafe_housing", export.unsafe_housing, known.unsafe_housing)
    differ("unsafe_water", export.unsafe_water, known.unsafe_water)
    for pid in sorted(export.members.keys() | known.members.keys()):
        a, b = export.members.get(pid), known.members.get(pid)
        if a is None or b is None:
            out.append(Difference("member", pid, a is not None, b is not None))
            continue
        for name in ("id_number", "labour_capacity"):
            if a[name] != b.get(name):
                out.append(Difference(name, pid, a[name], b.get(name)))
        changed = [k for k in DETAILS if a.get(k) != b.get(k)]
        if changed:
            out.append(Difference("member_details", pid, tuple(changed), None))
    return out
