"""Field types and the member record shared by several event types."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field, WithJsonSchema

from events.codes import HealthStatus, LabourCapacity
from events.envelope import Contract
from events.identity import id_shape_of_upper as _id_shaped

REGION_CODE = r"^[0-9]{12}$"  # ASCII digits: full-width ones would match no line
# The relation_to_head that names the head of household (户主): ours, and the national
# system's exports.
HEAD_RELATIONS = frozenset({"head", "户主", "本人"})
PlaceName = Annotated[str, Field(min_length=1, max_length=64)]
CaseId = Annotated[str, Field(min_length=1, max_length=64, description="Lead or elimination id.")]
Text = Annotated[str, Field(max_length=2000)]


def _id_number(value: str) -> str:
    """An ID number of 18 characters (17 digits and a digit or X): malformed beyond use
    otherwise. A wrong GB 11643 check digit is accepted — the national system's exports hold
    such numbers — and found by the compliance engine (R8.1 id_number_invalid)."""
    upper = value.upper()
    if _id_shaped(upper) is None:  # (is_id_number_shaped, without its second upper())
        raise ValueError("not an 18-character ID number (17 digits and a digit or X)")
    return upper


IdNumber = Annotated[str, AfterValidator(_id_number)]
YUAN_MAX = Decimal("9999999999.99")  # twelve digits, two of them after the point
YUAN_PATTERN = r"^(0|[1-9][0-9]{0,9})(\.[0-9]{1,2})?$"
Yuan = Annotated[
    Decimal,
    Field(ge=0, le=YUAN_MAX, max_digits=12, decimal_places=2),
    WithJsonSchema(
        {
            "anyOf": [
                {
                    "type": "string",
                    "pattern": YUAN_PATTERN,
                    "description": "Yuan (元) as a decimal string, at most two decimals: "
                    "exact, and the recommended form.",
                },
                {
                    "type": "number",
                    "minimum": 0,
                    "maximum": float(YUAN_MAX),
                    "description": "Yuan (元) as a JSON number, at most two decimals.",
                },
            ],
            "examples": ["7300", "4800.50"],
        }
    ),
]


class Member(Contract):
    """A member of the household as the national system records one."""

    person_id: str = Field(min_length=1, max_length=64, description="Person number.")
    name: str = Field(min_length=1, max_length=64, description="Name (personal information).")
    id_number: IdNumber = Field(
        description="18-character ID number (GB 11643); a wrong check digit is accepted and "
        "found by R8.1."
    )
    relation_to_head: str = Field(
        min_length=1, max_length=32, description="e.g. head (户主), spouse, child."
    )
    labour_capacity: LabourCapacity = Field(description="劳动能力.")
    health: HealthStatus = Field(description="健康状况 (personal information).")
    in_school: bool = Field(default=False, description="Currently in compulsory schooling.")
    phone: str | None = Field(default=None, max_length=32, description="Personal information.")
    bank_account: str | None = Field(
        default=None, max_length=64, description="Account for transfers (personal information)."
    )
    migrant_work_months: int = Field(default=0, ge=0, le=12, description="Months away at work.")
