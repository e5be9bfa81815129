"""Producer permissions and the monitoring line table."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from events.catalog import EVENT_TYPES
from events.monitoring_lines import MonitoringLine, MonitoringLines
from services.domain.permissions import DEFAULT_PERMISSIONS, Permissions


def test_civil_affairs_can_report_an_allowance_but_not_decide_an_identification() -> None:
    p = Permissions()
    assert p.refusal("civil_affairs", "department_fact_reported") is None
    assert p.refusal("civil_affairs", "identification_decided") == (
        "PRODUCER_NOT_PERMITTED",
        "civil_affairs may not emit identification_decided",
    )
    assert p.refusal("someone", "visit_recorded")[0] == "SOURCE_UNKNOWN"  # type: ignore[index]


def test_only_the_county_decides_and_only_the_township_marks() -> None:
    deciders = {s for s, types in DEFAULT_PERMISSIONS.items() if "identification_decided" in types}
    markers = {s for s, types in DEFAULT_PERMISSIONS.items() if "safety_net_mark_set" in types}
    # the national system's declared import records the decisions its exports hold (issue 17)
    assert (deciders, markers) == ({"county_system", "national_system"}, {"township_system"})


def test_every_event_type_has_a_producer() -> None:
    produced = {t for types in DEFAULT_PERMISSIONS.values() for t in types}
    assert produced == set(EVENT_TYPES)


def test_a_permissions_file_replaces_the_matrix_and_unknown_types_are_refused(
    tmp_path: Path,
) -> None:
    path = tmp_path / "permissions.json"
    path.write_text(json.dumps({"water": ["department_risk_alert_pushed"]}))
    p = Permissions.from_file(path)
    assert p.refusal("water", "department_risk_alert_pushed") is None
    assert p.refusal("village_app", "visit_recorded")[0] == "SOURCE_UNKNOWN"  # type: ignore[index]
    with pytest.raises(ValueError, match="unknown event types"):
        Permissions({"water": ("lottery_won",)})


def test_the_seeds_line_of_7300_yuan_holds_in_shaanxi_from_2024() -> None:
    line = MonitoringLines().line_for("610326101201", date(2024, 6, 1))
    assert line is not None and line.yuan == Decimal("7300")
    assert MonitoringLines().line_for("610326101201", date(2023, 12, 31)) is None
    assert MonitoringLines().line_for("532524105201", date(2024, 6, 1)) is None


def test_the_most_specific_jurisdiction_and_the_latest_line_in_force_win() -> None:
    lines = MonitoringLines(
        (
            MonitoringLine("61", 2024, Decimal("7300"), date(2024, 1, 1), "province"),
            MonitoringLine("61", 2025, Decimal("7500"), date(2025, 1, 1), "province"),
            MonitoringLine("610326", 2025, Decimal("8050"), date(2025, 7, 1), "county"),
        )
    )
    county = "610326101201"
    assert lines.line_for(county, date(2024, 12, 31)).yuan == Decimal("7300")  # type: ignore[union-attr]
    assert lines.line_for(county, date(2025, 6, 30)).yuan == Decimal("7500")  # type: ignore[union-attr]
    assert lines.line_for(county, date(2025, 7, 1)).yuan == Decimal("8050")  # type: ignore[union-attr]
    assert lines.line_for("610100000000", date(2025, 7, 1)).yuan == Decimal("7500")  # type: ignore[union-attr]


def test_lines_load_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "lines.json"
    path.write_text(
        json.dumps(
            [{"jurisdiction": "53", "year": 2025, "yuan": 8700, "effective_from": "2025-01-01"}]
        )
    )
    line = MonitoringLines.from_file(path).line_for("532524105201", date(2025, 2, 1))
    assert line is not None and line.as_record()["yuan"] == "8700"
