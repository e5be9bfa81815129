"""Registration, members and income: who the household is and what it earns."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import Field

from events.codes import HouseholdType
from events.common import REGION_CODE, Member, PlaceName, Yuan
from events.envelope import Contract


class HouseholdRegistered(Contract):
    """A rural household enters the system with its village and members."""

    village_code: str = Field(pattern=REGION_CODE, description="12-digit village region code.")
    household_type: HouseholdType = Field(description="Lifted (脱贫户) or ordinary (一般农户).")
    members: list[Member] = Field(min_length=1, description="Members at registration.")
    # Optional (a producer that omits them stays valid): the places' names as the producing
    # system knows them; a county's configured code table (DIXIAN_PLACES_FILE) comes first.
    county_name: PlaceName | None = Field(
        default=None, description="Name of the county (the village code's first 6 digits)."
    )
    township_name: PlaceName | None = Field(
        default=None, description="Name of the township (the village code's first 9 digits)."
    )
    village_name: PlaceName | None = Field(
        default=None, description="Name of the village (the 12-digit village code)."
    )


class MemberAdded(Contract):
    """A member joins (birth, marriage, return)."""

    member: Member = Field(description="The new member.")
    reason: Literal["birth", "marriage", "return", "adoption", "other"] = Field(
        description="Why the member joins."
    )


class MemberChanged(Contract):
    """A member's record changes, or the member leaves (death, migration, marriage out)."""

    member: Member = Field(description="The member as it now stands.")
    reason: Literal["death", "migration", "marriage", "update"] = Field(description="What changed.")
    left_household: bool = Field(default=False, description="The member no longer belongs.")


class IncomeComponents(Contract):
    """Yearly household income by component (yuan)."""

    wages: Yuan = Field(default=Decimal(0), description="Wages, including public-welfare jobs.")
    production_and_business: Yuan = Field(default=Decimal(0), description="Farming and business.")
    property: Yuan = Field(default=Decimal(0), description="Rents, dividends.")
    pensions: Yuan = Field(default=Decimal(0), description="Pension transfers.")
    minimum_living_allowance: Yuan = Field(default=Decimal(0), description="低保.")
    extreme_poverty_support: Yuan = Field(default=Decimal(0), description="特困.")
    eco_compensation: Yuan = Field(default=Decimal(0), description="Ecological compensation.")
    other_transfers: Yuan = Field(default=Decimal(0), description="Other transfers.")


class IncomeAssessed(Contract):
    """An income assessment: components, costs, and the per-capita net income."""

    assessed_on: date = Field(description="Day of the assessment.")
    year: int = Field(ge=2000, le=2100, description="The income year assessed.")
    components: IncomeComponents = Field(description="Income by component.")
    production_costs: Yuan = Field(default=Decimal(0), description="Production costs deducted.")
    members_counted: int = Field(ge=1, le=1000, description="Members the income is divided by.")
    per_capita_net_income_yuan: Yuan = Field(description="人均纯收入.")
