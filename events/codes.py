"""Code tables shared by producers and the domain (version 1); values are stable identifiers."""

from enum import StrEnum

CODE_TABLES_VERSION = 1


class HouseholdType(StrEnum):
    """脱贫户 or 一般农户: whether the household was lifted out of poverty in the 2020 campaign."""

    ORDINARY = "ordinary"
    LIFTED = "lifted"


class MonitoringCategory(StrEnum):
    """The three kinds of monitored household (监测对象)."""

    UNSTABLE_LIFTED = "unstable_lifted"  # 脱贫不稳定户
    MARGINAL_AT_RISK = "marginal_at_risk"  # 边缘易致贫户
    SUDDEN_HARDSHIP = "sudden_hardship"  # 突发严重困难户


class RiskType(StrEnum):
    """Risks that can bring a household back to poverty: the national monitoring system's
    risk types (返贫致贫风险类型, NATIONAL_RISK_TYPES says which name is which code), and
    ours for what departments push (unemployment, an income drop, high expenditure)."""

    ILLNESS = "illness"  # 因病
    DISABILITY = "disability"  # 因残
    EDUCATION = "education"  # 因学
    HOUSING = "housing"  # 住房出现安全问题
    DRINKING_WATER = "drinking_water"  # 饮水出现安全问题
    ACCIDENT = "accident"  # 因意外事故
    NATURAL_DISASTER = "natural_disaster"  # 因灾
    UNEMPLOYMENT = "unemployment"
    INCOME_DROP = "income_drop"
    HIGH_EXPENDITURE = "high_expenditure"
    INDUSTRY_FAILURE = "industry_failure"  # 因产业项目失败
    UNSTABLE_EMPLOYMENT = "unstable_employment"  # 因务工就业不稳
    LACK_OF_LABOUR = "lack_of_labour"  # 缺劳动力
    EPIDEMIC = "epidemic"  # 因疫
    SCHOOLING_NOT_SECURED = "schooling_not_secured"  # 义务教育保障出现问题
    MEDICAL_CARE_NOT_SECURED = "medical_care_not_secured"  # 基本医疗保障出现问题
    OTHER = "other"  # 其他


# The national system's names of the risk types (as its exports write them) → our codes.
NATIONAL_RISK_TYPES: dict[str, RiskType] = {
    "因病": RiskType.ILLNESS,
    "因残": RiskType.DISABILITY,
    "因学": RiskType.EDUCATION,
    "因灾": RiskType.NATURAL_DISASTER,
    "因意外事故": RiskType.ACCIDENT,
    "因产业项目失败": RiskType.INDUSTRY_FAILURE,
    "因务工就业不稳": RiskType.UNSTABLE_EMPLOYMENT,
    "缺劳动力": RiskType.LACK_OF_LABOUR,
    "因疫": RiskType.EPIDEMIC,
    "住房出现安全问题": RiskType.HOUSING,
    "饮水出现安全问题": RiskType.DRINKING_WATER,
    "义务教育保障出现问题": RiskType.SCHOOLING_NOT_SECURED,
    "基本医疗保障出现问题": RiskType.MEDICAL_CARE_NOT_SECURED,
    "其他": RiskType.OTHER,
}


class LabourCapacity(StrEnum):
    """劳动能力 as in the national system's exports (普通劳动力, 技能劳动力, 弱劳动力或半劳动力,
    丧失劳动力, 无劳动力: NATIONAL_LABOUR_CAPACITIES). Weak or half labour is labour: it
    counts as someone able to work for R5.2 (a measure that needs labour fits) and R7.1 (a
    household with one such member is not a whole household without labour capacity)."""

    ORDINARY = "ordinary"
    SKILLED = "skilled"
    WEAK = "weak"
    LOST = "lost"
    NONE = "none"


NATIONAL_LABOUR_CAPACITIES: dict[str, LabourCapacity] = {
    "普通劳动力": LabourCapacity.ORDINARY,
    "技能劳动力": LabourCapacity.SKILLED,
    "弱劳动力或半劳动力": LabourCapacity.WEAK,
    "弱劳动力": LabourCapacity.WEAK,
    "半劳动力": LabourCapacity.WEAK,
    "丧失劳动力": LabourCapacity.LOST,
    "无劳动力": LabourCapacity.NONE,
}


class HealthStatus(StrEnum):
    """健康状况 (personal information: never shown in a public notice)."""

    HEALTHY = "healthy"
    CHRONIC_ILLNESS = "chronic_illness"
    SERIOUS_ILLNESS = "serious_illness"
    DISABLED = "disabled"


class Department(StrEnum):
    """行业部门 that push alerts and facts."""

    CIVIL_AFFAIRS = "civil_affairs"
    MEDICAL_INSURANCE = "medical_insurance"
    EDUCATION = "education"
    HOUSING = "housing"
    WATER = "water"
    HUMAN_RESOURCES = "human_resources"
    DISABLED_PERSONS = "disabled_persons"
    EMERGENCY_MANAGEMENT = "emergency_management"
    PUBLIC_SECURITY = "public_security"
    RURAL_REVITALIZATION = "rural_revitalization"


class LeadChannel(StrEnum):
    """How a risk lead (风险线索) arose."""

    HOUSEHOLD_APPLICATION = "household_application"
    CADRE_VISIT = "cadre_visit"
    DEPARTMENT_ALERT = "department_alert"
    CAMPAIGN_SCREENING = "campaign_screening"
    PETITION = "petition"


class MeasureType(StrEnum):
    """帮扶措施 kinds."""

    EMPLOYMENT = "employment"
    INDUSTRY = "industry"
    EDUCATION_AID = "education_aid"
    MEDICAL_AID = "medical_aid"
    HOUSING_RENOVATION = "housing_renovation"
    WATER_SUPPLY = "water_supply"
    MINIMUM_LIVING_ALLOWANCE = "minimum_living_allowance"
    EXTREME_POVERTY_SUPPORT = "extreme_poverty_support"
    PUBLIC_WELFARE_JOB = "public_welfare_job"
    MICROCREDIT = "microcredit"
    TEMPORARY_ASSISTANCE = "temporary_assistance"
    OTHER = "other"


class ActorRole(StrEnum):
    """Who recorded an event."""

    VILLAGE_CADRE = "village_cadre"
    GRID_WORKER = "grid_worker"
    WORK_TEAM_MEMBER = "work_team_member"
    FIRST_SECRETARY = "first_secretary"
    ASSIGNED_HELPER = "assigned_helper"
    TOWNSHIP_OFFICIAL = "township_official"
    COUNTY_OFFICIAL = "county_official"
    DEPARTMENT_SYSTEM = "department_system"
    HOUSEHOLD = "household"


class IdentificationOutcome(StrEnum):
    IDENTIFIED = "identified"
    DISMISSED = "dismissed"


class EliminationKind(StrEnum):
    STABLE = "stable"  # 稳定消除
    NATURAL = "natural"  # 自然消除


class LeafletKind(StrEnum):
    """明白纸: the application-policy leaflet for every household (R1.1), the
    assistance-policy leaflet for every monitored household (R1.2)."""

    APPLICATION_POLICY = "application_policy"
    ASSISTANCE_POLICY = "assistance_policy"


class DepartmentFactKind(StrEnum):
    """Facts departments report about a household or one of its members."""

    MINIMUM_LIVING_ALLOWANCE_GRANTED = "minimum_living_allowance_granted"
    MINIMUM_LIVING_ALLOWANCE_ENDED = "minimum_living_allowance_ended"
    EXTREME_POVERTY_SUPPORT_GRANTED = "extreme_poverty_support_granted"
    EXTREME_POVERTY_SUPPORT_ENDED = "extreme_poverty_support_ended"
    DEATH = "death"
    MIGRATION = "migration"
    SERIOUS_MEDICAL_COSTS = "serious_medical_costs"
    SCHOOL_DROPOUT = "school_dropout"
    UNSAFE_HOUSING = "unsafe_housing"
    UNSAFE_DRINKING_WATER = "unsafe_drinking_water"


class CadreRelation(StrEnum):
    """What a relative is to a cadre: kin (亲属) and relatives by marriage (姻亲)."""

    SPOUSE = "spouse"
    PARENT = "parent"
    CHILD = "child"
    SIBLING = "sibling"
    GRANDPARENT = "grandparent"
    GRANDCHILD = "grandchild"
    PARENT_IN_LAW = "parent_in_law"
    SIBLING_IN_LAW = "sibling_in_law"
    CHILD_IN_LAW = "child_in_law"
    COUSIN = "cousin"
    OTHER_BY_MARRIAGE = "other_by_marriage"
    OTHER = "other"


class ReviewOutcome(StrEnum):
    APPROVED = "approved"
    RETURNED = "returned"


class CaseKind(StrEnum):
    """The two procedures that run verification, review, public notice and decision."""

    IDENTIFICATION = "identification"  # 识别认定, case id = the lead id
    ELIMINATION = "elimination"  # 风险消除, case id = the elimination id


def code_tables() -> dict[str, object]:
    """Every code table with its version, as producers and reports read them."""
    tables = {
        cls.__name__: [member.value for member in cls]
        for cls in (
            HouseholdType,
            MonitoringCategory,
            RiskType,
            LabourCapacity,
            HealthStatus,
            Department,
            LeadChannel,
            MeasureType,
            ActorRole,
            IdentificationOutcome,
            EliminationKind,
            LeafletKind,
            DepartmentFactKind,
            CadreRelation,
            ReviewOutcome,
            CaseKind,
        )
    }
    return {"version": CODE_TABLES_VERSION, "tables": tables}
