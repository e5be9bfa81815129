"""The dashboard's arithmetic: the report's rows summed by rule and by township, and when
the daily sweep runs next (the county's time)."""

from datetime import datetime, time

from services.usecases.compliance.sweep import CHINA
from services.usecases.dashboard import _sum, next_sweep


def test_the_reports_rows_are_summed_by_a_key() -> None:
    rows = [
        {"village": "610326101201", "rule": "R2.1", "found": 3, "rectified": 1, "closed": 1,
         "open": 2, "overdue": 1},
        {"village": "610326102201", "rule": "R2.1", "found": 1, "rectified": 0, "closed": 0,
         "open": 1, "overdue": 0},
    ]  # fmt: skip
    by_rule = _sum(rows, lambda r: r["rule"])
    assert by_rule == [{"key": "R2.1", "found": 4, "rectified": 1, "closed": 1, "open": 3,
                        "overdue": 1}]  # fmt: skip
    assert [r["key"] for r in _sum(rows, lambda r: r["village"][:9])] == ["610326101", "610326102"]


def test_the_next_sweep_is_today_or_tomorrow_at_its_time_or_none() -> None:
    morning = datetime(2026, 12, 1, 1, 0, tzinfo=CHINA)
    evening = datetime(2026, 12, 1, 20, 0, tzinfo=CHINA)
    assert next_sweep(True, time(2, 0), morning) == datetime(2026, 12, 1, 2, 0, tzinfo=CHINA)
    assert next_sweep(True, time(2, 0), evening) == datetime(2026, 12, 2, 2, 0, tzinfo=CHINA)
    assert next_sweep(False, time(2, 0), morning) is None
